"""Which targets the crawl may request, and how: the scope policy as a spider middleware.

The spider proposes every new target as a Request marked ``ga["propose"]``; this middleware
decides, in the style of Scrapy's own spider middlewares (built with from_crawler, enabled in
settings): a URL too long, a private address (judged on the host as Scrapy will request it,
after IDNA), a query-variant trap (pages and resources alike), the page budget and depth
(past them a page is only checked, not read), the checks budget, and external links when
``GOVAUDIT_CHECK_EXTERNAL`` is off. What it refuses is not dropped: it becomes a fetch row
saying why, so the report can say "未检查" instead of silently missing the link.
The guard (guard.py) still judges every connection; this is the early, cheap decision.
"""
from __future__ import annotations

from typing import Any, AsyncIterator, Iterable
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from scrapy import Request

from . import budgets
from .links import is_resource
from .rows import FetchRow

#: Tags whose links are navigation we follow; others (img, script, link…) are resources.
FOLLOW_TAGS = frozenset({"a", "area", "iframe", "frame", "meta", "option"})


_BY_CRAWLER: "WeakKeyDictionary[Any, ScopeMiddleware]" = WeakKeyDictionary()


def scope_of(crawler) -> "ScopeMiddleware":
    """The crawler's scope policy, for requests that reach the engine outside the spider
    middleware chain (scrapy-redis seeds fed from spider_idle)."""
    return _BY_CRAWLER.get(crawler) or ScopeMiddleware.from_crawler(crawler)


class ScopeMiddleware:
    def __init__(self, crawler) -> None:
        s = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.max_pages = s.getint("GOVAUDIT_MAX_PAGES", 20000)
        self.max_depth = s.getint("GOVAUDIT_MAX_DEPTH", 12)
        self.max_url_length = s.getint("GOVAUDIT_MAX_URL_LENGTH", 1024)
        self.max_query_variants = s.getint("GOVAUDIT_MAX_QUERY_VARIANTS", 50)
        self.max_checks = budgets.limit(s, "GOVAUDIT_MAX_CHECKS")
        self.check_external = s.getbool("GOVAUDIT_CHECK_EXTERNAL", True)

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler)
        _BY_CRAWLER[crawler] = mw
        return mw

    # -- spider middleware ---------------------------------------------------------------------

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for thing in start:
            for out in self.decide_all([thing]):
                yield out

    def process_spider_output(self, response, result: Iterable[Any], spider=None) -> Iterable[Any]:
        yield from self.decide_all(result)

    async def process_spider_output_async(self, response, result, spider=None):
        async for thing in result:
            for out in self.decide_all([thing]):
                yield out

    # -- policy --------------------------------------------------------------------------------

    def decide_all(self, things: Iterable[Any]) -> Iterable[Any]:
        for thing in things:
            if isinstance(thing, Request) and (thing.meta.get("ga") or {}).get("propose"):
                yield from self.decide(thing)
            else:
                yield thing

    def _refuse(self, spider, url: str, error_class: str, message: str) -> dict:
        return FetchRow(url=url, error_class=error_class, error=message,
                        internal=int(spider.is_internal(spider.host_of(url)))).item()

    def decide(self, request: Request) -> Iterable[Any]:
        """The proposed request as it should go out (page read, check, or nothing but a row)."""
        spider = self.crawler.spider
        ga = request.meta["ga"]
        ga.pop("propose", None)
        target, depth, tag = ga["key"], ga["depth"], ga.get("tag", "a")
        pagination = bool(ga.get("pagination"))
        host = spider.host_of(target)
        internal = spider.is_internal(host)
        if len(target) > self.max_url_length:
            yield self._refuse(spider, target, "not_checked", f"网址长度超过 {self.max_url_length} 个字符，未检查")
            return
        if not internal and not spider.allow_private and spider.is_private_host(spider.requested_host(target)):
            yield self._refuse(spider, target, "blocked_private", "指向内网、本机或保留地址，出于安全考虑未检查")
            return
        if not internal and not self.check_external:
            # Out of scope by configuration: recorded (so a reader sees why), never a finding.
            yield self._refuse(spider, target, "out_of_scope", "外部链接，按配置（check_external: false）未检查")
            return
        parts = urlsplit(target)
        if parts.query and spider.memory.incr(f"qv:{host}{parts.path}") > self.max_query_variants:
            # Pages and resources alike: 100,000 <img src=?v=N> are one trap too.
            budgets.hit(self.stats, "GOVAUDIT_MAX_QUERY_VARIANTS")
            yield self._refuse(spider, target, "not_checked",
                               f"同一路径的查询参数组合超过 {self.max_query_variants} 个（疑似日历或会话陷阱），未检查")
            return
        crawl = internal and tag in FOLLOW_TAGS and not is_resource(target)
        if crawl:
            if (depth <= self.max_depth or pagination) and spider.memory.incr("pages", limit=self.max_pages) <= self.max_pages:
                yield spider.page_request(target, depth, list_of=ga.get("list_of"))
                return
            if depth <= self.max_depth or pagination:
                budgets.hit(self.stats, "GOVAUDIT_MAX_PAGES")
        if spider.memory.incr("checks", limit=self.max_checks) > self.max_checks:
            budgets.hit(self.stats, "GOVAUDIT_MAX_CHECKS")
            yield self._refuse(spider, target, "not_checked", f"本次检查的链接数超过 {self.max_checks} 个上限，未检查")
            return
        yield spider.check_request(target, depth, method="HEAD" if is_resource(target) and not crawl else "GET")
