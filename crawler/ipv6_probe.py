"""IPv6 status of the audited site, measured once per crawl (功能设计 · IPv6; checks/no_ipv6.py).

The extension starts :func:`govaudit.crawler.ipv6.ipv6_status` for the start URL's host when the
spider opens, in a thread (a name lookup and a connection attempt must not block the reactor),
and waits for it when the spider closes: the answer goes into the crawler's stats as
``govaudit/ipv6``, which ``govaudit.audit.run_stats`` stores as the run's ``stats.ipv6``.

Lookups follow the crawl's resolver: with the offline hosts resolver (tests, closed networks)
nothing is looked up and the status is 未检查; a host the hosts table maps to an IPv4 address is
未检查 too (the table says nothing about AAAA records). The whole measurement is bounded by
``GOVAUDIT_IPV6_TIMEOUT`` seconds (setting, else environment variable, default 5): past it the
status is 未检查, never guessed. Distributed runs measure in the coordinator (crawler/distributed.py),
once per run; workers leave it out (``GOVAUDIT_IPV6_PROBE = False``).
"""
from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any, Callable
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object

from .ipv6 import ipv6_status

STATS_KEY = "govaudit/ipv6"
DEFAULT_TIMEOUT = 5.0


def probe_timeout(settings: Any = None) -> float:
    """Seconds the measurement may take: the setting, else GOVAUDIT_IPV6_TIMEOUT, else 5."""
    raw = settings.get("GOVAUDIT_IPV6_TIMEOUT") if settings is not None else None
    if raw in (None, ""):
        raw = os.environ.get("GOVAUDIT_IPV6_TIMEOUT")
    try:
        value = float(raw) if raw not in (None, "") else DEFAULT_TIMEOUT
    except (TypeError, ValueError):
        value = DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def resolver_is_offline(settings: Any) -> bool:
    """Whether the crawl resolves names from its hosts table only (crawler/resolver.py)."""
    path = settings.get("TWISTED_DNS_RESOLVER") or ""
    try:
        return bool(getattr(load_object(path), "offline", False)) if path else False
    except (ImportError, AttributeError, ValueError, NameError):
        return False


def measure(start_url: str, *, hosts: dict | None = None, offline: bool = False, timeout: float = DEFAULT_TIMEOUT,
            lookup: Callable[..., list] = socket.getaddrinfo, route: bool | None = None) -> dict:
    """The IPv6 status of the start URL's host, as the crawl's resolver would see it."""
    parts = urlsplit(start_url)
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if not host:
        return {"status": "unchecked", "addresses": [], "detail": "起始网址缺少主机名，无法检查 IPv6"}
    table = {str(k).lower(): str(v) for k, v in (hosts or {}).items()}
    if host in table:
        try:
            mapped = ipaddress.ip_address(table[host].split("%")[0])
        except ValueError:
            mapped = None
        if mapped is None or mapped.version == 4:
            return {"status": "unchecked", "addresses": [],
                    "detail": f"主机 {host} 按 hosts 表解析（{table[host]}），未查询 AAAA 记录"}
        return ipv6_status(table[host], port, route=route, timeout=timeout)
    return ipv6_status(host, port, lookup=lookup, route=route, timeout=timeout, offline=offline)


def timed_out(timeout: float) -> dict:
    return {"status": "unchecked", "addresses": [], "detail": f"IPv6 检查在 {timeout:g} 秒内未完成"}


def failed(exc: BaseException) -> dict:
    return {"status": "unchecked", "addresses": [], "detail": f"IPv6 检查出错：{type(exc).__name__}"}


class IPv6Probe:
    """Scrapy extension: measure the start host's IPv6 status off the reactor, once per crawl."""

    def __init__(self, crawler, timeout: float, offline: bool, hosts: dict) -> None:
        self.crawler = crawler
        self.timeout = timeout
        self.offline = offline
        self.hosts = hosts
        self.result: dict | None = None
        self.pending = None  # the thread's Deferred while it runs
        self.clock = None  # the reactor (a task.Clock in tests)

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("GOVAUDIT_IPV6_PROBE", True):
            raise NotConfigured
        ext = cls(crawler, probe_timeout(s), resolver_is_offline(s), dict(s.getdict("GOVAUDIT_HOSTS") or {}))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def start_url(self, spider) -> str:
        return getattr(spider, "start_url", "") or ""

    def spider_opened(self, spider) -> None:
        from twisted.internet.threads import deferToThread

        url = self.start_url(spider)
        if not url:
            return
        self.pending = deferToThread(measure, url, hosts=self.hosts, offline=self.offline, timeout=self.timeout)
        self.pending.addCallbacks(self._done, lambda f: self._done(failed(f.value)))

    def _done(self, result: dict) -> None:
        if self.result is None:
            self.result = result
            self.crawler.stats.set_value(STATS_KEY, result)
        self.pending = None

    def spider_closed(self, spider, reason=None):
        """Wait for the measurement, at most ``timeout`` seconds more; then it is 未检查."""
        if self.result is not None or self.pending is None:
            return None
        from twisted.internet import defer

        if self.clock is None:
            from twisted.internet import reactor as clock
        else:
            clock = self.clock
        waiter: defer.Deferred = defer.Deferred()
        timer = clock.callLater(self.timeout, lambda: waiter.called or waiter.callback(None))

        def finished(_):
            if timer.active():
                timer.cancel()
            if not waiter.called:
                waiter.callback(None)
            return _

        self.pending.addBoth(finished)

        def settle(_):
            if self.result is None:
                self._done(timed_out(self.timeout))

        return waiter.addCallback(settle)
