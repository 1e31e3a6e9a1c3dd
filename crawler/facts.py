"""What a crawled page tells the checks, extracted once at crawl time and stored as JSON.

Checks never see HTML: they read these facts from the store, so they can be re-run on last
month's crawl. Each kind of fact has its own module; this one only gathers them.
"""
from __future__ import annotations

import re
from typing import Any

#: Page meta tags from the 2017 guideline (政府网站发展指引) that many CMSs print.
GUIDELINE_META = (
    "SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType", "ColumnDescription",
    "ColumnKeywords", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Url",
    "Description", "others",
)
_META_LOOKUP = {name.lower(): name for name in GUIDELINE_META}
BREADCRUMB_LABEL = re.compile(r"(您的位置|当前位置|你的位置|所在位置|您现在的位置|当前的位置)\s*[:：]?")


def meta_tags(doc) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in doc.iterfind(".//meta[@name]"):
        name = _META_LOOKUP.get((el.get("name") or "").strip().lower())
        if name and name not in out:
            value = re.sub(r"\s+", " ", el.get("content") or "").strip()
            if value:
                out[name] = value[:300]
    return out


def breadcrumb(doc) -> list[str]:
    """The 您的位置 trail as a list of labels, or [] when the page has none."""
    candidates = doc.xpath(
        "//*[contains(@class,'crumb') or contains(@class,'position') or contains(@class,'location')"
        " or contains(@class,'dqwz') or contains(@class,'weizhi') or contains(@id,'crumb')"
        " or contains(@id,'position') or contains(@id,'location')]"
    )
    for el in doc.iter("div", "p", "span", "td", "li"):
        own = (el.text or "").strip()
        if own and BREADCRUMB_LABEL.search(own):
            candidates.insert(0, el.getparent() if len(el) == 0 and el.getparent() is not None else el)
    for el in candidates:
        text = re.sub(r"\s+", " ", el.text_content() or "").strip()
        if not text or len(text) > 200:
            continue
        text = BREADCRUMB_LABEL.sub("", text)
        parts = [p.strip() for p in re.split(r"\s*(?:>>|>|»|›|→|/|＞|\\)\s*", text) if p.strip()]
        if len(parts) >= 2:
            return parts[:8]
    return []


def extract(doc, url: str, *, text: str = "", as_of: str | None = None) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "meta": meta_tags(doc),
        "breadcrumb": breadcrumb(doc),
        "text_len": len(text),
    }
    return facts
