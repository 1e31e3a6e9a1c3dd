"""首页不更新: no new dated item reachable from the home page within the window (2 weeks).

When the home page lists no dated items (a navigation-only home), the second-level pages
count: the newest item of any column the home page links to decides.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from govaudit.crawler.render import MANUAL_NOTE, manual

from . import columns_common as cc
from .crawl import Crawl
from .spec import CheckSpec
from .wording import fixed



def home_page(crawl: Crawl) -> dict | None:
    """The home page: after a forwarding start page, the page it forwards to (the one with content)."""
    homes = list(crawl.pages(where="is_home = 1"))
    return max(homes, key=lambda p: (len((p["facts"].get("listing") or {}).get("items") or []), p["facts"].get("text_len", 0)), default=None)


def newest_on_home(crawl: Crawl) -> tuple[date | None, str, dict | None]:
    home = home_page(crawl)
    if home is None:
        return None, "未能读取首页", None
    items = (home["facts"].get("listing") or {}).get("items") or []
    dated, _future = cc.split_future(items, cc.future_limit(crawl))
    if dated:
        best = max(dated, key=lambda i: i["date"])
        return cc.iso_date(best["date"]), "首页", best
    linked = {r["target"] for r in crawl.db.query(
        "SELECT target FROM links WHERE run_id = ? AND source = ?", [crawl.run_id, home["url"]])}
    best_col = None
    for col in cc.discover(crawl):
        if col.url in linked and col.newest:  # col.newest is never after cc.future_limit
            if best_col is None or col.newest > best_col.newest:
                best_col = col
    if best_col:
        return best_col.newest, f"首页链接的二级栏目“{best_col.name}”", best_col.newest_item
    return None, "首页及其二级栏目均未找到注明日期的信息", None


#: A home page with less visible text than this was not really read (a challenge, an error, a
#: page built by script): its lack of dates proves nothing.
MIN_READ_CHARS = 300


def run(crawl: Crawl) -> Iterable[dict]:
    window = int(crawl.setting("homepage", "window_days", default=14))
    newest, where, item = newest_on_home(crawl)
    as_of = crawl.as_of
    if newest is not None and (as_of - newest).days <= window:
        return
    home = home_page(crawl) if newest is None else None
    if newest is None and (home is None or home["facts"].get("text_len", 0) < MIN_READ_CHARS):
        # Nothing of the home page could be read: say so, never veto (issue 9 item 6).
        yield {"url": crawl.home_url, "found_on": [crawl.home_url], "severity": "info",
               "detail": f"{'未能读取首页' if home is None else '首页内容过少（可能为验证页面或由脚本生成）'}，"
                         "无法判断首页是否更新，需人工核实",
               "data": {"newest_date": None, "source": where, "newest_item": None, "window_days": window,
                        "unreadable": True}}
        return
    if newest is None:
        detail = f"{where}，按首页不更新处理（更新要求{cc.window_text(window)}）"
    else:
        detail = (f"首页最新信息（{where}）发布于 {newest.isoformat()}，至 {as_of.isoformat()} 已 "
                  f"{(as_of - newest).days} 天未更新（要求{cc.window_text(window)}内更新）")
    # Boxes the home page fills by script and no browser rendered may hold the news: never a veto from a shell.
    unseen = any(manual(p["facts"], "list") for p in crawl.pages(where="is_home = 1"))
    yield {
        "url": crawl.home_url,
        "found_on": [crawl.home_url],
        "severity": "info" if unseen else "veto",
        "detail": f"{MANUAL_NOTE}：{detail}" if unseen else detail,
        "data": {"newest_date": newest.isoformat() if newest else None, "source": where,
                 "newest_item": item, "window_days": window},
    }


CHECK = CheckSpec(
    id="stale_homepage", title="首页不更新", run=run, order=20, veto=True,
    hint="首页（只有导航时为其链接的二级栏目）最新信息早于基准日前 2 周；`veto`。",
    where=fixed("网站首页"),
)
