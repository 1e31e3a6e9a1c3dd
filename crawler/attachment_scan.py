"""Item pipeline: read a downloaded attachment for personal data, off the reactor thread.

Why a pipeline: extraction is blocking work (a child process per binary file, see
crawler/attachments.py ``extract_isolated``) that must never stall the crawl. Each
``attachment_body`` item (crawler/attachment_fetch.py) is handed to a small thread pool
(``GOVAUDIT_ATTACHMENT_WORKERS``, 2 by default: the machine's cores, shared with the crawl); the
pipeline awaits the result, so Scrapy's own back-pressure (the scraper's active-size limit) keeps
the number of bodies in memory bounded. The item leaves as an ``attachments`` row for the store:
status, format, reason, and the privacy findings with masked samples only (the body is dropped).

Binary formats are parsed in a bounded child process (memory, CPU, wall clock); plain text
(.csv, .txt, an "xls" that is an HTML table) is read in the thread, where nothing can explode.
Whatever happens — corrupt file, bomb, timeout, a bug — the result is a row saying so, never an
exception into the crawl.
"""
from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer

from govaudit.checks.privacy_rules import blocks_from_extraction, scan_blocks

from .attachments import Extraction, Limits, extract_bytes, extract_isolated, sniff
from .content import ContentOptions

logger = logging.getLogger(__name__)

#: Formats read in the pipeline's thread: plain text cannot allocate without bound.
IN_THREAD = frozenset({"txt", "csv", "html"})


def _filename(url: str) -> str:
    return unquote(PurePosixPath(urlsplit(url).path).name)


def read_attachment(item: dict[str, Any], options: ContentOptions) -> dict[str, Any]:
    """The ``attachments`` row for one downloaded body (blocking; never raises)."""
    body: bytes = item.get("body") or b""
    name = _filename(item.get("final_url") or item["url"])
    limits = Limits(max_bytes=options.attachment_max_bytes, max_pages=options.attachment_max_pages,
                    timeout=options.attachment_timeout, memory=options.attachment_memory_mb * 1024 * 1024)
    try:
        if item.get("stopped"):
            size = item.get("declared") or len(body)
            kind = sniff(body[:4096], name) if body else (PurePosixPath(name).suffix.lstrip(".").lower() or "unknown")
            ex = Extraction("too_large", kind,
                            f"文件大小 {size // 1048576} MB 超过读取上限 {limits.max_bytes // 1048576} MB")
        elif not options.isolate or sniff(body, name) in IN_THREAD:
            ex = extract_bytes(body, name, limits)
        else:
            ex = extract_isolated(body, name, limits)
        privacy = []
        if ex.status == "ok":
            privacy = [f.as_dict() for f in scan_blocks(blocks_from_extraction(ex, item.get("context") or ""),
                                                        max_samples=options.max_samples,
                                                        min_text_mobiles=options.min_text_mobiles)]
    except Exception as exc:  # a bug here must cost one attachment, never the crawl
        logger.warning("附件 %s 读取出错：%s: %s", item.get("url"), type(exc).__name__, exc)
        ex, privacy = Extraction("failed", "unknown", f"读取出错：{type(exc).__name__}"), []
    return {
        "_table": "attachments", "url": item["url"], "final_url": item.get("final_url") or item["url"],
        "status": ex.status, "kind": ex.kind, "reason": ex.reason[:300], "size": item.get("declared") or len(body),
        "pages": ex.pages, "truncated": int(bool(ex.truncated)), "anchor": (item.get("anchor") or "")[:200],
        "context": (item.get("context") or "")[:400], "privacy": json.dumps(privacy, ensure_ascii=False),
    }


class AttachmentScanPipeline:
    """``attachment_body`` items in, ``attachments`` rows out; every other item passes untouched."""

    def __init__(self, options: ContentOptions, workers: int = 2) -> None:
        self.options = options
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="govaudit-attachment")

    @classmethod
    def from_crawler(cls, crawler):
        options = ContentOptions.from_config(crawler.settings.getdict("GOVAUDIT_CONTENT"))
        if not options.enabled:
            raise NotConfigured("content checks are off")
        pipe = cls(options, crawler.settings.getint("GOVAUDIT_ATTACHMENT_WORKERS", 2))
        pipe.crawler = crawler
        return pipe

    async def process_item(self, item: Any, spider=None):
        if not (isinstance(item, dict) and item.get("_table") == "attachment_body"):
            return item
        from twisted.internet import reactor  # the installed one (asyncio): never imported at module load

        d: defer.Deferred = defer.Deferred()
        future = self.pool.submit(read_attachment, item, self.options)

        def done(f) -> None:
            try:
                row = f.result()
            except BaseException as exc:  # read_attachment never raises; this is the last net
                row = {"_table": "attachments", "url": item["url"], "final_url": item.get("final_url"),
                       "status": "failed", "kind": "unknown", "reason": f"读取出错：{type(exc).__name__}",
                       "size": len(item.get("body") or b""), "pages": None, "truncated": 0,
                       "anchor": item.get("anchor") or "", "context": item.get("context") or "", "privacy": "[]"}
            reactor.callFromThread(d.callback, row)

        future.add_done_callback(done)
        row = await maybe_deferred_to_future(d)
        stats = getattr(getattr(self, "crawler", None), "stats", None)
        if stats is not None:
            stats.inc_value(f"govaudit/attachments/{row['status']}")
        return row

    def close_spider(self, spider=None) -> None:
        self.pool.shutdown(wait=True, cancel_futures=False)
