"""Escalation: problems still open after N consecutive monthly inspections (default 2).

The notice names them in its "上次通报问题仍未整改" part with their month count, and each
unit's list puts them first. Worked out from ``finding_history`` alone (its months list),
so it needs no crawl and gives the same answer every time it is asked.
"""
from __future__ import annotations

import json
from typing import Iterable

DEFAULT_MONTHS = 2


def _index(month: str) -> int:
    y, m = month.split("-")
    return int(y) * 12 + int(m) - 1


def streak(months: Iterable[str], month: str) -> int:
    """Consecutive calendar months ending with `month` in which the problem was found."""
    have = {_index(m) for m in months}
    n, i = 0, _index(month)
    while i in have:
        n += 1
        i -= 1
    return n


def escalated(rows: Iterable[dict], month: str, n: int = DEFAULT_MONTHS) -> list[dict]:
    """finding_history rows open in `month` for at least `n` consecutive months, longest first.

    Each returned row carries ``months_open``. A row whose months list is JSON text (as
    stored) or a list both work.
    """
    out = []
    for r in rows:
        months = r.get("months") or []
        if isinstance(months, str):
            months = json.loads(months or "[]")
        if month not in months:
            continue
        k = streak(months, month)
        if k >= n:
            out.append(dict(r, months_open=k))
    out.sort(key=lambda r: (-r["months_open"], r.get("site", ""), r.get("check", ""), r.get("url", "")))
    return out


def threshold(config: dict | None) -> int:
    """review.escalate_months from the configuration (default 2)."""
    value = ((config or {}).get("review") or {}).get("escalate_months", DEFAULT_MONTHS)
    return max(1, int(value))


def month_escalations(db, month: str, n: int = DEFAULT_MONTHS, sites: Iterable[str] | None = None) -> list[dict]:
    """The store's escalated problems of a month (optionally only these sites)."""
    if "finding_history" not in db.table_names():
        return []
    rows = list(db.query("SELECT * FROM finding_history"))
    if sites is not None:
        wanted = set(sites)
        rows = [r for r in rows if r["site"] in wanted]
    return escalated(rows, month, n)
