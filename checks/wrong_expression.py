"""严重表述错误: institution names abolished in the 2018 and 2023 reforms used as current, and
miswritten fixed phrases (中华人民共合国, 中国特色社会主意 …), from the dictionaries in config/wording/
(plus an office's own, ``content.wording.extra_files``).

The crawler stores each page's candidates found without a date (crawler/content.py); here the
reform date is applied against the page's own publication date (``wording_rules.current_on``):

- a page published before the reform at that level used the then-correct name: not reported;
- a dated page on or after it, and any fixed-phrase typo: severity ``veto`` — the 2019 indicators
  make 严重表述错误 a 单项否决 item whatever the place;
- an undated page (most list and channel pages) with an abolished name: ``info``, 需人工核实, since
  the text may be an old article's.

Place: a title (the page's ArticleTitle/<h1>/<title>) and the body weigh the same for the verdict —
a wrong title is published content like the body — but ``data.in_title`` says which, the detail says
标题中, and a title hit is kept over a body hit of the same word. Text that is only the anchor of a
link to another crawled page (a list repeating an article's title) is judged on that article, not
on the list. The same sentence on several pages (a footer or sidebar of the template) is one
finding listing the pages.

One finding per page and wrong word: ``data.rule`` is the wrong word, so the finding's identity
(check + url + #rule) stays stable month to month.
"""
from __future__ import annotations

from typing import Iterable

from .content_common import RULE_2019, content_pages
from .crawl import Crawl
from .spec import CheckSpec
from .wording import book_title
from .wording_rules import WordingHit, current_on

RULE = f"依据{RULE_2019}单项否决指标“严重表述错误”"
TEMPLATE_PAGES = 3  # the same sentence on at least this many pages is the template's, told once
_FIELDS = set(WordingHit.__dataclass_fields__)


def _crawled(crawl: Crawl) -> set[str]:
    out: set[str] = set()
    for r in crawl.pages(fields="url, final_url"):
        out.add(r["url"])
        if r.get("final_url"):
            out.add(r["final_url"])
    return out


def run(crawl: Crawl) -> Iterable[dict]:
    crawled: set[str] | None = None
    found: dict[tuple[str, str], dict] = {}
    for page in content_pages(crawl, "wording"):
        for raw in page["value"]:
            link = raw.get("link")
            if link and link != page["url"]:
                if crawled is None:
                    crawled = _crawled(crawl)
                if link in crawled:
                    continue  # an article's title repeated as link text: judged on the article
            hit = WordingHit(**{k: v for k, v in raw.items() if k in _FIELDS})
            current = current_on(hit, page.get("pub_date"))
            if current is False:
                continue
            severity = "veto" if current else "info"
            key = (page["url"], hit.wrong)
            f = found.get(key)
            if f is None:
                found[key] = {"page": page, "hit": hit, "severity": severity, "count": 1}
                continue
            f["count"] += 1
            if hit.in_title and not f["hit"].in_title:
                f["hit"] = hit
    # The template's sentence (footer, sidebar) on many pages: one finding for all of them.
    groups: dict[tuple[str, str], list[dict]] = {}
    for f in found.values():
        if not f["hit"].in_title:
            groups.setdefault((f["hit"].wrong, f["hit"].sentence), []).append(f)
    merged: set[int] = set()
    for items in groups.values():
        if len(items) >= TEMPLATE_PAGES:
            # the home page first, then a dated page (its verdict is sure), then crawl order
            items.sort(key=lambda f: (not f["page"]["is_home"], f["severity"] != "veto"))
            items[0]["pages"] = [f["page"]["url"] for f in items]
            if any(f["severity"] == "veto" for f in items):
                items[0]["severity"] = "veto"
            merged.update(id(f) for f in items[1:])
    for f in found.values():
        if id(f) in merged:
            continue
        yield _finding(f)


def _finding(f: dict) -> dict:
    page, hit = f["page"], f["hit"]
    pages = f.get("pages") or [page["url"]]
    place = "标题中" if hit.in_title else "正文中"
    if hit.kind == "institution":
        what = f"使用已撤销的机构名称“{hit.wrong}”（{hit.reform}后应为“{hit.suggestion}”）"
    else:
        what = f"出现错误表述“{hit.wrong}”（应为“{hit.suggestion}”）"
    if f["severity"] == "info":
        what += "，页面未注明发布日期，无法判断是否为改革前的内容，需人工核实"
    elif page.get("pub_date") and hit.kind == "institution":
        what += f"，页面发布日期 {page['pub_date']} 晚于机构改革"
    many = f"等 {len(pages)} 个页面（网站模板内容）" if len(pages) > 1 else ""
    detail = f"页面{many}{place}{what}：“{hit.sentence[:120]}”。{RULE}"
    return {
        "url": page["url"], "found_on": pages[:20], "severity": f["severity"], "detail": detail,
        "data": {"wrong": hit.wrong, "suggestion": hit.suggestion, "sentence": hit.sentence, "in_title": hit.in_title,
                 "kind": hit.kind, "reform": hit.reform, "since": hit.since, "pub_date": page.get("pub_date"),
                 "count": f["count"], "title": page.get("title") or "", "found_on_count": len(pages), "rule": hit.wrong},
    }


def _where(f: dict) -> str:
    data = f.get("data") or {}
    place = "标题" if data.get("in_title") else "正文"
    title = book_title(data["title"]) if data.get("title") else f.get("url", "")
    n = data.get("found_on_count", 1)
    return f"{title}{place}“{data.get('wrong', '')}”" + (f"（等 {n} 个页面）" if n > 1 else "")


def _short(f: dict) -> str:
    data = f.get("data") or {}
    return f"“{data.get('wrong', '')}”（应为“{data.get('suggestion', '')}”）"


def _summary(items: list[dict]) -> str:
    words = list(dict.fromkeys(_short(f) for f in items))
    return f"有 {len(items)} 处严重表述错误，如{'、'.join(words[:3])}" + ("等" if len(words) > 3 else "")


CHECK = CheckSpec(
    id="wrong_expression", title="严重表述错误", run=run, order=33, veto=True,
    hint="页面使用已撤销的机构名称（如国土资源局、卫计委）或错误的固定表述（如中华人民共合国）；未注明日期的页面需人工核实。",
    where=_where, short=_short, summary=_summary,
)
