"""空白栏目: a column that carries no information at all (empty list or 暂无信息)."""
from __future__ import annotations

from typing import Iterable

from . import columns_common as cc
from .crawl import Crawl
from .spec import CheckSpec
from .wording import column_where, column_short, column_summary



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


CHECK = CheckSpec(
    id="blank_column", title="空白栏目", run=run, order=60,
    hint="栏目无任何信息（空列表、“暂无信息”等）。",
    where=column_where, short=column_short, summary=column_summary,
)
