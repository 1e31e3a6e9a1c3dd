"""Working days for rectification deadlines (整改时限): weekends and holidays do not count.

Chinese public holidays move every year and weekends are sometimes working days (调休), so
both lists come from the configuration (notice.holidays, notice.workdays).
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable


def is_working_day(day: date, holidays: set[date], workdays: set[date]) -> bool:
    if day in workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: Iterable[date | str] = (),
                     workdays: Iterable[date | str] = ()) -> date:
    """The date `days` working days after `start` (the day after `start` is the first one)."""
    hol = {_d(h) for h in holidays}
    work = {_d(w) for w in workdays}
    cur, left = start, days
    while left > 0:
        cur += timedelta(days=1)
        if is_working_day(cur, hol, work):
            left -= 1
    return cur


def working_days_between(start: date, end: date, holidays: Iterable[date | str] = (),
                         workdays: Iterable[date | str] = ()) -> int:
    """Working days after `start` up to and including `end` (三同步: interpretation lag)."""
    hol = {_d(h) for h in holidays}
    work = {_d(w) for w in workdays}
    days, cur = 0, start
    while cur < end:
        cur += timedelta(days=1)
        days += is_working_day(cur, hol, work)
    return days


def _d(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def cn_date(day: date | str) -> str:
    """2026年11月21日 — how official documents write dates."""
    d = _d(day)
    return f"{d.year}年{d.month}月{d.day}日"


def cn_month(month: str) -> str:
    """'2026-11' -> 2026年11月."""
    y, m = month.split("-")
    return f"{int(y)}年{int(m)}月"
