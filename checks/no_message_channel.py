"""未提供网上有效咨询建言渠道: the site offers no 领导信箱/咨询/投诉/留言 channel at all (2019 indicators,
单项否决 互动回应差).

An absence can only be stated after a complete crawl: the home page was read for content, the crawl
finished normally without reaching its page limit, and no page links a consultation channel (on
the site or on another platform such as the province's 12345), belongs to one, or shows messages.
Then severity ``veto``; after an incomplete crawl, when the home page has hardly any links (the
navigation is written by script), or when it has an interaction entry (互动交流, 公众参与) behind which
no channel was recognised (a channel on another platform, loaded by script), only an ``info``
prompt (需人工核实).
"""
from __future__ import annotations

from typing import Iterable

from .content_common import run_complete
from .crawl import Crawl
from .messages_common import RULE_CHANNEL, channels
from .spec import CheckSpec
from .wording import fixed

MIN_HOME_LINKS = 15
#: Words of an interaction section's entry (互动交流, 政民互动, 公众参与): a channel may hide behind it.
INTERACTION_WORDS = ("互动", "交流", "参与", "民意", "问政")


def run(crawl: Crawl) -> Iterable[dict]:
    ch = channels(crawl)
    if not ch.home_scanned or not ch.judgement.no_channel:
        return
    home = crawl.home_url
    complete, why = run_complete(crawl)
    homes = [p["url"] for p in crawl.pages(where="is_home = 1", fields="url")]
    marks = ",".join("?" * len(homes))
    anchors = [r["anchor"] or "" for r in crawl.db.query(
        f"SELECT anchor FROM links WHERE run_id = ? AND source IN ({marks})", [crawl.run_id, *homes])]
    entry = next((a for a in anchors if any(w in a for w in INTERACTION_WORDS) and len(a) <= 12), None)
    if complete and len(anchors) < MIN_HOME_LINKS:
        complete, why = False, "首页链接很少（导航可能由脚本生成）"
    elif complete and entry:
        complete, why = False, f"首页有“{entry}”入口（渠道可能设在其他平台或由脚本加载）"
    if complete:
        yield {"url": home, "found_on": [home], "severity": "veto",
               "detail": f"网站未提供领导信箱、咨询投诉、留言建议等网上咨询建言渠道（首页及各页面均未找到）。{RULE_CHANNEL}",
               "data": {"complete": True}}
    else:
        yield {"url": home, "found_on": [home], "severity": "info",
               "detail": f"已抓取的页面中未找到领导信箱、咨询投诉等网上咨询建言渠道，但{why}，需人工核实。{RULE_CHANNEL}",
               "data": {"complete": False, "why": why}}


CHECK = CheckSpec(
    id="no_message_channel", title="未提供网上咨询建言渠道", run=run, order=35, veto=True,
    hint="网站没有领导信箱、咨询投诉、留言建议等任何网上咨询建言渠道（抓取不完整时仅提示，需人工核实）。",
    where=fixed("网站首页及全部栏目"), short=fixed("无网上咨询建言渠道"),
    summary=lambda items: "未提供网上咨询建言渠道",
)
