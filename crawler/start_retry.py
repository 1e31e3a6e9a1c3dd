"""Try the start URL once more, after a pause, when its first attempt fails with a DNS error or
a refused connection.

Such failures at the very start are often passing (a resolver hiccup, a server restarting at
night), and the verdict they lead to is the heaviest one, 站点无法访问 (a veto). Scrapy's own
retries come within a second or two; this waits ``GOVAUDIT_START_RETRY_DELAY`` seconds (the
crawl: start_retry_delay setting, 0 turns it off) before anything is called unreachable.
"""
from __future__ import annotations

import asyncio

from scrapy import Request
from twisted.internet import error as txerror

from .parking import parked

RETRIED = "govaudit_start_retried"
PAUSE = "govaudit_start_pause"
PASSING = (txerror.DNSLookupError, txerror.ConnectionRefusedError)


class StartRetryMiddleware:
    def __init__(self, delay: float, stats=None, crawler=None) -> None:
        self.delay = delay
        self.stats = stats
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getfloat("GOVAUDIT_START_RETRY_DELAY", 5.0), crawler.stats, crawler)

    async def process_request(self, request: Request, spider=None) -> None:
        pause = request.meta.pop(PAUSE, 0)
        if pause:
            with parked(self.crawler, request):
                await asyncio.sleep(pause)
        return None

    def process_exception(self, request: Request, exception: BaseException, spider=None) -> Request | None:
        ga = request.meta.get("ga") or {}
        if self.delay <= 0 or request.meta.get(RETRIED) or not (ga.get("home") and ga.get("depth") == 0):
            return None
        if not isinstance(exception, PASSING):
            return None
        if self.stats is not None:
            self.stats.inc_value("govaudit/start_retry")
        retry = request.replace(dont_filter=True)
        retry.meta[RETRIED] = True
        retry.meta[PAUSE] = self.delay
        return retry
