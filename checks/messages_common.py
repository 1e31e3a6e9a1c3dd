"""The messages of a stored crawl's 领导信箱/咨询/投诉 channels, judged once for the three message checks
(unanswered_message, stale_replies, no_message_channel).

The crawler stores the message rows each page shows (list rows and detail pages, crawler/messages.py)
with the name of the channel the page belongs to (ColumnName, breadcrumb, title). Rows are merged
per message (a detail page's fields win over its list row), kept only when their channel is a
consultation channel (not 在线访谈, 调查征集, 信访, 纪检举报: domain.md §9), and judged against
``--as-of`` with the thresholds of ``content.messages``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govaudit.crawler.messages import Message, MessageJudgement, is_consultation_channel, judge, merge

from .content_common import RULE_2019, content_pages, scanned, setting
from .crawl import Crawl

RULE_UNANSWERED = f"依据{RULE_2019}单项否决指标“互动回应差”：监测时间点前1年内存在超过3个月未回应的有效留言"
RULE_STALE = f"依据{RULE_2019}扣分指标“互动交流·留言办理”：监测时间点前2个月内无新的留言答复"
RULE_CHANNEL = f"依据{RULE_2019}单项否决指标“互动回应差”：未提供网上有效咨询建言渠道"
_FIELDS = set(Message.__dataclass_fields__)


@dataclass
class Channels:
    judgement: MessageJudgement
    messages: list[Message]
    list_pages: dict[str, list[str]] = field(default_factory=dict)   # message url -> list pages showing it
    channel_pages: list[str] = field(default_factory=list)           # pages of consultation channels
    channel_links: list[tuple[str, str]] = field(default_factory=list)
    scanned: bool = False
    home_scanned: bool = False


def channel_of(page: dict[str, Any]) -> str:
    """The consultation channel a stored page belongs to, by its ColumnName, breadcrumb or title."""
    import json

    meta = page.get("meta")
    if isinstance(meta, str):
        meta = json.loads(meta or "{}")
    names = [(meta or {}).get("ColumnName") or "", *reversed(page.get("breadcrumb") or []), page.get("title") or ""]
    return next((n for n in names if n and is_consultation_channel(n)), "")


def channels(crawl: Crawl) -> Channels:
    """Merged, filtered and judged messages; computed once per crawl."""
    cached = crawl.__dict__.get("_govaudit_channels")
    if cached is not None:
        return cached
    rows: list[Message] = []
    list_pages: dict[str, list[str]] = {}
    channel_pages: list[str] = []
    for page in content_pages(crawl, "messages"):
        page_channel = channel_of(page)
        for raw in page["value"]:
            m = Message(**{k: v for k, v in raw.items() if k in _FIELDS})
            m.channel = m.channel or page_channel
            rows.append(m)
            if m.source != "detail" and m.url and m.url != page["url"]:
                where = list_pages.setdefault(m.url, [])
                if page["url"] not in where:
                    where.append(page["url"])
        if page_channel and page["url"] not in channel_pages:
            channel_pages.append(page["url"])
    messages = [m for m in merge(rows) if is_consultation_channel(m.channel)]
    links: list[tuple[str, str]] = []
    for page in content_pages(crawl, "channels"):
        links.extend((str(t), str(u)) for t, u in page["value"])
    home_scanned = any(True for _ in crawl.pages(
        where="is_home = 1 AND instr(facts, '\"content\": ') > 0", fields="url"))
    found = bool(messages or links or channel_pages)
    j = judge(messages, crawl.as_of, channel_found=found,
              unanswered_days=int(setting(crawl, "messages", "unanswered_days", 90)),
              window_days=int(setting(crawl, "messages", "window_days", 365)),
              stale_reply_days=int(setting(crawl, "messages", "stale_reply_days", 60)),
              in_progress_counts=bool(setting(crawl, "messages", "in_progress_counts", False)))
    out = Channels(j, messages, list_pages, channel_pages, links, scanned(crawl), home_scanned)
    crawl.__dict__["_govaudit_channels"] = out
    return out
