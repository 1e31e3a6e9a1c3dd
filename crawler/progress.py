"""Say how the crawl is going every few seconds, in words an inspector reads."""
from __future__ import annotations

import sys
import time

from scrapy import signals
from twisted.internet import task


class Progress:
    def __init__(self, crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("GOVAUDIT_PROGRESS_INTERVAL", 5.0)
        ext = cls(crawler, interval)
        if interval > 0:
            crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
            crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider, reason) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        self.report(final=True)

    def report(self, final: bool = False) -> None:
        stats = self.crawler.stats
        responses = stats.get_value("response_received_count", 0)
        pages = stats.get_value("govaudit/pages", 0)
        queued = stats.get_value("scheduler/enqueued", 0) - stats.get_value("scheduler/dequeued", 0)
        errors = stats.get_value("downloader/exception_count", 0)
        elapsed = time.monotonic() - self.started
        word = "抓取结束" if final else "抓取中"
        print(
            f"[{word}] 用时 {elapsed:.0f} 秒，已收到响应 {responses} 个，待处理请求 {max(queued, 0)} 个，"
            f"网络错误 {errors} 次，已分析本站页面 {pages} 个",
            file=sys.stderr,
            flush=True,
        )
