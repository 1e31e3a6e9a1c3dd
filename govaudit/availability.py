"""A site's availability over the week before the inspection, from the stored probes.

Rule (国办秘函〔2019〕19号, 单项否决 1): "监测1周，每天间隔性访问20次以上，超过（含）15秒网站仍打不开的次数
累计占比超过（含）5%，即单项否决". The week is the seven calendar days before the as-of date (as-of − 7 …
as-of − 1): the inspection day itself is not over yet. Probes inside a closure the unit filed in advance
(报备, ``sites[].closures``) are left out of both counts; unfiled closures count as failures. A week in
which any day has fewer probes than the rule's minimum gets no verdict ("监测次数不足"): a ratio over too
few visits would accuse or clear a site on too little evidence.

pandas does the per-day and per-site arithmetic here (groupby over tens of thousands of probe rows per
week for a thousand sites).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
import sqlite_utils

RULE = ("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）：监测1周，每天间隔性访问20次以上，"
        "超过（含）15秒网站仍打不开的次数累计占比超过（含）5%，即单项否决")
DEFAULTS = {"days": 7, "min_per_day": 20, "veto_ratio": 0.05, "warn_ratio": 0.03}


@dataclass
class Closure:
    start: datetime
    end: datetime
    reason: str = ""

    def text(self) -> str:
        span = f"{self.start:%Y年%-m月%-d日%H:%M}至{self.end:%Y年%-m月%-d日%H:%M}"
        return f"{span}（{self.reason}）" if self.reason else span


@dataclass
class Availability:
    site_id: str
    site: str
    window: tuple[str, str]  # first and last day, ISO
    probes: int = 0
    failures: int = 0
    excluded: int = 0  # probes inside filed closures
    longest_outage_min: float = 0.0
    longest_outage_probes: int = 0
    per_day: dict[str, int] = field(default_factory=dict)
    short_days: list[str] = field(default_factory=list)  # days under the daily minimum
    closures: list[str] = field(default_factory=list)  # filed closures that fell in the window
    outcomes: dict[str, int] = field(default_factory=dict)  # failure outcome → count
    verdict: str = "none"  # none (never probed) | insufficient | ok | warning | veto

    @property
    def ratio(self) -> float:
        return self.failures / self.probes if self.probes else 0.0

    @property
    def ratio_text(self) -> str:
        return f"{self.ratio * 100:.2f}%"

    @property
    def verdict_text(self) -> str:
        return {"none": "未监测", "insufficient": "监测次数不足", "ok": "正常", "warning": "预警",
                "veto": "单项否决"}[self.verdict]

    def as_dict(self) -> dict[str, Any]:
        return {"site_id": self.site_id, "site": self.site, "window": list(self.window), "probes": self.probes,
                "failures": self.failures, "ratio": round(self.ratio, 6), "ratio_text": self.ratio_text,
                "excluded": self.excluded, "longest_outage_min": round(self.longest_outage_min, 1),
                "longest_outage_probes": self.longest_outage_probes, "short_days": self.short_days,
                "closures": self.closures, "outcomes": self.outcomes, "verdict": self.verdict,
                "verdict_text": self.verdict_text}


def settings(config: dict[str, Any] | None) -> dict[str, Any]:
    return {**DEFAULTS, **((config or {}).get("availability") or {})}


def parse_closures(raw: list[dict[str, Any]] | None) -> list[Closure]:
    """sites[].closures: [{from, to, reason}], dates (whole days) or ISO timestamps."""
    out = []
    for c in raw or []:
        start, end = _moment(c["from"], end=False), _moment(c["to"], end=True)
        out.append(Closure(start, end, str(c.get("reason") or "")))
    return out


def _moment(value: Any, *, end: bool) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime.combine(value, time.max if end else time.min)
    text = str(value).strip()
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time.max if end else time.min)
    return datetime.fromisoformat(text).replace(tzinfo=None)


def window(as_of: date, days: int) -> tuple[date, date]:
    return as_of - timedelta(days=days), as_of - timedelta(days=1)


def site_availability(db: sqlite_utils.Database, site_id: str, site: str, as_of: date,
                      closures: list[Closure] | None = None, config: dict[str, Any] | None = None) -> Availability:
    """The week's figures and verdict for one site's home page probes."""
    cfg = settings(config)
    first, last = window(as_of, int(cfg["days"]))
    result = Availability(site_id=site_id, site=site, window=(first.isoformat(), last.isoformat()))
    if "probes" not in db.table_names():
        return result
    rows = list(db.query("SELECT at, day, ok, outcome FROM probes WHERE site_id = ? AND kind = 'home' "
                         "AND day BETWEEN ? AND ? ORDER BY at", [site_id, first.isoformat(), last.isoformat()]))
    if not rows:
        return result
    df = pd.DataFrame(rows)
    # Wall-clock time as the unit filed it: closures are written in local time without an offset.
    df["local"] = [datetime.fromisoformat(a).replace(tzinfo=None) for a in df["at"]]
    df["closed"] = False
    for c in closures or []:
        inside = (df["local"] >= c.start) & (df["local"] <= c.end)
        if inside.any() or (c.start.date() <= last and c.end.date() >= first):
            result.closures.append(c.text())
        df.loc[inside, "closed"] = True
    result.excluded = int(df["closed"].sum())
    counted = df[~df["closed"]].sort_values("local")
    result.probes = len(counted)
    result.failures = int((counted["ok"] == 0).sum())
    result.outcomes = {k: int(v) for k, v in counted.loc[counted["ok"] == 0, "outcome"].value_counts().items()}
    all_days = [(first + timedelta(days=i)).isoformat() for i in range(int(cfg["days"]))]
    per_day = df.groupby("day").size()  # closures do not make a day short: the unit filed them
    result.per_day = {d: int(per_day.get(d, 0)) for d in all_days}
    result.short_days = [d for d in all_days if result.per_day[d] < int(cfg["min_per_day"])
                         and not _closed_all_day(d, closures or [])]
    result.longest_outage_min, result.longest_outage_probes = _longest_outage(counted)
    if result.short_days:
        result.verdict = "insufficient"
    elif result.ratio >= float(cfg["veto_ratio"]):
        result.verdict = "veto"
    elif result.ratio >= float(cfg["warn_ratio"]):
        result.verdict = "warning"
    else:
        result.verdict = "ok"
    return result


def _closed_all_day(day: str, closures: list[Closure]) -> bool:
    d = date.fromisoformat(day)
    return any(c.start <= datetime.combine(d, time.min) and c.end >= datetime.combine(d, time.max.replace(microsecond=0))
               for c in closures)


def _longest_outage(df: pd.DataFrame) -> tuple[float, int]:
    """The longest run of consecutive failed probes: its length in probes, and in minutes from its first
    failure to the next probe that opened (or to its last failure when the week ends down)."""
    best_min, best_n = 0.0, 0
    start: datetime | None = None
    n = 0
    last_fail: datetime | None = None
    for local, ok in zip(df["local"], df["ok"]):
        if not ok:
            if start is None:
                start, n = local, 0
            n += 1
            last_fail = local
            continue
        if start is not None:
            minutes = (local - start).total_seconds() / 60
            if (n, minutes) > (best_n, best_min):
                best_n, best_min = n, minutes
            start = None
    if start is not None and last_fail is not None:
        minutes = (last_fail - start).total_seconds() / 60
        if (n, minutes) > (best_n, best_min):
            best_n, best_min = n, minutes
    return best_min, best_n


def finding(a: Availability, url: str) -> dict[str, Any] | None:
    """The week's verdict as a finding: `site_unavailable` (veto) at ≥ 5 %, `availability_warning` (info)
    at ≥ 3 %; nothing when the site was not probed or the probes are too few to judge."""
    if a.verdict not in ("veto", "warning"):
        return None
    data = a.as_dict()
    span = f"{a.window[0]}至{a.window[1]}"
    tail = f"，已剔除报备关停期间的监测{a.excluded}次（{'；'.join(a.closures)}）" if a.excluded else ""
    if a.verdict == "veto":
        return {"check": "site_unavailable", "url": url, "found_on": [], "severity": "veto", "data": data,
                "detail": f"{span}共监测首页{a.probes}次，{a.failures}次超过15秒仍无法打开，占比{a.ratio_text}，"
                          f"达到5%{tail}；最长连续无法访问{a.longest_outage_probes}次。依据：{RULE}。"}
    return {"check": "availability_warning", "url": url, "found_on": [], "severity": "info", "data": data,
            "detail": f"{span}共监测首页{a.probes}次，{a.failures}次无法打开，占比{a.ratio_text}，已达3%预警线"
                      f"（5%为单项否决）{tail}，请及时排查。"}
