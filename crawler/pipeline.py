"""Write what the spider yields into the store, in batches, as the crawl goes.

Batching keeps SQLite from dominating the crawl's CPU; flushing every couple of seconds keeps
an interrupted crawl's losses to those seconds.

A batch is written in one transaction (pages, links, then fetches). When a write fails, the
locked or full store, the crawl stops at once with finish reason ``store_error``: the failed
batch is not stored, so its URLs count as not fetched and ``--resume`` fetches them again.
The run is complete only when every row the crawl produced was written (``crawl_completed``).
"""
from __future__ import annotations

import logging
import time
from collections import defaultdict
from typing import Any

from scrapy.utils.defer import deferred_from_coro

from govaudit import store

logger = logging.getLogger(__name__)

FLUSH_ROWS = 1000
FLUSH_SECONDS = 2.0


class StorePipeline:
    def __init__(self, db_path: str, run_id: int | None, crawler) -> None:
        self.db_path = db_path
        self.run_id = run_id
        self.crawler = crawler
        self.buffers: dict[str, list[dict]] = defaultdict(list)
        self.pending = 0
        self.last_flush = time.monotonic()
        self.db = None
        self.own_run = False
        self.store_error: str | None = None
        self.received = 0
        self.written = 0

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        run_id = s.getint("GOVAUDIT_RUN_ID") or None
        pipe = cls(s.get("GOVAUDIT_DB", "govaudit.sqlite"), run_id, crawler)
        pipe.busy_timeout = s.getfloat("GOVAUDIT_STORE_TIMEOUT", store.BUSY_TIMEOUT)
        return pipe

    busy_timeout = store.BUSY_TIMEOUT

    def open_spider(self, spider=None) -> None:
        self.db = store.open_db(self.db_path, busy_timeout=self.busy_timeout)
        if self.run_id is None:  # `scrapy crawl portal` without the CLI: make a run of our own
            sp = self.crawler.spider
            self.run_id = store.create_run(
                self.db, site=sp.start_url, start_url=sp.start_url, host=sorted(sp.internal_hosts)[0],
                as_of=self.crawler.settings.get("GOVAUDIT_AS_OF") or time.strftime("%Y-%m-%d"),
                month=time.strftime("%Y-%m"),
            )
            self.own_run = True
        self.crawler.stats.set_value("govaudit/run_id", self.run_id)

    def process_item(self, item: dict[str, Any], spider=None) -> dict[str, Any]:
        table = item.get("_table")
        if self.store_error:
            return item  # the crawl is stopping; nothing more can be stored
        if table == "links":
            rows = item["rows"]
            for r in rows:
                r["run_id"] = self.run_id
            self.buffers["links"].extend(rows)
            self.pending += len(rows)
        elif table:
            row = {k: v for k, v in item.items() if k != "_table"}
            row["run_id"] = self.run_id
            if table == "pages":
                self.crawler.stats.inc_value("govaudit/pages")
            if table == "fetches":
                row["fetched_at"] = store.now_iso()
                self.crawler.stats.inc_value(f"govaudit/fetch/{row.get('error_class') or row.get('status')}")
            self.buffers[table].append(row)
            self.pending += 1
        if self.pending >= FLUSH_ROWS or time.monotonic() - self.last_flush > FLUSH_SECONDS:
            self.flush()
        return item

    def flush(self) -> None:
        if self.store_error:
            return
        batch = {t: self.buffers.get(t) or [] for t in ("pages", "links", "attachments", "fetches")}
        n = sum(len(rows) for rows in batch.values())
        self.received += n
        try:
            store.write_batch(self.db, batch)
        except store.StoreWriteError as exc:
            self.fail(str(exc))
            return
        finally:
            self.buffers.clear()
            self.pending = 0
            self.last_flush = time.monotonic()
        self.written += n
        self.crawler.stats.set_value("govaudit/store_rows_written", self.written)

    def fail(self, message: str) -> None:
        """Stop the crawl: going on would fetch pages that cannot be kept."""
        self.store_error = message
        stats = self.crawler.stats
        stats.set_value("govaudit/store_error", message)
        stats.set_value("govaudit/store_rows_lost", self.received - self.written)
        logger.error("数据库写入失败，检查停止：%s", message)
        engine = getattr(self.crawler, "engine", None)
        if engine is not None and getattr(engine, "running", False):
            deferred_from_coro(engine.close_spider_async(reason="store_error"))

    def close_spider(self, spider=None) -> None:
        self.flush()
        self.crawler.stats.set_value("govaudit/store_rows_received", self.received)
        if self.own_run:
            # `scrapy crawl portal` has no CLI around it: close the run and check it here.
            from govaudit.audit import check_run, finish
            from govaudit.config import load

            stats = dict(self.crawler.stats.get_stats() or {})
            stats.setdefault("finish_reason", "finished")
            finish(self.db, self.run_id, stats)
            check_run(self.db, self.run_id, load())
