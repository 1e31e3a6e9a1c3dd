"""Each crawler component on its own, built the way Scrapy builds it (no crawl)."""
from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError
from scrapy.http import HtmlResponse, Response
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from govaudit.crawler.classify import classify_response
from govaudit.crawler.errors import HostDown, PolicyRefused
from govaudit.crawler.headfallback import HeadFallbackMiddleware
from govaudit.crawler.hostbudget import HostBudgetMiddleware
from govaudit.crawler.robotsize import RobotsSizeMiddleware
from govaudit.crawler.rows import FetchRow
from govaudit.crawler.scope import ScopeMiddleware
from govaudit.crawler.spider import PortalSpider


def _crawler(**settings):
    crawler = get_crawler(PortalSpider, settings_dict=settings)
    crawler.spider = PortalSpider.from_crawler(crawler, url="http://www.site.test/")
    return crawler


def _decide(mw: ScopeMiddleware, spider: PortalSpider, target: str, tag: str = "a", depth: int = 1):
    return list(mw.decide_all(spider.propose(target, tag, depth)))


def test_scope_records_what_it_refuses_and_picks_page_or_check():
    crawler = _crawler(GOVAUDIT_MAX_URL_LENGTH=60, GOVAUDIT_MAX_QUERY_VARIANTS=2, GOVAUDIT_ALLOW_PRIVATE=False,
                       GOVAUDIT_MAX_PAGES=3)
    mw = build_from_crawler(ScopeMiddleware, crawler)
    spider = crawler.spider
    (page,) = _decide(mw, spider, "http://www.site.test/a.html")
    assert isinstance(page, Request) and page.meta["ga"]["role"] == "page"
    (check,) = _decide(mw, spider, "http://other.test/x.pdf")
    assert check.method == "HEAD" and check.meta["ga"]["role"] == "check"
    (row,) = _decide(mw, spider, "http://www.site.test/" + "x" * 80)
    assert row["_table"] == "fetches" and row["error_class"] == "not_checked"
    (row,) = _decide(mw, spider, "http://１０．０．０．１/admin")
    assert row["error_class"] == "blocked_private"
    outs = [_decide(mw, spider, f"http://www.site.test/a.png?v={i}", tag="img")[0] for i in range(4)]
    assert [isinstance(o, Request) for o in outs] == [True, True, False, False]
    pages = [_decide(mw, spider, f"http://www.site.test/p{i}.html")[0] for i in range(4)]
    assert [p.meta["ga"]["role"] for p in pages][-1] == "check"  # past the page budget: checked, not read
    assert crawler.stats.get_value("govaudit/budget/query_variants") == 2
    assert crawler.stats.get_value("govaudit/budget/pages")


def test_scope_external_off_is_a_row_not_a_silent_drop():
    crawler = _crawler(GOVAUDIT_CHECK_EXTERNAL=False)
    mw = build_from_crawler(ScopeMiddleware, crawler)
    (row,) = _decide(mw, crawler.spider, "http://other.test/")
    assert row["error_class"] == "out_of_scope"


def test_head_refused_is_asked_again_with_get():
    crawler = _crawler()
    mw = build_from_crawler(HeadFallbackMiddleware, crawler)
    head = crawler.spider.check_request("http://other.test/f.pdf", 1, method="HEAD")
    again = mw.process_response(head, Response(head.url, status=405, request=head))
    assert isinstance(again, Request) and again.method == "GET" and again.meta["ga"]["head_refused"]
    ok = Response(head.url, status=200, request=head)
    assert mw.process_response(head, ok) is ok
    assert mw.process_exception(head, PolicyRefused("no")) is None  # a decision is never asked again


def test_classify_is_a_pure_function_over_a_response():
    req = Request("http://www.site.test/gone.html")
    html = "<html><head><title>页面不存在</title></head><body>抱歉，您访问的页面不存在</body></html>"
    page = classify_response(HtmlResponse(req.url, body=html.encode(), encoding="utf-8", request=req))
    assert page.is_html and page.soft404 and not page.readable_page
    login = ("<html><head><title>政务服务</title></head><body><form>密码<input type='password'>验证码"
             "<input name='c'></form></body></html>")
    page = classify_response(HtmlResponse(req.url, body=login.encode(), encoding="utf-8", request=req))
    assert not page.challenge and page.readable_page


def test_a_failing_host_is_reported_from_its_state():
    crawler = _crawler(GOVAUDIT_MAX_HOST_FAILURES=2)
    mw = build_from_crawler(HostBudgetMiddleware, crawler)
    for i in range(2):
        req = Request(f"http://dead.test/a{i}")
        assert mw.process_request(req) is None
        mw.record_failure(req, CannotResolveHostError("dead.test"))  # the download handler, as it fails
        mw.process_exception(req, CannotResolveHostError("dead.test"))  # the same failure: counted once
    with pytest.raises(HostDown) as refused:
        mw.process_request(Request("http://dead.test/b"))
    assert refused.value.error_class == "dns"
    assert mw.process_request(Request("http://dead.test:8080/b")) is None  # another server
    for i in range(3):
        mw.process_exception(Request(f"http://www.site.test/x{i}"), CannotResolveHostError("x"))
    assert mw.process_request(Request("http://www.site.test/y")) is None  # never our own site
    # A refusal of ours is not one more failure of the host, and its message is the host's own.
    for _ in range(3):
        mw.process_exception(Request("http://dead.test/c"), refused.value)
    assert mw.failures["dead.test:80"] == 2
    with pytest.raises(HostDown) as again:
        mw.process_request(Request("http://dead.test/d"))
    assert again.value.args[0].count("次访问均失败") == 1


def test_a_suspect_host_gets_only_the_requests_that_can_prove_it_down():
    crawler = _crawler(GOVAUDIT_MAX_HOST_FAILURES=3)
    mw = build_from_crawler(HostBudgetMiddleware, crawler)
    first = [Request(f"http://dead.test/a{i}") for i in range(4)]
    for req in first:  # nothing known of the host yet: the first round goes out whole
        asyncio.run(mw.admit(req))
    assert not mw.held("dead.test", "dead.test:80")
    # The round's failures come back a little apart: while the failures counted and the
    # requests still out can prove the host down, no further request is sent.
    for req in first[:2]:
        mw.record_failure(req, DownloadTimeoutError("x"))
        mw.done(req, answered=False)
        assert mw.held("dead.test", "dead.test:80")
    assert not mw.held("dead.test", "dead.test:8080")  # another server
    # One answer clears the suspicion.
    ok = first[2]
    mw.done(ok, answered=True)
    assert not mw.held("dead.test", "dead.test:80")
    # With too few out to decide, the next request goes.
    other = build_from_crawler(HostBudgetMiddleware, _crawler(GOVAUDIT_MAX_HOST_FAILURES=3))
    lone = Request("http://slow.test/a")
    asyncio.run(other.admit(lone))
    other.record_failure(lone, DownloadTimeoutError("x"))
    other.done(lone, answered=False)
    assert not other.held("slow.test", "slow.test:80")


def test_another_sites_robots_txt_waits_less_than_a_link():
    crawler = _crawler(GOVAUDIT_OTHER_ROBOTS_TIMEOUT=5, DOWNLOAD_TIMEOUT=20)
    mw = build_from_crawler(HostBudgetMiddleware, crawler)
    other = Request("http://other.test/robots.txt", meta={"dont_obey_robotstxt": True, "download_timeout": 20})
    mw.process_request(other)
    assert other.meta["download_timeout"] == 5 and other.meta["dont_retry"]
    own = Request("http://www.site.test/robots.txt", meta={"dont_obey_robotstxt": True, "download_timeout": 20})
    mw.process_request(own)
    assert own.meta["download_timeout"] == 20 and "dont_retry" not in own.meta
    link = Request("http://other.test/a.html", meta={"download_timeout": 20})
    mw.process_request(link)
    assert link.meta["download_timeout"] == 20
    # Timing out on that shorter wait is not a failure of the host; a link's timeout is.
    mw.process_exception(other, DownloadTimeoutError("robots"))
    assert mw.failures["other.test:80"] == 0
    mw.process_exception(link, DownloadTimeoutError("link"))
    assert mw.failures["other.test:80"] == 1


def test_robots_txt_gets_a_size_limit():
    crawler = _crawler(GOVAUDIT_MAX_ROBOTS_BYTES=1000)
    mw = build_from_crawler(RobotsSizeMiddleware, crawler)
    robots = Request("http://other.test/robots.txt", meta={"dont_obey_robotstxt": True})
    mw.process_request(robots)
    assert robots.meta["download_maxsize"] == 1000
    page = Request("http://other.test/robots.txt", meta={"ga": {"key": "x"}})
    mw.process_request(page)
    assert "download_maxsize" not in page.meta


def test_rows_are_dataclasses_with_the_store_shape():
    item = FetchRow(url="http://a/", error_class="dns").item()
    assert item["_table"] == "fetches" and item["challenge"] == 0 and item["redirects"] == "[]"


def test_one_site_identity_rule_and_an_offline_registrable_domain(monkeypatch):
    import socket

    from govaudit.crawler.site import is_site_host, registrable_domain, site_hosts

    def no_network(*a, **k):
        raise AssertionError("tldextract must not fetch the suffix list")

    monkeypatch.setattr(socket, "create_connection", no_network)
    hosts = site_hosts("http://example.gov.cn/", ["news.example.gov.cn"])
    assert is_site_host("www.example.gov.cn", hosts) and is_site_host("www.news.example.gov.cn", hosts)
    assert not is_site_host("other.example.gov.cn", hosts)
    assert registrable_domain("www.haidian.beijing.gov.cn") == "beijing.gov.cn"
    assert registrable_domain("www.intranet.test") == "intranet.test"
