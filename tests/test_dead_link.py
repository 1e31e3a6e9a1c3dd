"""dead_link on the demo portal, served by a real HTTP server and audited by the real CLI."""
from __future__ import annotations

import csv
import json
import sqlite3

# path on the portal (or external site) -> the reason the finding must give
EXPECTED_DEAD = {
    "/zwgk/old/t20200101_1.html": "http_404",
    "/xxgk/deleted.html": "http_410",
    "/cgi/broken.jsp": "http_500",
    "/slow.html": "timeout",
    "/loop/a.html": "redirect_loop",
    "/moved/news.html": "redirect_to_error",
    "/redir404.html": "redirect_to_error",
    "/reset.html": "reset",
    "/xwzx/t20250101_999.html": "soft_404",
    "/uploads/2026/%E9%80%9A%E7%9F%A5%E9%99%84%E4%BB%B6.pdf": "http_404",
    "/images/banner_missing.jpg": "http_404",
}
EXPECTED_DEAD_ABSOLUTE = {
    "http://www.nonexistent-linchuan.invalid/": "dns",
    "https://beian.miit.gov.cn.invalid/": "dns",
    "http://127.0.0.1:1/": "refused",
}
NOT_DEAD = [
    "/old/index.html",  # 301 -> 302 -> 200
    "/busy.html",  # 503 twice, then 200
    "/files/guide.pdf",  # HEAD 405
    "/files/form.docx",  # HEAD connection reset
    "/files/data.xlsx",  # HEAD 403
    "/files/report.ofd",  # HEAD 501
    "/zwgk/%E6%94%BF%E7%AD%96%E6%96%87%E4%BB%B6%E6%B1%87%E7%BC%96.html",  # Chinese path, two spellings
    "/about.html",  # href wrapped in whitespace and newlines
    "/images/logo@2x.png",  # srcset candidate
    "/protected/",  # anti-bot challenge: unverifiable
    "/ratelimited.html",  # 429 after retries: unverifiable
    "/private/report.html",  # robots.txt: not checked
]


def test_every_dead_link_found_with_its_reason(demo_audit):
    dead = demo_audit.by_check("dead_link")
    expected = {demo_audit.url(p): r for p, r in EXPECTED_DEAD.items()}
    expected.update(EXPECTED_DEAD_ABSOLUTE)
    expected[demo_audit.ext + "/missing.html"] = "http_404"
    got = {u: f["data"]["reason"] for u, f in dead.items()}
    assert got == expected


def test_look_alikes_are_not_dead(demo_audit):
    dead = demo_audit.by_check("dead_link")
    for path in NOT_DEAD:
        assert demo_audit.url(path) not in dead, path


def test_unverifiable_links_are_reported_apart(demo_audit):
    unverifiable = demo_audit.by_check("unverifiable_link")
    assert unverifiable[demo_audit.url("/protected/")]["data"]["reason"] == "anti_bot"
    assert unverifiable[demo_audit.url("/ratelimited.html")]["data"]["reason"] == "anti_bot"
    assert unverifiable[demo_audit.url("/private/report.html")]["data"]["reason"] == "robots"


def test_findings_name_the_linking_pages_and_mark_home(demo_audit):
    home = demo_audit.url("/")
    f = demo_audit.by_check("dead_link")[demo_audit.url("/cgi/broken.jsp")]
    assert home in f["found_on"]
    assert f["data"]["on_home"] is True
    assert f["severity"] == "high"
    assert "公积金查询" in f["detail"]
    for f in demo_audit.findings():
        assert {"check", "url", "found_on", "severity", "detail"} <= f.keys()
        assert isinstance(f["found_on"], list)


def test_each_target_fetched_once_and_retries_recover(demo_audit):
    log = demo_audit.server.log
    gets = [p for m, p in log if m == "GET"]
    # a page linked from many pages is fetched once
    assert gets.count("/") == 1
    assert gets.count("/about.html") == 1
    # the 503 that recovers was retried until it answered
    assert gets.count("/busy.html") == 3
    # HEAD-hostile servers: HEAD, then one GET
    assert ("HEAD", "/files/report.ofd") in log and gets.count("/files/report.ofd") == 1
    # the site's own .pdf/.docx/.xlsx are read whole for personal data (issue 12): one GET, no HEAD
    assert gets.count("/files/guide.pdf") == 1 and ("HEAD", "/files/guide.pdf") not in log
    # resources whose HEAD works are never downloaded
    assert gets.count("/images/logo.png") == 0
    # commented-out links and robots-blocked pages are never requested
    assert all("commented-dead" not in p for _, p in log)
    assert "/private/report.html" not in gets
    # both spellings of the Chinese path are one target
    assert gets.count("/zwgk/政策文件汇编.html") == 1


def test_store_records_fetches_and_links(demo_audit):
    db = sqlite3.connect(demo_audit.out / "govaudit.sqlite")
    db.row_factory = sqlite3.Row
    redirect = db.execute("SELECT * FROM fetches WHERE url = ?", [demo_audit.url("/old/index.html")]).fetchone()
    assert redirect["status"] == 200
    assert redirect["final_url"] == demo_audit.url("/new/index.html")
    chain = json.loads(redirect["redirects"])
    assert [r[1] for r in chain] == [301, 302]
    link = db.execute("SELECT * FROM links WHERE target = ?", [demo_audit.url("/images/logo@2x.png")]).fetchone()
    assert link["attr"] == "srcset" and link["source_is_home"] == 1
    timeout = db.execute("SELECT error_class FROM fetches WHERE url = ?", [demo_audit.url("/slow.html")]).fetchone()
    assert timeout["error_class"] == "timeout"
    targets = {r[0] for r in db.execute("SELECT target FROM links")}
    assert not any(t.startswith(("mailto:", "javascript:", "tel:")) for t in targets)
    assert db.execute("SELECT status FROM runs").fetchone()["status"] == "complete"


def test_outputs_csv_and_html(demo_audit):
    raw = (demo_audit.out / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "问题类型"
    html = (demo_audit.out / "report.html").read_text(encoding="utf-8")
    assert "网站检查报告" in html and "链接不可用" in html
    assert demo_audit.code == 0, demo_audit.stderr
