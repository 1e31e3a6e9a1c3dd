"""留言答复不更新: the newest reply in all the site's 领导信箱/咨询/投诉 channels is more than 2 months
(``content.messages.stale_reply_days``, 60) older than the inspection date (2019 indicators, 扣分指标
互动交流 · 前2个月内未更新留言答复). One finding per site, severity medium; ``url`` = the channel's list
page (the one showing most messages), ``found_on`` = the channel pages."""
from __future__ import annotations

from typing import Iterable

from .crawl import Crawl
from .messages_common import RULE_STALE, channels
from .spec import CheckSpec


def run(crawl: Crawl) -> Iterable[dict]:
    ch = channels(crawl)
    stale = ch.judgement.stale_replies
    if not stale:
        return
    shown: dict[str, int] = {}
    for pages in ch.list_pages.values():
        for p in pages:
            shown[p] = shown.get(p, 0) + 1
    pages = sorted(shown, key=lambda p: -shown[p]) or ch.channel_pages or [crawl.home_url]
    names = "、".join(dict.fromkeys(m.channel for m in ch.messages if m.channel))
    yield {
        "url": pages[0], "found_on": pages[:20], "severity": "medium",
        "detail": f"留言栏目（{names}）最近一次答复为 {stale['newest_reply']}，距检查基准日已 {stale['days']} 天，"
                  f"超过 2 个月未更新留言答复。{RULE_STALE}",
        "data": {**stale, "channels": names},
    }


CHECK = CheckSpec(
    id="stale_replies", title="留言答复不更新", run=run, order=104,
    hint="各留言栏目最近一次答复早于检查基准日前2个月。",
    where=lambda f: f"留言栏目（{(f.get('data') or {}).get('channels', '')}）",
    short=lambda f: f"最近答复 {(f.get('data') or {}).get('newest_reply', '')}",
    summary=lambda items: f"留言答复最近一次为 {(items[0].get('data') or {}).get('newest_reply', '')}，超过 2 个月未更新",
)
