"""How a problem is named where a unit must find it: the default wordings a CheckSpec uses.

Every check stores different facts in ``data``; these turn them into the words of the notice
and the 整改清单 (a column name, a document title, the pages that show a broken link). A check
picks the ones that fit in its CheckSpec, or brings its own.
"""
from __future__ import annotations

from govaudit.crawler.errors import ERROR_LABELS


def column_name(f: dict) -> str | None:
    data = f.get("data") or {}
    return data.get("name") if data.get("type_label") is not None else None


def _document(f: dict) -> str | None:
    data = f.get("data") or {}
    return data["title"] if data.get("title") and data.get("why") else None


def pages(f: dict, limit: int = 3) -> str:
    """The pages that show the problem (a few, then 等 N 个页面), with the link text."""
    data = f.get("data") or {}
    found = list(f.get("found_on") or [])
    count = data.get("found_on_count", len(found))
    if not found:
        return ""
    text = "\n".join(found[:limit])
    if count > min(limit, len(found)):
        text += f"\n等 {count} 个页面"
    anchors = data.get("anchors") or []
    if anchors:
        text = f"链接文字“{anchors[0]}”，位于：\n" + text
    return text


def where(f: dict) -> str:
    """问题页面/栏目 by what the finding's data holds: a column, a document, or pages."""
    data = f.get("data") or {}
    name = column_name(f)
    if name:
        return f"栏目“{name}”"
    if _document(f):
        col = f"（{data['column']}栏目）" if data.get("column") else ""
        return f"《{data['title']}》{col}"
    return pages(f)


def short(f: dict) -> str:
    name = column_name(f)
    if name:
        return f"“{name}”"
    if _document(f):
        return f"《{f['data']['title']}》"
    return f.get("url", "")


def summary(items: list[dict]) -> str:
    """After the site's name in a notice line: 的“甲”“乙”栏目 or N 个，如《…》."""
    n = len(items)
    names = [short(f) for f in items]
    if column_name(items[0]):
        return f"的{''.join(names[:8])}{'等 ' + str(n) + ' 个' if n > 8 else ''}栏目"
    titles = [t for t in names[:3] if t.startswith("《")]
    return f"{n} 个" + (f"，如{''.join(titles)}" + ("等" if n > len(titles) else "") if titles else "")


def book_title(title: str) -> str:
    """《title》, or “title” when the title already quotes a document (no 《…《…》…》 in a notice)."""
    return f"“{title}”" if "《" in title or "》" in title else f"《{title}》"


def no_error_code(f: dict) -> str:
    return ""


# --- wordings for particular kinds of check -------------------------------------------------

def column_where(f: dict) -> str:
    name = (f.get("data") or {}).get("name")
    return f"栏目“{name}”" if name else where(f)


def column_short(f: dict) -> str:
    name = (f.get("data") or {}).get("name")
    return f"“{name}”" if name else short(f)


def column_summary(items: list[dict]) -> str:
    n = len(items)
    if not (items[0].get("data") or {}).get("name"):
        return summary(items)
    names = [column_short(f) for f in items]
    return f"的{''.join(names[:8])}{'等 ' + str(n) + ' 个' if n > 8 else ''}栏目"


def link_error_code(f: dict) -> str:
    """错误返回码: the HTTP status or network error behind a link."""
    data = f.get("data") or {}
    if data.get("error_class"):
        return ERROR_LABELS.get(data["error_class"], data["error_class"])
    if data.get("status"):
        return str(data["status"])
    return data.get("reason") or ""


def link_summary(items: list[dict]) -> str:
    """N 个（其中首页 M 个）: the indicators weigh home-page links more."""
    home = sum(1 for f in items if (f.get("data") or {}).get("on_home"))
    return f"{len(items)} 个" + (f"（其中首页 {home} 个）" if home else "")


def fixed(text: str):
    """A wording that is always the same text (the home page, the start URL)."""
    return lambda f: text
