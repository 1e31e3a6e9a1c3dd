"""互动回应差: a valid message in a 领导信箱/咨询/投诉 channel left unanswered for more than 3 months within
the year before the inspection date (2019 indicators, 单项否决).

Counted: left more than ``content.messages.unanswered_days`` (90) and at most ``window_days`` (365)
days before ``--as-of``, with status 未回复-like or a detail page whose reply is empty. Not counted:
older messages, invalid ones (不予受理, 重复), and messages whose state the page does not say (never
guessed: crawler/messages.py). 办理中/已受理 past the limit with no reply shown is an ``info`` prompt
(需人工核实: answered by phone? a longer 办理时限?), a ``veto`` when the office sets
``content.messages.in_progress_counts``. One finding per message: ``url`` = its
detail page (or the list page when it has none; ``data.rule`` then tells the messages of one list page
apart), ``found_on`` = the list pages showing it.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from .crawl import Crawl
from .messages_common import RULE_UNANSWERED, channels
from .spec import CheckSpec


def run(crawl: Crawl) -> Iterable[dict]:
    ch = channels(crawl)
    for m in ch.judgement.unanswered:
        status = m.status_text or "未回复"
        yield _finding(crawl, ch, m, "veto",
                       f"仍{status if '未' in status or '待' in status else '未回复'}。{RULE_UNANSWERED}")
    for m in ch.judgement.long_in_progress:
        yield _finding(crawl, ch, m, "info",
                       f"仍显示“{m.status_text or '办理中'}”，页面未见答复，是否属于未回应需人工核实")


def _finding(crawl: Crawl, ch, m, severity: str, said: str) -> dict:
    age = (crawl.as_of - date.fromisoformat(m.asked)).days
    return {
        "url": m.url, "found_on": (ch.list_pages.get(m.url) or [m.url])[:20], "severity": severity,
        "detail": f"“{m.channel}”留言“{m.title[:60]}”于 {m.asked} 提交，至 {crawl.as_of.isoformat()} 已 {age} 天"
                  f"（超过 3 个月）{said}",
        "data": {"title": m.title, "channel": m.channel, "asked": m.asked, "status": m.status,
                 "status_text": m.status_text, "age_days": age, "source": m.source,
                 # Messages shown whole on one list page share its URL: each is its own problem.
                 **({"rule": m.anchor or f"{m.asked} {m.title[:40]}"} if m.source == "block" else {})},
    }


def _where(f: dict) -> str:
    data = f.get("data") or {}
    return f"“{data.get('channel', '')}”留言“{data.get('title', '')[:40]}”（{data.get('asked', '')}）"


def _short(f: dict) -> str:
    data = f.get("data") or {}
    return f"“{data.get('title', '')[:30]}”"


def _summary(items: list[dict]) -> str:
    chans = list(dict.fromkeys((f.get("data") or {}).get("channel", "") for f in items))
    return f"的“{'、'.join(c for c in chans if c)}”有 {len(items)} 条留言超过 3 个月未回复，如{_short(items[0])}"


CHECK = CheckSpec(
    id="unanswered_message", title="互动回应差（留言超过3个月未回复）", run=run, order=34, veto=True,
    hint="监测时间点前1年内，领导信箱、咨询投诉等栏目有超过3个月未回复的有效留言。",
    where=_where, short=_short, summary=_summary,
)
