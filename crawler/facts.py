"""What a crawled page tells the checks, extracted once at crawl time and stored as JSON.

Checks never see HTML: they read these facts from the store, so they can be re-run on last
month's crawl. Each kind of fact has its own module; this one only gathers them.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterable

from .content import ContentOptions, page_content
from .dates import labelled_date, parse_date
from .docmeta import body_text, extract_doc_meta, find_doc_numbers, related_links, valid_until_in_text
from .leaders import extract_leaders
from .listing import analyse_page
from .text import meta_content, truncation

#: Page meta tags from the 2017 guideline (政府网站发展指引) that many CMSs print.
GUIDELINE_META = (
    "SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType", "ColumnDescription",
    "ColumnKeywords", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Url",
    "Description", "others",
)
_META_LOOKUP = {name.lower(): name for name in GUIDELINE_META}
BREADCRUMB_LABEL = re.compile(r"((?:您|你)?(?:当前|现在)?所在(?:的)?位置|您的位置|当前位置|你的位置|您现在的位置|当前的位置)\s*[:：]?")


def meta_tags(doc) -> dict[str, str]:
    """The guideline meta tags the page carries (first non-empty of each), values ≤ 300 chars."""
    out: dict[str, str] = {}
    for lowered in dict.fromkeys((el.get("name") or "").strip().lower() for el in doc.iter("meta")):
        name = _META_LOOKUP.get(lowered)
        value = meta_content(doc, name) if name else ""
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


def _as_of(value: str | date | None) -> date:
    """The inspection date the crawl was started with (GOVAUDIT_AS_OF). There is no fallback
    to today: a page read without it would be dated against the wrong day."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValueError(f"检查日期（as_of）缺失或格式错误：{value!r}，应为 YYYY-MM-DD") from None


def publication_date(doc, meta: dict[str, str], text: str, as_of: date) -> str | None:
    """A detail page's own date: the PubDate meta, else the first labelled date in its text."""
    for key in ("PubDate",):
        if meta.get(key):
            d = parse_date(meta[key], as_of)
            if d:
                return d.isoformat()
    d = labelled_date(text[:5000], as_of=as_of)
    return d.isoformat() if d else None


_TEMPLATE_HREF = ("ms-attr-href", "ng-href", ":href", "v-bind:href", "th:href", "x-bind:href")


def script_filled_interpretation(doc) -> bool:
    """True when the page's 解读 box is a script template (avalon/Angular/Vue) with no static
    links: the TRS trt_ platforms load interpretations by AJAX, so the static page cannot
    show whether one exists."""
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip().lower()
        if (href and href != "#" and not href.startswith("javascript:")) or not any(k in a.attrib for k in _TEMPLATE_HREF):
            continue
        anc = a
        for _ in range(6):
            anc = anc.getparent()
            if anc is None:
                break
            if "解读" in (anc.text_content() or "")[:3000]:
                return True
    return False


def extract(doc, url: str, *, text: str = "", as_of: str | date | None = None,
            list_of: str | None = None, content: ContentOptions | None = None, title: str = "",
            internal_hosts: Iterable[str] = (), channels: bool = False) -> dict[str, Any]:
    """All facts of one parsed page. ``list_of`` is the first page of the list whose pager
    scheduled this page (the crawler knows it; column discovery then need not guess it from
    URL shapes). With ``content`` (the crawl's content options) the page's content facts for
    the issue 12 checks are added under ``content`` (crawler/content.py); ``channels`` asks for
    its message-channel links too (home and first-level pages)."""
    when = _as_of(as_of)
    meta = meta_tags(doc)
    listing, kind = analyse_page(doc, url, when)
    facts: dict[str, Any] = {
        "meta": meta,
        "kind": kind,
        "breadcrumb": breadcrumb(doc),
        "text_len": len(text),
        "listing": listing,
        "pub_date": publication_date(doc, meta, text, when),
    }
    if list_of:
        facts["list_of"] = list_of
    cut = truncation(doc) or (
        f"页面链接超过 {listing['capped']} 个，仅分析其中 {listing['capped']} 个" if listing.get("capped") else None)
    if cut:
        facts["truncated"] = cut  # 未完整解析: libxml2 read only part of the page
    leaders = extract_leaders(doc, url, title=title, meta=meta, breadcrumb=facts["breadcrumb"], listing=listing)
    if leaders:
        facts["leaders"] = leaders  # a 领导信息 page: its leaders' 姓名/职务/分工 (crawler/leaders.py)
    if kind in ("detail", "other"):
        dm = extract_doc_meta(doc, when)
        body = body_text(doc)
        if not dm.get("valid_until"):
            # No 有效期 field: the document's own clause ("本办法自…起施行，有效期2年") says when it ends.
            stated = valid_until_in_text(body[-6000:], when, dm.get("written_date"), dm.get("pub_date"))
            if stated:
                dm["valid_until"], dm["valid_until_from"] = stated, "text"
        facts["doc"] = dm
        facts["cited_numbers"] = find_doc_numbers(body[:20000])[:20]
        facts["related"] = related_links(doc, url)[:20]
        facts["jd_box_empty"] = script_filled_interpretation(doc) and not any(
            r.get("kind") == "interpretation" for r in facts["related"])
        if not facts["pub_date"] and dm.get("pub_date"):
            facts["pub_date"] = dm["pub_date"]
    if content is not None and content.enabled:
        facts["content"] = page_content(doc, url, title=title, meta=meta, breadcrumb=facts["breadcrumb"], text=text,
                                        as_of=when, internal_hosts=internal_hosts, options=content,
                                        with_channels=channels)
    return facts
