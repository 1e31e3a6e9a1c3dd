"""The HTTP download handler with a bounded header section.

Scrapy's DOWNLOAD_MAXSIZE bounds the body only. Twisted's parser keeps every header line
(and every continuation line of one header) in memory until the blank line that ends the
section; a server that never sends it grew one link to 7.4 GB. This handler is Scrapy's own
HTTP/1.1 handler whose parser counts header bytes and header lines and gives up past
``GOVAUDIT_MAX_HEADER_BYTES`` / ``GOVAUDIT_MAX_HEADERS`` with :class:`HeaderTooLarge`, which
the errback reports as too_large (未完整检查), not as a dead link.
"""
from __future__ import annotations

from scrapy.core.downloader.handlers.http11 import (HTTP11DownloadHandler, _LenientHTTP11ClientFactory,
                                                    _LenientHTTP11ClientProtocol, _LenientHTTPClientParser)

from .errors import HeaderTooLarge


class _BoundedParser(_LenientHTTPClientParser):
    """Scrapy's lenient parser plus limits (set per protocol class; swapped in by __class__)."""

    max_bytes = 64 * 1024
    max_count = 200

    def lineReceived(self, line: bytes) -> None:
        if self.state != "BODY":
            seen = getattr(self, "_ga_bytes", 0) + len(line) + 2
            count = getattr(self, "_ga_count", 0) + 1
            self._ga_bytes, self._ga_count = seen, count
            if seen > self.max_bytes or count > self.max_count:
                raise HeaderTooLarge(
                    f"响应头超过上限（{self.max_count} 行或 {self.max_bytes // 1024} KB），已停止读取")
        super().lineReceived(line)


class _BoundedProtocol(_LenientHTTP11ClientProtocol):
    parser_class = _BoundedParser

    def request(self, request):
        d = super().request(request)
        self._parser.__class__ = self.parser_class  # as Scrapy's own lenient protocol does
        return d


class BoundedHTTP11DownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        s = crawler.settings
        parser = type("BoundedParser", (_BoundedParser,), {
            "max_bytes": s.getint("GOVAUDIT_MAX_HEADER_BYTES", 64 * 1024),
            "max_count": s.getint("GOVAUDIT_MAX_HEADERS", 200)})
        protocol = type("BoundedProtocol", (_BoundedProtocol,), {"parser_class": parser})

        class Factory(_LenientHTTP11ClientFactory):
            def buildProtocol(self, addr):
                return protocol(self._quiescentCallback)

        self._pool._factory = Factory
        self._ga_crawler = crawler

    async def download_request(self, request):
        # A request may wait in its host's download slot while the host's first requests
        # fail; the host budget is asked again now, at the moment of sending, so a dead host
        # costs one round of timeouts, not one per slot-full of queued links.
        gate = getattr(self._ga_crawler, "govaudit_host_budget", None)
        if gate is None:
            return await super().download_request(request)
        await gate.admit(request)
        answered = False
        try:
            response = await super().download_request(request)
            answered = True
            return response
        except Exception as exc:
            # Counted here, before the host's next requests are let out (hostbudget.admit).
            gate.record_failure(request, exc)
            raise
        finally:
            gate.done(request, answered)
