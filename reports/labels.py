"""Names and orders that every report shares: check titles and order come from the registry."""
from __future__ import annotations

from govaudit.checks import spec_for

SEVERITY_TITLES = {"veto": "单项否决", "high": "严重", "medium": "一般", "low": "轻微", "info": "提示"}
SEVERITY_ORDER = {"veto": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


def check_rank(check_id: str) -> int:
    """Position of a problem type in reports (the check's CheckSpec.order)."""
    return spec_for(check_id).order


def check_title(check_id: str) -> str:
    return spec_for(check_id).title


def is_veto(check_id: str) -> bool:
    """Told as 单项否决 in the notice (CheckSpec.veto)."""
    return spec_for(check_id).veto


def safe_cell(value):
    """Neutralise spreadsheet formulas: page text must never run in an inspector's Excel."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
