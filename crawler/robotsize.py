"""Bound the size of robots.txt: 200,000 rules made every request pay O(rules).

Scrapy's RobotsTxtMiddleware fetches robots.txt with ``dont_obey_robotstxt``; this downloader
middleware gives that request ``download_maxsize = GOVAUDIT_MAX_ROBOTS_BYTES``. A larger file
is cancelled, which RobotsTxtMiddleware treats as "no robots.txt" (everything allowed), and
the budget hit is counted for the report.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request

from . import budgets
from .errors import classify_exception


def is_robots_request(request: Request) -> bool:
    return bool(request.meta.get("dont_obey_robotstxt")) and urlsplit(request.url).path == "/robots.txt" \
        and "ga" not in request.meta


class RobotsSizeMiddleware:
    def __init__(self, crawler, max_bytes: int) -> None:
        self.crawler = crawler
        self.max_bytes = max_bytes

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, budgets.limit(crawler.settings, "GOVAUDIT_MAX_ROBOTS_BYTES"))

    def process_request(self, request: Request, spider=None) -> None:
        if self.max_bytes > 0 and is_robots_request(request):
            request.meta["download_maxsize"] = self.max_bytes
        return None

    def process_exception(self, request: Request, exception: BaseException, spider=None) -> None:
        if is_robots_request(request) and classify_exception(exception)[0] == "too_large":
            budgets.hit(self.crawler.stats, "GOVAUDIT_MAX_ROBOTS_BYTES")
        return None
