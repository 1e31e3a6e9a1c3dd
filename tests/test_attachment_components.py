"""The attachment components on their own (no crawl): AttachmentFetchMiddleware decides which check
requests fetch a whole body and with what link context; read_attachment (AttachmentScanPipeline's work)
turns a body into an ``attachments`` row with masked findings only, and never raises."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured, StopDownload
from scrapy.http import Response
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from govaudit.crawler.attachment_fetch import AttachmentFetchMiddleware
from govaudit.crawler.attachment_scan import AttachmentScanPipeline, read_attachment
from govaudit.crawler.content import ContentOptions
from govaudit.crawler.spider import PortalSpider

P7 = Path(__file__).parent / "fixtures" / "portal7" / "attach" / "0"
SITE = "http://www.site.test"
LEAKED = ["330199195203140019", "13905710238"]


def _crawler(content=None):
    crawler = get_crawler(PortalSpider, settings_dict={"GOVAUDIT_CONTENT": content or {}})
    crawler.spider = PortalSpider.from_crawler(crawler, url=SITE + "/")
    return crawler


def _check(url, method="HEAD"):
    return Request(url, method=method, meta={"ga": {"key": url, "role": "check", "depth": 1, "method": method},
                                             "download_maxsize": 2 * 1024 * 1024})


def test_internal_attachment_checks_become_whole_gets_with_their_link_context():
    crawler = _crawler()
    mw = build_from_crawler(AttachmentFetchMiddleware, crawler)
    page = Response(SITE + "/art/1.html", request=Request(SITE + "/art/1.html", meta={"ga": {"key": SITE + "/art/1.html", "role": "page"}}))
    att, ext, img = SITE + "/attach/名单.xlsx", "http://other.test/a.xlsx", SITE + "/img/a.png"
    out = list(mw.process_spider_output(page, [
        {"_table": "pages", "url": SITE + "/art/1.html", "title": "关于低保对象的公示"},
        {"_table": "links", "rows": [{"source": SITE + "/art/1.html", "target": att, "anchor": "1.低保对象名单.xlsx"}]},
        _check(att), _check(ext), _check(img)], crawler.spider))
    assert [type(x).__name__ for x in out] == ["dict", "dict", "Request", "Request", "Request"]
    req, ext_req, img_req = out[2:]
    assert req.method == "GET" and req.meta["ga"]["scan"] and req.meta["download_maxsize"] > 20 * 1024 * 1024
    assert req.meta["ga"]["anchor"] == "1.低保对象名单.xlsx" and "公示" in req.meta["ga"]["context"]
    assert ext_req.method == "HEAD" and "scan" not in ext_req.meta["ga"]  # another site's content is not read
    assert img_req.method == "HEAD" and "scan" not in img_req.meta["ga"]


def test_a_scan_response_becomes_a_body_item_and_the_budget_stops_big_ones():
    crawler = _crawler({"attachments": {"max_bytes": 1000}})
    mw = build_from_crawler(AttachmentFetchMiddleware, crawler)
    req = list(mw.process_spider_output(None, [_check(SITE + "/a.csv")], crawler.spider))[0]
    resp = Response(SITE + "/a.csv", status=200, body=b"a,b\n", request=req)
    out = list(mw.process_spider_output(resp, [{"_table": "fetches", "url": SITE + "/a.csv"}], crawler.spider))
    assert out[-1]["_table"] == "attachment_body" and out[-1]["body"] == b"a,b\n" and not out[-1]["stopped"]
    with pytest.raises(StopDownload):
        mw.on_headers({b"Content-Length": b"5000"}, 0, req, crawler.spider)
    other = list(mw.process_spider_output(None, [_check(SITE + "/b.pdf")], crawler.spider))[0]
    mw.on_bytes(b"x" * 600, other, crawler.spider)
    with pytest.raises(StopDownload):
        mw.on_bytes(b"x" * 600, other, crawler.spider)
    missing = Response(SITE + "/a.csv", status=404, body=b"", request=req)
    assert list(mw.process_spider_output(missing, [], crawler.spider)) == []


def test_content_off_disables_both_components():
    crawler = _crawler({"enabled": False})
    for cls in (AttachmentFetchMiddleware, AttachmentScanPipeline):
        with pytest.raises(NotConfigured):
            build_from_crawler(cls, crawler)


@pytest.mark.parametrize("name", ["2611121530123.xlsx", "2611121530124.docx", "2611121530125.csv"])
def test_the_leaked_lists_are_read_and_masked(name):
    row = read_attachment({"url": f"{SITE}/attach/0/{name}", "body": (P7 / name).read_bytes(),
                           "anchor": "新增低保对象名单", "context": "新增低保对象名单 关于最低生活保障新增对象的公示"}, ContentOptions())
    assert row["status"] == "ok" and row["_table"] == "attachments"
    kinds = {k["kind"]: k["count"] for k in json.loads(row["privacy"])}
    assert kinds == {"id18": 6, "mobile": 6}
    assert not any(n in json.dumps(row, ensure_ascii=False) for n in LEAKED)


def test_the_masked_list_is_not_a_leak():
    row = read_attachment({"url": f"{SITE}/attach/0/2610121010456.xlsx", "body": (P7 / "2610121010456.xlsx").read_bytes(),
                           "context": "10月低保对象名单 公示"}, ContentOptions())
    assert row["status"] == "ok" and json.loads(row["privacy"]) == []


def test_a_scanned_pdf_says_no_text():
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 200, 200, fill=1)  # a picture, no text: what a scanner writes
    c.showPage()
    c.save()
    row = read_attachment({"url": f"{SITE}/scan.pdf", "body": buf.getvalue(), "context": "名单"}, ContentOptions())
    assert (row["status"], row["kind"]) == ("no_text", "pdf") and "扫描件" in row["reason"]


@pytest.mark.parametrize("body, status", [(b"PK\x03\x04garbage" * 10, "failed"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "failed")])
def test_corrupt_files_are_a_row_not_an_exception(body, status):
    row = read_attachment({"url": f"{SITE}/x.xlsx", "body": body}, ContentOptions())
    assert row["status"] in (status, "unsupported") and row["reason"]


def test_a_stopped_download_is_too_large_without_reading():
    row = read_attachment({"url": f"{SITE}/big.xlsx", "body": b"PK\x03\x04", "stopped": True, "declared": 50 * 1048576},
                          ContentOptions())
    assert row["status"] == "too_large" and "50 MB" in row["reason"]
