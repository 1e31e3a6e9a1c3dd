"""A read-only view of one stored run: what the checks are allowed to see."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Iterator

import sqlite_utils


@dataclass
class Crawl:
    db: sqlite_utils.Database
    run_id: int
    config: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def run(self) -> dict:
        return self.db["runs"].get(self.run_id)

    @property
    def site(self) -> str:
        return self.run.get("site") or self.run.get("start_url") or ""

    @property
    def as_of(self) -> date:
        return date.fromisoformat(self.run["as_of"])

    @cached_property
    def problem_fetches(self) -> dict[str, dict]:
        """Fetches that did not simply succeed, keyed by target URL (the rest are not needed:
        keeping every fetch of a 100k-page crawl in memory would be the checks' largest cost)."""
        return {
            r["url"]: r
            for r in self.db.query(
                "SELECT * FROM fetches WHERE run_id = ? AND (error_class IS NOT NULL OR status IS NULL "
                "OR status >= 400 OR soft404 IS NOT NULL OR challenge = 1)", [self.run_id])
        }

    def pages(self, where: str = "", fields: str = "*") -> Iterator[dict]:
        """Crawled pages with their facts decoded, in crawl order; ``where`` narrows them in SQL."""
        sql = f"SELECT {fields} FROM pages WHERE run_id = ? {('AND ' + where) if where else ''} ORDER BY rowid"
        for r in self.db.query(sql, [self.run_id]):
            if "meta" in r:
                r["meta"] = json.loads(r["meta"] or "{}")
            if "facts" in r:
                r["facts"] = json.loads(r["facts"] or "{}")
            yield r

    def links_to(self, targets: list[str]) -> dict[str, list[dict]]:
        """Links pointing at each of the given targets (sources, anchors, home flag)."""
        out: dict[str, list[dict]] = {t: [] for t in targets}
        for i in range(0, len(targets), 500):
            chunk = targets[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.db.query(
                f"SELECT source, target, anchor, tag, attr, source_is_home FROM links "
                f"WHERE run_id = ? AND target IN ({marks}) ORDER BY source_is_home DESC, source",
                [self.run_id, *chunk],
            ):
                out[r["target"]].append(r)
        return out

    @cached_property
    def home_url(self) -> str:
        row = next(iter(self.db.query(
            "SELECT url FROM pages WHERE run_id = ? AND is_home = 1 ORDER BY rowid LIMIT 1", [self.run_id])), None)
        return row["url"] if row else self.run["start_url"]

    def setting(self, *path: str, default: Any = None) -> Any:
        node: Any = self.config
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node
