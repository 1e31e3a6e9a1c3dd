"""信息日期异常: items dated after the as-of date, or a whole list dated the visit day.

Either may be a typo or a scheduled post, or an update faked for the inspection (弄虚作假, a
veto item of the 2019 indicators). A machine cannot tell which, so the finding is a prompt to
look (severity info, 需人工核实), never an accusation; the dates themselves do not count as
updates anywhere (columns_common.future_limit).
"""
from __future__ import annotations

from typing import Iterable

from . import columns_common as cc
from .crawl import Crawl
from .spec import CheckSpec
from .stale_homepage import home_page

BASIS = "依据《政府网站与政务新媒体检查指标》，弄虚作假属单项否决情形，请人工核实"


def _list_findings(crawl: Crawl, url: str, where: str, items: list[dict]) -> Iterable[dict]:
    limit = cc.future_limit(crawl)
    as_of = crawl.as_of
    dated, future = cc.split_future(items, limit)
    if future:
        latest = max(future, key=lambda i: i["date"])
        yield {
            "url": url, "found_on": [url], "severity": "info",
            "detail": (f"{where}有 {len(future)} 条信息的发布日期晚于检查基准日 {as_of.isoformat()}"
                       f"（最晚为 {cc.iso_date(latest['date']).isoformat()}“{latest.get('title') or ''}”），"
                       f"未计为更新；需人工核实是否存在虚假更新（弄虚作假）。{BASIS}"),
            "data": {"reason": "future", "as_of": as_of.isoformat(), "limit": limit.isoformat(),
                     "items": [{"title": i.get("title"), "url": i.get("url"), "date": i.get("date")} for i in future[:20]],
                     "count": len(future)},
        }
    minimum = int(crawl.setting("dates", "same_day_min_items", default=5) or 0)
    if minimum and len(dated) >= minimum and not future and all(cc.iso_date(i["date"]) == as_of for i in dated):
        yield {
            "url": url, "found_on": [url], "severity": "info",
            "detail": (f"{where}全部 {len(dated)} 条信息的发布日期均为检查当日 {as_of.isoformat()}，"
                       f"需人工核实是否为集中补发或虚假更新（弄虚作假）。{BASIS}"),
            "data": {"reason": "all_visit_day", "as_of": as_of.isoformat(), "count": len(dated)},
        }


def run(crawl: Crawl) -> Iterable[dict]:
    home = home_page(crawl)
    if home is not None:
        items = (home["facts"].get("listing") or {}).get("items") or []
        yield from _list_findings(crawl, home["url"], "首页", items)
    for col in cc.discover(crawl):
        items = [i for i in col.items if i.get("date")]
        yield from _list_findings(crawl, col.url, f"栏目“{col.name}”", items)


CHECK = CheckSpec(
    id="future_date", title="信息日期异常", run=run, order=105,
    hint="信息发布日期晚于基准日（超过 dates.future_tolerance_days），或列表全部标注为检查当日：不计为更新，提示人工核实是否弄虚作假（info）。",
)
