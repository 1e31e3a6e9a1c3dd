"""How one problem is named in the notice and the 整改清单: where it is, and its error code.

Every check stores different facts in `data`; this is the one place that turns them into the
words a unit needs to find the problem on its own site (a column name, a document title, the
pages that show a broken link).
"""
from __future__ import annotations

from govaudit.crawler.errors import ERROR_LABELS


def column_name(f: dict) -> str | None:
    data = f.get("data") or {}
    return data.get("name") if data.get("type_label") is not None or f["check"] in ("stale_column", "blank_column") else None


def where(f: dict, pages: int = 3) -> str:
    """问题页面/栏目: the column, document or pages where the unit will see the problem."""
    data = f.get("data") or {}
    check = f["check"]
    if check == "site_unreachable":
        return "网站首页（起始网址）"
    if check == "stale_homepage":
        return "网站首页"
    if check == "column_veto":
        names = [c.get("name") or c.get("url") for c in data.get("columns") or []]
        return "栏目：" + "、".join(f"“{n}”" for n in names[:10]) + (f" 等 {len(names)} 个" if len(names) > 10 else "")
    name = column_name(f)
    if name:
        return f"栏目“{name}”"
    if data.get("title") and data.get("why"):
        col = f"（{data['column']}栏目）" if data.get("column") else ""
        return f"《{data['title']}》{col}"
    found = list(f.get("found_on") or [])
    count = data.get("found_on_count", len(found))
    if not found:
        return ""
    text = "\n".join(found[:pages])
    if count > min(pages, len(found)):
        text += f"\n等 {count} 个页面"
    anchors = data.get("anchors") or []
    if anchors:
        text = f"链接文字“{anchors[0]}”，位于：\n" + text
    return text


def error_code(f: dict) -> str:
    """错误返回码: the HTTP status or network error behind a broken link."""
    data = f.get("data") or {}
    if f["check"] not in ("dead_link", "unverifiable_link"):
        return ""
    if data.get("error_class"):
        return ERROR_LABELS.get(data["error_class"], data["error_class"])
    if data.get("status"):
        return str(data["status"])
    return data.get("reason") or ""


def short(f: dict) -> str:
    """A problem in a few words, for lists in the notice's running text."""
    data = f.get("data") or {}
    name = column_name(f)
    if name:
        return f"“{name}”"
    if data.get("title") and data.get("why"):
        return f"《{data['title']}》"
    return f.get("url", "")
