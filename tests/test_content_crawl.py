"""The content checks end to end on a small hand-made site: a real HTTP server on 127.0.0.1 and the real
CLI (no network beyond it). Attachments that are hostile or unreadable — a text-less scanned PDF, a file
over the size limit, a zip bomb, a corrupt .docx — cost one attachment each, never the crawl, and never
become dead links; the masked samples are the only trace of a leaked number anywhere in the output."""
from __future__ import annotations

import io
import json
import sqlite3
import zipfile

import pytest

import portal
from demo.server import serve_pair

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id(body17: str) -> str:
    return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, _W)) % 11]


IDS = [_id(f"3601021980010{i}12{i}") for i in range(1, 5)]
MOBILES = ["13907910238", "15879102246", "13767912097", "18979016631"]
NAV = "".join(f'<li><a href="/col/c{i}/index.html">栏目{i}号</a></li>' for i in range(16))
FOOT = '<a href="http://www.hanweb.com" style="display:none">Produced By 大汉网络</a>'


def _page(title: str, body: str, pub: str = "2026-11-10") -> str:
    return (f'<html><head><meta charset="utf-8"><title>{title}</title><meta name="PubDate" content="{pub}"></head>'
            f'<body><ul class="nav">{NAV}<li><a href="/hdjl/xzxx/index.html">县长信箱</a></li></ul>'
            f'<h1>{title}</h1><div id="zoom">{body}</div>{FOOT}</body></html>')


def _scanned_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 300, 300, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(40):  # 40 MB of zeros, ~40 KB compressed
                member.write(chunk)
    return buf.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("content_site")
    (root / "attach").mkdir()
    (root / "hdjl" / "xzxx").mkdir(parents=True)
    csv = "姓名,身份证号码,联系电话\n" + "".join(f"居民{i},{IDS[i]},{MOBILES[i]}\n" for i in range(4))
    (root / "attach" / "names.csv").write_text(csv, encoding="utf-8-sig")
    (root / "attach" / "scan.pdf").write_bytes(_scanned_pdf())
    (root / "attach" / "big.xlsx").write_bytes(b"PK\x03\x04" + b"\x01" * 300_000)
    (root / "attach" / "bomb.xlsx").write_bytes(_bomb())
    (root / "attach" / "broken.docx").write_bytes(b"PK\x03\x04 not really a document" * 20)
    links = ('<a href="/attach/names.csv">困难群众救助对象名单.csv</a> <a href="/attach/scan.pdf">救助对象名单（盖章扫描件）.pdf</a> '
             '<a href="/attach/big.xlsx">2025年统计年报.xlsx</a> <a href="/attach/bomb.xlsx">2025年财政数据.xlsx</a> '
             '<a href="/attach/broken.docx">工作总结.docx</a>')
    hidden = '<div style="position:absolute;left:-9999px"><a href="http://127.0.0.2:9/seo.html">企业名录</a></div>'
    (root / "art.html").write_text(_page("关于2026年困难群众救助对象的公示", links + hidden), encoding="utf-8")
    rows = "".join(f'<tr><td><a href="/hdjl/xzxx/{n}.html">来信{n}</a></td><td>{d}</td><td>{s}</td></tr>'
                   for n, d, s in ((1, "2026-06-01", "未回复"), (2, "2026-11-01", "已回复")))
    (root / "hdjl" / "xzxx" / "index.html").write_text(_page(
        "县长信箱", f"<table><tr><th>标题</th><th>留言时间</th><th>状态</th></tr>{rows}</table>"), encoding="utf-8")
    for n in (1, 2):
        (root / "hdjl" / "xzxx" / f"{n}.html").write_text(_page(f"来信{n} - 县长信箱", "内容"), encoding="utf-8")
    (root / "index.html").write_text(_page("青溪县人民政府", '<a href="/art.html">关于2026年困难群众救助对象的公示</a>'
                                           '<p>县环保局开展检查。</p>'), encoding="utf-8")
    return root


def _audit(tmp, root, extra=None):
    server, ext = serve_pair(root, portal.DEMO / "external")
    try:
        cfg = portal.write_config(tmp / "config.yaml", extra={"content": {"attachments": {"max_bytes": 200_000}}, **(extra or {})})
        out = tmp / "out"
        proc = portal.run_cli("audit", server.base_url + "/", "--as-of", "2026-11-21", "--out", str(out), "--config", str(cfg))
    finally:
        ext.shutdown()
        server.shutdown()
    return portal.AuditResult(proc.returncode, out, proc.stderr, server.base_url, ext.base_url, server)


@pytest.fixture(scope="module")
def audit(site, tmp_path_factory):
    return _audit(tmp_path_factory.mktemp("content_audit"), site)


def test_the_crawl_completes_whatever_the_attachments_hold(audit):
    assert audit.code == 0, audit.stderr
    db = sqlite3.connect(audit.out / "govaudit.sqlite")
    rows = {audit.path(u): (s, k) for u, s, k in db.execute("SELECT url, status, kind FROM attachments")}
    assert rows == {"/attach/names.csv": ("ok", "csv"), "/attach/scan.pdf": ("no_text", "pdf"),
                    "/attach/big.xlsx": ("too_large", "xlsx"), "/attach/bomb.xlsx": ("too_large", "xlsx"),
                    "/attach/broken.docx": ("failed", "docx")}
    statuses = {audit.path(u): s for u, s in db.execute("SELECT url, status FROM fetches WHERE url LIKE '%/attach/%'")}
    assert set(statuses.values()) == {200}  # read or not, every attachment answered: no dead link
    assert not [f for f in audit.findings() if f["check"] in ("dead_link", "unverifiable_link") and "/attach/" in f["url"]]


def test_privacy_findings_and_prompts(audit):
    got = {audit.path(f["url"]): f for f in audit.findings() if f["check"] == "privacy_leak"}
    assert set(got) == {"/attach/names.csv", "/attach/scan.pdf"}  # the unreadable 名单 only; not the 年报
    leak, scan = got["/attach/names.csv"], got["/attach/scan.pdf"]
    assert leak["severity"] == "high" and [audit.path(p) for p in leak["found_on"]] == ["/art.html"]
    assert {k["kind"]: k["count"] for k in leak["data"]["kinds"]} == {"id18": 4, "mobile": 4}
    assert scan["severity"] == "info" and "需人工核实" in scan["detail"]
    for name in ("findings.jsonl", "findings.csv", "report.html"):
        text = (audit.out / name).read_text(encoding="utf-8-sig")
        assert not any(n in text for n in IDS + MOBILES), name


def test_hidden_links_messages_and_wording(audit):
    by = lambda c: {audit.path(f["url"]): f for f in audit.findings() if f["check"] == c}  # noqa: E731
    hidden = by("hidden_link")
    assert {(k, f["severity"]) for k, f in hidden.items()} == {("http://127.0.0.2:9/seo.html", "high"),
                                                                 ("http://www.hanweb.com", "info")}
    (un,) = by("unanswered_message").values()
    assert audit.path(un["url"]) == "/hdjl/xzxx/1.html" and un["severity"] == "veto"
    assert [audit.path(p) for p in un["found_on"]] == ["/hdjl/xzxx/index.html"]
    assert not by("no_message_channel") and not by("stale_replies")
    (we,) = by("wrong_expression").values()
    assert we["data"]["wrong"] == "环保局" and we["severity"] == "veto"


def test_content_off_reads_nothing(site, tmp_path):
    result = _audit(tmp_path, site, {"content": {"enabled": False}})
    assert result.code == 0, result.stderr
    checks = {f["check"] for f in result.findings()}
    assert not checks & {"privacy_leak", "hidden_link", "wrong_expression", "unanswered_message", "stale_replies",
                         "no_message_channel"}
    db = sqlite3.connect(result.out / "govaudit.sqlite")
    assert db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    assert ("GET", "/attach/bomb.xlsx") not in result.server.log  # link checked by HEAD only
