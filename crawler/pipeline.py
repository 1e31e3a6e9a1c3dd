"""Write what the spider yields into the store, in batches, as the crawl goes.

Batching keeps SQLite from dominating the crawl's CPU; flushing every couple of seconds keeps
an interrupted crawl's losses to those seconds.
"""
from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from govaudit import store

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

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        run_id = s.getint("GOVAUDIT_RUN_ID") or None
        return cls(s.get("GOVAUDIT_DB", "govaudit.sqlite"), run_id, crawler)

    def open_spider(self, spider=None) -> None:
        self.db = store.open_db(self.db_path)
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
        for table in ("pages", "links", "fetches"):
            rows = self.buffers.pop(table, None)
            if rows:
                store.write_rows(self.db, table, rows)
        self.pending = 0
        self.last_flush = time.monotonic()

    def close_spider(self, spider=None) -> None:
        self.flush()
        if self.own_run:
            # `scrapy crawl portal` has no CLI around it: close the run and check it here.
            from govaudit.audit import check_run, finish
            from govaudit.config import load

            stats = dict(self.crawler.stats.get_stats() or {})
            stats.setdefault("finish_reason", "finished")
            finish(self.db, self.run_id, stats)
            check_run(self.db, self.run_id, load())
