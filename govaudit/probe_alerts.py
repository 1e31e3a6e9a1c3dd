"""Outage and recovery mail while `govaudit probe --watch` runs: one message per outage, no storm.

A site whose home page failed the last N rounds (probe.alert_after, default 3) opens an outage: its
unit's contacts get one "无法访问" message; nothing more is sent while it stays down. The first round
in which it opens again closes the outage with one "已恢复" message. The state lives in the store's
``probe_alerts`` table, so a restarted watcher neither repeats nor forgets an open outage.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any, Callable

import sqlite_utils

from govaudit.probe import OUTCOME_TEXT, ProbeResult, ensure_tables
from govaudit.reports import mailer


@dataclass
class AlertEvent:
    kind: str  # outage | recovery
    site_id: str
    site: str
    unit: str
    recipients: list[str]
    subject: str
    body: str
    sent: bool = False
    error: str | None = None


def _when(iso: str) -> str:
    from datetime import datetime

    t = datetime.fromisoformat(iso)
    return f"{t.year}年{t.month}月{t.day}日{t:%H:%M}"


def events_for_round(db: sqlite_utils.Database, sites: list[Any], results: list[ProbeResult], *,
                     alert_after: int) -> list[AlertEvent]:
    """Open and close outages after one round; the events to mail (state already written)."""
    from govaudit.probe import site_id_of

    ensure_tables(db)
    homes = {r.site_id: r for r in results if r.kind == "home"}
    events: list[AlertEvent] = []
    for site in sites:
        sid = site_id_of(site)
        latest = homes.get(sid)
        if latest is None:
            continue
        open_alert = next(iter(db.query(
            "SELECT * FROM probe_alerts WHERE site_id = ? AND status = 'open' ORDER BY id DESC LIMIT 1", [sid])), None)
        if latest.ok:
            if open_alert:
                db["probe_alerts"].update(open_alert["id"], {"status": "closed", "recovered_at": latest.at})
                events.append(AlertEvent(
                    "recovery", sid, site.name, site.unit, list(site.contacts),
                    f"【已恢复】{site.name}已恢复访问",
                    f"{site.unit}：\n\n贵单位主办的{site.name}（{site.url}）自{_when(open_alert['started_at'])}起无法访问，"
                    f"经{_when(latest.at)}监测已恢复正常访问（用时{latest.elapsed_ms / 1000:.1f}秒）。\n\n"
                    "请核查无法访问的原因并做好记录；未报备的关停时段计入当周可用性统计。\n"))
            continue
        if open_alert:
            continue  # still down: the unit already knows
        last = list(db.query("SELECT at, ok, outcome, detail FROM probes WHERE site_id = ? AND kind = 'home' "
                             "ORDER BY at DESC LIMIT ?", [sid, alert_after]))
        if len(last) < alert_after or any(r["ok"] for r in last):
            continue
        started = last[-1]["at"]
        db["probe_alerts"].insert({"site_id": sid, "site": site.name, "started_at": started,
                                   "alerted_at": latest.at, "status": "open"})
        why = OUTCOME_TEXT.get(latest.outcome, latest.outcome) + (f"（{latest.detail}）" if latest.detail else "")
        events.append(AlertEvent(
            "outage", sid, site.name, site.unit, list(site.contacts),
            f"【无法访问】{site.name}连续{alert_after}次监测无法打开",
            f"{site.unit}：\n\n经监测，贵单位主办的{site.name}（{site.url}）自{_when(started)}起连续{alert_after}次"
            f"无法打开，最近一次（{_when(latest.at)}）：{why}。\n\n"
            "按照《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号），监测1周内超过（含）15秒仍打不开的次数"
            "累计占比超过（含）5%即单项否决。请立即排查处置；确需关停的，请按规定提前报备。\n"))
    return events


def send_events(events: list[AlertEvent], smtp: dict[str, Any] | None, sender_name: str,
                echo: Callable[[str], None] = print, env: dict[str, str] | None = None) -> None:
    """Mail each event to its unit's contacts with the lists' SMTP settings and retry rules."""
    env = dict(os.environ if env is None else env)
    for ev in events:
        label = "无法访问提醒" if ev.kind == "outage" else "恢复通知"
        if not ev.recipients:
            echo(f"  {ev.site}：{label}未发送（该网站未配置 contacts）")
            continue
        if not smtp:
            echo(f"  {ev.site}：{label}未发送（未配置 smtp）：{ev.subject}")
            continue
        msg = EmailMessage()
        msg["From"] = formataddr((sender_name, smtp["sender"])) if sender_name else smtp["sender"]
        msg["To"] = ", ".join(ev.recipients)
        msg["Subject"] = ev.subject
        msg["Date"] = formatdate(localtime=True)
        msg["Message-ID"] = make_msgid(domain=smtp["sender"].rsplit("@", 1)[-1])
        msg.set_content(ev.body)
        result = mailer.send_one(smtp, msg, ev.recipients, env.get("GOVAUDIT_SMTP_USER"), env.get("GOVAUDIT_SMTP_PASSWORD"))
        failed = {r: e for r, (status, e, _) in result.items() if status != "sent"}
        ev.sent = not failed
        ev.error = "；".join(f"{r}：{e}" for r, e in failed.items()) or None
        echo(f"  {ev.site}：{label}" + ("已发送" if ev.sent else f"发送失败：{ev.error}"))
