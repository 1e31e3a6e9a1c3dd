"""Re-checking one item against a real local HTTP server: the guard on every redirect hop, a
document's validity field, a column's newest date, a soft 404 — and only stored URLs are fetched."""
from __future__ import annotations

import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from govaudit import recheck
from govaudit.returned import ReturnedRow
from govaudit.review import match

DOC = """<html><head><meta charset="utf-8"><title>关于印发某某办法的通知</title></head><body>
<table class="xxgk"><tr><td>索引号：</td><td>001/2026-00012</td><td>发布机构：</td><td>临川市教育局</td></tr>
<tr><td>发文字号：</td><td>临教发〔2026〕3号</td><td>有效性：</td><td>{validity}</td></tr>
<tr><td>成文日期：</td><td>2026-01-05</td><td>发布日期：</td><td>2026-01-06</td></tr></table>
<div class="content"><p>各县（区）教育局：现将《某某办法》印发给你们，请认真贯彻执行。</p></div></body></html>"""
LIST = """<html><head><meta charset="utf-8"><title>通知公告_临川市教育局网站</title></head><body>
<div class="position">您的位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a></div>
<div class="list"><ul class="news-list">{items}</ul></div></body></html>"""
ITEM = '<li><a href="/tzgg/{n}.html">关于做好第{n}项工作的通知</a><span class="date">{d}</span></li>'


class Site:
    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, dict, str]] = {}
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                site.hits.append(self.path)
                status, headers, body = site.pages.get(self.path, (404, {}, "<html><body>404 Not Found</body></html>"))
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def test_redirect_into_a_private_address_is_refused_on_every_hop(site):
    site.pages["/go"] = (302, {"Location": f"http://127.0.0.1:{site.port}/secret"}, "")
    site.pages["/secret"] = (200, {}, "<html><body>intranet</body></html>")
    fetcher = recheck.Fetcher({"localhost"})  # the audited site is "localhost"; 127.0.0.1 is someone else
    f = fetcher.get(f"http://localhost:{site.port}/go")
    assert f.error_class == "blocked_private" and "/secret" not in site.hits
    ok = recheck.Fetcher({"localhost", "127.0.0.1"}).get(f"http://localhost:{site.port}/go")
    assert ok.status == 200 and ok.redirects and ok.redirects[0][1] == 302


def test_document_validity_and_column_date_are_read_with_the_crawler_extractors(site):
    base = f"http://127.0.0.1:{site.port}"
    site.pages["/doc.html"] = (200, {}, DOC.format(validity="有效"))
    site.pages["/doc2.html"] = (200, {}, DOC.format(validity=""))
    site.pages["/tzgg/"] = (200, {}, LIST.format(items=ITEM.format(n=1, d="2026-11-20") + ITEM.format(n=2, d="2026-03-01")))
    fetcher = recheck.Fetcher({"127.0.0.1"})
    day = date(2026, 11, 28)
    r = recheck.recheck({"check": "missing_validity", "url": base + "/doc.html", "data": {}}, fetcher, day)
    assert (r.conclusion, r.data["validity"]) == ("属实", "有效")
    r = recheck.recheck({"check": "missing_validity", "url": base + "/doc2.html", "data": {}}, fetcher, day)
    assert r.conclusion == "不属实"
    col = {"check": "stale_column", "url": base + "/tzgg/", "data": {"window_days": 14}}
    r = recheck.recheck(col, fetcher, day)
    assert (r.conclusion, r.data["newest_date"]) == ("属实", "2026-11-20")
    r = recheck.recheck(col, fetcher, date(2026, 12, 28))
    assert r.conclusion == "不属实" and "2026-11-20" in r.evidence
    gone = recheck.recheck({"check": "stale_column", "url": base + "/nothing/", "data": {"window_days": 14}}, fetcher, day)
    assert gone.conclusion == "无法复核"  # never 属实 when the page cannot be read


def test_rows_are_tied_to_stored_findings_only():
    stored = [{"check": "dead_link", "url": "http://a.example/x", "identity": "dead_link|http://a.example/x"}]
    titles = {"链接不可用": "dead_link"}
    row = ReturnedRow("f.xlsx", "s", 2, {"问题类型": "链接不可用", "链接地址": "http://a.example/x/"})
    assert match(row, stored, titles) is stored[0]
    typed_in = ReturnedRow("f.xlsx", "s", 3, {"问题类型": "链接不可用", "链接地址": "http://10.0.0.1/admin"})
    assert match(typed_in, stored, titles) is None
