"""空白栏目: a column that carries no information at all (empty list or 暂无信息)."""
from __future__ import annotations

from typing import Iterable

from . import columns_common as cc
from .crawl import Crawl

ID = "blank_column"
TITLE = "空白栏目"


def run(crawl: Crawl) -> Iterable[dict]:
    for col in cc.discover(crawl):
        if cc.verdict(col, crawl.as_of) != "blank":
            continue
        yield {
            "url": col.url,
            "found_on": col.pages[:20],
            "severity": "high",
            "detail": f"栏目“{col.name}”无任何信息（空白栏目）",
            "data": col.as_dict(crawl.as_of),
        }
