"""栏目不更新: a column whose newest item is older than its type's window on the as-of date.

An item with no date anywhere counts as not updated (2015 census rule), and says so.
"""
from __future__ import annotations

from typing import Iterable

from . import columns_common as cc
from .crawl import Crawl
from .spec import CheckSpec
from .wording import column_where, column_short, column_summary

#: Types whose staleness counts toward the first 2019 veto (≥ 5 such columns).
VETO_TYPES = ("dynamic", "notice")


def run(crawl: Crawl) -> Iterable[dict]:
    as_of = crawl.as_of
    for col in cc.discover(crawl):
        if cc.verdict(col, as_of) != "stale":
            continue
        window = cc.window_text(col.window_days)
        if col.undated:
            detail = f"栏目“{col.name}”（{col.type_label}，更新要求{window}）共 {len(col.items)} 条信息均未注明日期，按未更新处理"
        else:
            overdue = col.overdue_days(as_of)
            detail = (f"栏目“{col.name}”（{col.type_label}，更新要求{window}）最新信息发布于 {col.newest.isoformat()}，"
                      f"至 {as_of.isoformat()} 已 {(as_of - col.newest).days} 天未更新，超期 {overdue} 天")
        yield {
            "url": col.url,
            "found_on": col.pages[:20],
            "severity": "high" if col.type in VETO_TYPES else "medium",
            "detail": detail,
            "data": col.as_dict(as_of) | {"overdue_days": col.overdue_days(as_of)},
        }


CHECK = CheckSpec(
    id="stale_column", title="栏目不更新", run=run, order=50,
    hint="栏目最新信息早于其类型的更新要求；信息均未注明日期的按未更新处理。",
    where=column_where, short=column_short, summary=column_summary,
)
