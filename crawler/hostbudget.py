"""Requests per failing host: after a host has failed N times, its other links are reported
from the host's state instead of being requested again.

5,000 links to dead external hosts cost six requests each (robots.txt, HEAD, GET and their
retries). This downloader middleware remembers, per crawl, the host-level failures (DNS,
refused, TLS, timeout) of other sites' servers (host *and port*: two servers on one address
are two servers) and, once one has ``GOVAUDIT_MAX_HOST_FAILURES`` of them, refuses
further requests to it with :class:`HostDown`, which carries the host's own error class, so
the link is reported as what the host is ("域名无法解析", "连接被拒绝"), never retried.
The site's own hosts are never judged this way: a busy server refusing a few requests says
nothing about its other pages, and each of them is a finding of its own.
"""
from __future__ import annotations

import asyncio
from collections import defaultdict
from urllib.parse import urlsplit

from scrapy import Request

from . import budgets
from .errors import HostDown, classify_exception
from .guard import own_hosts
from .parking import parked

HOST_LEVEL = frozenset({"dns", "refused", "tls", "timeout"})


class HostBudgetMiddleware:
    def __init__(self, crawler, max_failures: int, robots_timeout: float = 3.0) -> None:
        self.crawler = crawler
        self.max_failures = max_failures
        self.robots_timeout = robots_timeout
        self.answered: set[str] = set()  # servers that gave any HTTP answer in this crawl
        self.in_flight: dict[str, int] = defaultdict(int)
        self.failures: dict[str, int] = defaultdict(int)
        self.last: dict[str, tuple[str, str]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler, budgets.limit(crawler.settings, "GOVAUDIT_MAX_HOST_FAILURES"),
                 crawler.settings.getfloat("GOVAUDIT_OTHER_ROBOTS_TIMEOUT", 3.0))
        crawler.govaudit_host_budget = mw  # asked again when the download starts (handlers.py)
        return mw

    def _own(self, host: str) -> bool:
        spider = self.crawler.spider
        return host in own_hosts(getattr(spider, "start_url", "") or "", self.crawler.settings.getlist("GOVAUDIT_EXTRA_HOSTS"))

    @staticmethod
    def _server(url: str) -> tuple[str, str]:
        """(host name, host:port) of a URL."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return host, f"{host}:{port}"

    def process_request(self, request: Request, spider=None) -> None:
        name, host = self._server(request.url)
        if self._others_robots(request, name):
            # Another site's robots.txt is asked once: its failure already counts against the
            # host here, and a robots.txt that cannot be read means "allowed" (Scrapy), so a
            # retry only holds every link to a dead host back by two more timeouts.
            request.meta.setdefault("dont_retry", True)
            # Nor is it given the full download timeout: every link to that host waits for it,
            # so a host that never answers would cost its links two timeouts (robots.txt, then
            # the link). An unreadable robots.txt means "allowed"; the link itself still gets the
            # full timeout, so nothing is judged on this shorter wait.
            if self.robots_timeout > 0:
                timeout = request.meta.get("download_timeout") or self.crawler.settings.getfloat("DOWNLOAD_TIMEOUT", 180)
                request.meta["download_timeout"] = min(float(timeout), self.robots_timeout)
        self.refuse_if_down(request, host)
        return None

    def refuse_if_down(self, request: Request, host: str | None = None) -> None:
        """Raise HostDown when the request's server has failed often enough."""
        host = host or self._server(request.url)[1]
        if self.max_failures > 0 and self.failures.get(host, 0) >= self.max_failures:
            error_class, message = self.last[host]
            budgets.hit(self.crawler.stats, "GOVAUDIT_MAX_HOST_FAILURES")
            raise HostDown(error_class, f"该主机此前 {self.failures[host]} 次访问均失败，未再访问：{message}"[:500])

    async def admit(self, request: Request) -> None:
        """At the moment of sending: refuse a request to a host that is down, and hold one to
        a host under suspicion (it failed, never answered) while the failures counted and the
        requests still out would together prove it down. Without the hold, a dead host's queued
        links go out as its first failures come back — each still waits a full timeout, a whole
        extra round when the first requests went out a little apart — before the failures are
        all counted. The wait is parked: it holds no place of the crawl."""
        name, host = self._server(request.url)
        self.refuse_if_down(request, host)
        if self.held(name, host):
            with parked(self.crawler, request):
                while self.held(name, host):
                    await asyncio.sleep(0.05)
                    self.refuse_if_down(request, host)
        self.in_flight[host] += 1

    def held(self, name: str, host: str) -> bool:
        """A request to this server waits: if every request still out fails too, the host is
        down and this one would be refused anyway; if one answers, it goes."""
        return (self.max_failures > 0 and self._suspect(name, host)
                and self.failures[host] + self.in_flight[host] >= self.max_failures)

    def done(self, request: Request, answered: bool) -> None:
        """The download ended (after ``record_failure`` when it failed)."""
        host = self._server(request.url)[1]
        self.in_flight[host] -= 1
        if answered:
            self.answered.add(host)

    def _others_robots(self, request: Request, name: str) -> bool:
        """Another site's robots.txt, asked by Scrapy's robots.txt middleware."""
        return bool(request.meta.get("dont_obey_robotstxt")) and request.url.endswith("/robots.txt") and not self._own(name)

    def _suspect(self, name: str, host: str) -> bool:
        return self.failures.get(host, 0) > 0 and host not in self.answered and not self._own(name)

    def process_exception(self, request: Request, exception: BaseException, spider=None) -> None:
        self.record_failure(request, exception)
        return None

    def record_failure(self, request: Request, exception: BaseException) -> None:
        """Count a host-level failure once per download: our HTTP handler counts it first, as it
        happens (handlers.py); the middleware counts the failures of downloads that did not go
        through that handler (a browser-rendered page, another download handler)."""
        if isinstance(exception, HostDown):
            return  # our own refusal is not another failure of the host
        attempt = request.meta.get("retry_times", 0)  # a retry is a new download, counted again
        if request.meta.get("_ga_failure_counted") == attempt:
            return
        request.meta["_ga_failure_counted"] = attempt
        name, host = self._server(request.url)
        error_class, message = classify_exception(exception)
        if error_class == "timeout" and self._others_robots(request, name):
            return  # timed out on the shortened robots.txt wait only: not a full timeout of the host
        if error_class in HOST_LEVEL and not self._own(name):
            self.failures[host] += 1
            self.last[host] = (error_class, message)
