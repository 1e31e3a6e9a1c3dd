"""The rows the crawler hands the store: one dataclass per table.

The pipeline writes items in order, so a spider yields a page's rows, then its links, then
its fetch row last (a stored fetch means the page's links are stored too).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class FetchRow:
    """What happened when a target was requested (or why it was not)."""

    url: str
    method: str | None = None
    final_url: str | None = None
    redirects: str = "[]"
    status: int | None = None
    content_type: str | None = None
    size: int | None = None
    elapsed_ms: int | None = None
    error_class: str | None = None
    error: str | None = None
    title: str | None = None
    soft404: str | None = None
    challenge: int = 0
    internal: int = 0

    def item(self) -> dict[str, Any]:
        return {"_table": "fetches", **asdict(self)}


@dataclass
class PageRow:
    """A page of the site that was read: its facts (JSON) for the checks."""

    url: str
    final_url: str
    title: str
    depth: int
    is_home: int
    kind: str
    meta: str
    facts: str

    def item(self) -> dict[str, Any]:
        return {"_table": "pages", **asdict(self)}


@dataclass
class LinkRow:
    """One link on a page, as the page shows it."""

    source: str
    target: str
    anchor: str
    tag: str
    attr: str
    source_is_home: int


def links_item(rows: list[LinkRow]) -> dict[str, Any]:
    """A page's links travel as one item (one write)."""
    return {"_table": "links", "rows": [asdict(r) for r in rows]}
