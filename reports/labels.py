"""Names and orders that every report shares."""
from __future__ import annotations

CHECK_TITLES = {
    "dead_link": "链接不可用",
    "unverifiable_link": "链接无法验证",
    "stale_homepage": "首页不更新",
    "stale_column": "栏目不更新",
    "blank_column": "空白栏目",
    "missing_validity": "规范性文件未标注有效性",
    "expired_still_valid": "已过有效期仍标注有效",
    "missing_interpretation": "政策文件缺少解读",
    "late_interpretation": "政策解读发布滞后",
    "column_veto": "栏目单项否决",
    "site_unreachable": "站点无法访问",
    "veto": "单项否决",
}
#: Order of problem types in reports: vetoes first, then what the indicators weigh most.
CHECK_ORDER = ["site_unreachable", "stale_homepage", "column_veto", "dead_link", "stale_column", "blank_column",
               "missing_validity", "expired_still_valid", "missing_interpretation", "late_interpretation",
               "unverifiable_link"]
SEVERITY_TITLES = {"veto": "单项否决", "high": "严重", "medium": "一般", "low": "轻微", "info": "提示"}
SEVERITY_ORDER = {"veto": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


def check_rank(check_id: str) -> int:
    return CHECK_ORDER.index(check_id) if check_id in CHECK_ORDER else len(CHECK_ORDER)


def check_title(check_id: str) -> str:
    return CHECK_TITLES.get(check_id, check_id)


def safe_cell(value):
    """Neutralise spreadsheet formulas: page text must never run in an inspector's Excel."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
