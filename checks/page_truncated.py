"""未完整解析: a page the parser could read only in part (nesting deeper than any limit, a page cut
by a budget). Whatever sits past the cut — links, list items, metadata — was not judged, so the
page is named for a person to look at (severity info) instead of silently counting as read."""
from __future__ import annotations

from typing import Iterable

from .crawl import Crawl
from .spec import CheckSpec
from .wording import fixed


def run(crawl: Crawl) -> Iterable[dict]:
    for page in crawl.pages(where="json_extract(facts, '$.truncated') IS NOT NULL", fields="url, facts"):
        why = page["facts"].get("truncated")
        if not why:
            continue
        yield {"url": page["url"], "found_on": [page["url"]], "severity": "info",
               "detail": f"页面未完整解析（{why}），其后的链接和信息未能检查，需人工核实",
               "data": {"truncated": why}}


CHECK = CheckSpec(
    id="page_truncated", title="页面未完整解析", run=run, order=140,
    hint="页面嵌套过深或超过解析上限，只读取了一部分；其后的链接和信息需人工核实（提示）。",
    where=lambda f: f.get("url", ""), summary=lambda items: f"{len(items)}个页面未完整解析",
)
