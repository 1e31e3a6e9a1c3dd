"""A read-only view of one stored run: what the checks are allowed to see.

Only the site's own pages are visible: a page whose FINAL URL is on another host (an internal
``/jump?url=`` that redirects out, a forwarding link) was read during the crawl but is not
the site's, so its lists are not our columns, its articles not our documents and its links
not our links. The stored crawl keeps them; this view is the one place that filters them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Iterator
from urllib.parse import urlsplit

import sqlite_utils


def _host(url: str) -> str:
    try:
        host = (urlsplit(url or "").hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


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

    @cached_property
    def own_hosts(self) -> frozenset[str]:
        """The site's hosts (www. ignored): the start URL's, the configured extra hosts, and
        where the start page forwards to (http://x.gov.cn → https://www.x.gov.cn/, the crawler's
        home pages)."""
        hosts = {_host(self.run["start_url"])}
        try:
            settings = json.loads(self.run.get("settings") or "{}")
        except ValueError:
            settings = {}
        hosts.update(_host("http://" + h) for h in settings.get("extra_hosts") or [])
        for r in self.db.query("SELECT final_url FROM pages WHERE run_id = ? AND is_home = 1", [self.run_id]):
            hosts.add(_host(r["final_url"]))
        return frozenset(h for h in hosts if h)

    def is_own(self, url: str) -> bool:
        return _host(url) in self.own_hosts

    @cached_property
    def foreign_pages(self) -> frozenset[str]:
        """Stored pages (by requested URL) whose final URL is on another host."""
        return frozenset(r["url"] for r in self.db.query("SELECT url, final_url FROM pages WHERE run_id = ?", [self.run_id])
                         if not self.is_own(r["final_url"] or r["url"]))

    def pages(self, where: str = "", fields: str = "*") -> Iterator[dict]:
        """The site's own crawled pages (see the module docstring) with their facts decoded, in
        crawl order; ``where`` narrows them in SQL."""
        foreign = self.foreign_pages
        if foreign and fields != "*" and "url" not in [f.strip() for f in fields.split(",")]:
            fields = "url, " + fields
        sql = f"SELECT {fields} FROM pages WHERE run_id = ? {('AND ' + where) if where else ''} ORDER BY rowid"
        for r in self.db.query(sql, [self.run_id]):
            if foreign and r["url"] in foreign:
                continue
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
                if r["source"] not in self.foreign_pages:
                    out[r["target"]].append(r)
        return out

    @cached_property
    def home_url(self) -> str:
        row = next(self.pages(where="is_home = 1", fields="url"), None)
        return row["url"] if row else self.run["start_url"]

    def setting(self, *path: str, default: Any = None) -> Any:
        node: Any = self.config
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node
