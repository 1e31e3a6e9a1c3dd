"""Small changes to Scrapy's own downloader middlewares that a link auditor needs."""
from __future__ import annotations

import asyncio
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware

from .parking import parked


class CheckingRedirectMiddleware(RedirectMiddleware):
    """Follow redirects past the duplicate filter.

    Scrapy gives a redirected request its original's ``dont_filter``; a link that redirects to
    a page already crawled would then be dropped silently and never get a result.
    """

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        redirected = super()._redirect(redirected, request, reason)
        redirected.dont_filter = True
        return redirected


class RetryBackoffMiddleware:
    """Wait before each retry (base × 2^n, capped): a struggling server gets time to recover.

    Scrapy's RetryMiddleware re-queues at once; a 503 from an overloaded government server is
    likely to come back 503 if asked again within milliseconds.
    """

    def __init__(self, base: float, cap: float, crawler=None) -> None:
        self.base = base
        self.cap = cap
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(s.getfloat("GOVAUDIT_RETRY_BACKOFF", 1.0), s.getfloat("GOVAUDIT_RETRY_BACKOFF_MAX", 30.0), crawler)

    async def process_request(self, request: Request, spider=None) -> None:
        tries = request.meta.get("retry_times", 0)
        if tries and self.base > 0:
            # The wait is spent parked (parking.py): a retry does not hold a place of the crawl.
            with parked(self.crawler, request):
                await asyncio.sleep(min(self.cap, self.base * 2 ** (tries - 1)))
        return None
