"""Pages whose final URL is on another host are not the site's (issue 9, item 5): a /jump?url=
redirect to a foreign portal must not make that portal's list our column, its pages our
documents, or its dead links ours. Two real HTTP servers on loopback (127.0.0.1, 127.0.0.2)."""
from __future__ import annotations

import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from portal import run_cli, write_config


def page(title: str, body: str, column: str = "") -> str:
    meta = f'<meta name="ColumnName" content="{column}">' if column else ""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{meta}</head><body>'
            f'<div class="nav"><a href="/">首页</a></div><div class="position">您的位置：<a href="/">首页</a> &gt; {column}</div>'
            f'{body}<div class="footer">主办：测试市人民政府办公室</div></body></html>')


def listing(prefix: str, dates: list[str]) -> str:
    items = "".join(f'<li><a href="{prefix}{i}.html">关于第{i}项工作的通知公告内容</a><span>{d}</span></li>' for i, d in enumerate(dates))
    return f'<div class="list"><ul>{items}</ul></div><div class="page">共1页</div>'


def article(title: str, date: str) -> str:
    return (f'<h1>{title}</h1><div class="info">发布日期：{date}</div><div class="TRS_Editor">'
            + "<p>正文内容，正文内容，正文内容。</p>" * 20 + "</div>")


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, pages: dict[str, tuple]):
        self.pages = pages
        super().__init__((host, 0), Handler)

    @property
    def base(self) -> str:
        return f"http://{self.server_address[0]}:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_HEAD(self):
        self.answer(False)

    def do_GET(self):
        self.answer(True)

    def answer(self, body: bool) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/jump":
            self.send_response(302)
            self.send_header("Location", parse_qs(parts.query)["url"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, html = self.server.pages.get(parts.path, (404, page("页面不存在", "<p>您访问的页面不存在</p>")))
        data = html.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)


@pytest.fixture
def sites():
    fresh = ["2026-11-20", "2026-11-18", "2026-11-10"]
    old = ["2019-05-01", "2019-04-01", "2019-03-01"]
    foreign = Site("127.0.0.2", {
        "/": (200, page("外站首页", "<p>外站</p>")),
        "/tzgg/": (200, page("通知公告_外站", listing("/tzgg/", old) + '<a href="/missing.html">外站失效链接</a>', "通知公告")),
        **{f"/tzgg/{i}.html": (200, page(f"关于第{i}项工作的通知公告内容", article(f"关于第{i}项工作的通知公告内容", d)
                                          + '<a href="/gone.html">外站文章失效链接</a>', "通知公告")) for i, d in enumerate(old)},
    })
    threading.Thread(target=foreign.serve_forever, daemon=True).start()
    ours = Site("127.0.0.1", {})
    ours.pages.update({
        "/": (200, page("测试市人民政府", listing("/xwdt/", fresh) + '<a href="/xwdt/">工作动态</a>'
                        f'<a href="/jump?url={foreign.base}/tzgg/">通知公告</a>')),
        "/xwdt/": (200, page("工作动态_测试市", listing("/xwdt/", fresh), "工作动态")),
        **{f"/xwdt/{i}.html": (200, page(f"关于第{i}项工作的通知公告内容", article("工作动态", d), "工作动态")) for i, d in enumerate(fresh)},
    })
    threading.Thread(target=ours.serve_forever, daemon=True).start()
    yield ours, foreign
    ours.shutdown()
    foreign.shutdown()


def test_redirect_to_another_host_is_not_our_column_document_or_dead_link(tmp_path, sites):
    ours, foreign = sites
    cfg = write_config(tmp_path / "c.yaml", {"allow_private": True})
    out = tmp_path / "out"
    proc = run_cli("audit", ours.base + "/", "--as-of", "2026-11-21", "--out", str(out), "--config", str(cfg))
    assert proc.returncode == 0, proc.stderr
    db = sqlite3.connect(out / "govaudit.sqlite")
    # The jump was followed and stored (the crawl is the record), ...
    assert db.execute("SELECT count(*) FROM fetches WHERE final_url LIKE ?", [foreign.base + "%"]).fetchone()[0] >= 1
    # ... but nothing of the foreign host is judged as ours.
    findings = [json.loads(l) for l in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    for f in findings:
        text = json.dumps(f, ensure_ascii=False)
        assert foreign.base not in text and "/jump" not in text, f
    inv = {k: json.loads(v) for k, v in db.execute("SELECT kind, data FROM inventory").fetchall()}
    for kind in ("columns", "documents"):
        text = json.dumps(inv.get(kind, []), ensure_ascii=False)
        assert foreign.base not in text and "/jump" not in text, (kind, text[:500])
    assert not [f for f in findings if f["check"] in ("stale_homepage", "stale_column")]
