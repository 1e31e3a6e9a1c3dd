"""单项否决（栏目）: the 2019 veto verdicts that follow from stale and blank columns.

国办秘函〔2019〕19号 “栏目不更新”: (1) ≥ 5 dynamic/news columns not updated within 2 weeks
plus notice/policy columns not updated within 6 months; (2) ≥ 10 columns that should be
updated but long were not; (3) ≥ 5 blank columns. Each verdict cites its rule.
"""
from __future__ import annotations

from typing import Iterable

from . import columns_common as cc
from .crawl import Crawl
from .spec import CheckSpec

RULE = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）栏目不更新"


def run(crawl: Crawl) -> Iterable[dict]:
    as_of = crawl.as_of
    limits = crawl.setting("veto", default={}) or {}
    cols = cc.discover(crawl)
    stale = [c for c in cols if cc.verdict(c, as_of) == "stale"]
    urgent = [c for c in stale if c.type in ("dynamic", "notice")]
    blank = [c for c in cols if cc.verdict(c, as_of) == "blank"]
    rules = [
        ("stale_columns", urgent, 5, "动态、要闻类栏目2周内未更新及通知公告、政策文件类栏目6个月内未更新的栏目数量"),
        ("long_stale_columns", stale, 10, "应更新但长期未更新的栏目数量"),
        ("blank_columns", blank, 5, "空白栏目数量"),
    ]
    for key, members, default, what in rules:
        limit = int(limits.get(key, default))
        if len(members) < limit:
            continue
        yield {
            "url": crawl.home_url,
            "found_on": [c.url for c in members][:50],
            "severity": "veto",
            "detail": f"{what}为 {len(members)} 个，达到单项否决标准（≥{limit} 个）。依据：{RULE}",
            "data": {"rule": key, "count": len(members), "threshold": limit,
                     "columns": [{"url": c.url, "name": c.name} for c in members]},
        }


def where(f: dict) -> str:
    """问题页面/栏目: the columns the verdict counts (ten named, then 等 N 个)."""
    names = [c.get("name") or c.get("url") for c in (f.get("data") or {}).get("columns") or []]
    return "栏目：" + "、".join(f"“{n}”" for n in names[:10]) + (f" 等 {len(names)} 个" if len(names) > 10 else "")


CHECK = CheckSpec(
    id="column_veto", title="栏目单项否决", run=run, order=30, veto=True,
    hint="动态与通知公告类栏目未按期更新 ≥ 5 个、应更新未更新栏目 ≥ 10 个、空白栏目 ≥ 5 个，各出一条 `veto`。",
    where=where,
)
