"""Requests that only wait do not hold the crawl's concurrency.

Scrapy counts a request against ``CONCURRENT_REQUESTS`` from the moment it enters the
downloader middlewares, so a request that *waits* there — for its host's robots.txt (which,
on a host that never answers, takes the full download timeout), or for a retry's backoff —
holds one of the crawl's places while sending nothing. A few dozen links to one dead host
then stall the healthy rest of the crawl. This downloader lets middlewares *park* a request
while it waits: a parked request is not counted, so the engine keeps feeding the download
slots of healthy hosts. Per-host limits (``CONCURRENT_REQUESTS_PER_DOMAIN``) still bound the
connections actually open; ``GOVAUDIT_MAX_PARKED`` bounds how many waiting requests are held.
"""
from __future__ import annotations

import contextlib
from time import monotonic
from typing import Any, Iterator

from scrapy import Request
from scrapy.core.downloader import Downloader
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro  # what Scrapy's own Downloader._process_queue uses
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class ParkingDownloader(Downloader):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.parked: set[Request] = set()
        self.max_parked = crawler.settings.getint("GOVAUDIT_MAX_PARKED", 2000)

    def needs_backout(self) -> bool:
        if len(self.parked) >= self.max_parked:
            return True
        return 0 < self.total_concurrency <= len(self.active) - len(self.parked)

    def _process_queue(self, slot) -> None:
        """Scrapy's own, with one change: a request counts as transferring from the moment its
        download is scheduled. Scrapy 2.19 adds it when the scheduled coroutine first runs (on a
        later turn of the event loop), so a burst of queued requests — all links to a host
        released at once when its robots.txt arrives — was started whole, past the host's
        CONCURRENT_REQUESTS_PER_DOMAIN (40 connections at a limit of 8)."""
        if slot.latercall:
            return
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # _download adds it again (a set) and removes it when done
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)
                break


@contextlib.contextmanager
def parked(crawler: Any, request: Request) -> Iterator[None]:
    """While inside, ``request`` does not count against the crawl's concurrency."""
    downloader = getattr(getattr(crawler, "engine", None), "downloader", None)
    spot = getattr(downloader, "parked", None)
    if spot is None:
        yield
        return
    spot.add(request)
    try:
        yield
    finally:
        spot.discard(request)
        # The engine may have backed out while this request held a place: look again.
        engine = crawler.engine
        if engine is not None and getattr(engine, "_slot", None) is not None:
            engine._slot.nextcall.schedule()


class ParkingRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware; a request waiting for its host's robots.txt is parked."""

    async def process_request(self, request: Request, spider=None) -> None:
        if request.meta.get("dont_obey_robotstxt") or request.url.startswith(("data:", "file:")):
            return
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers or isinstance(self._parsers[netloc], Deferred):
            with parked(self.crawler, request):
                rp = await self.robot_parser(request)
        else:
            rp = await self.robot_parser(request)
        self.process_request_2(rp, request)
