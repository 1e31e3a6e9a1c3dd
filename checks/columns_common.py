"""Find a site's columns (栏目) in the stored crawl, and date each one's newest item.

Shared by stale_column, blank_column, stale_homepage and column_veto. A column is a list
page (its main content lists items); the later pages of a paginated list belong to it, and the
home page, site map, search pages and detail pages are never columns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from govaudit.crawler.render import MANUAL_NOTE, manual
from govaudit.crawler.urlshapes import (directory_of_index, first_page_candidates, is_page_param,
                                        page_param)

from .crawl import Crawl

NON_COLUMN_KINDS = frozenset({"home", "detail", "sitemap", "search"})
_GENERIC_NAMES = {"首页", "正文", "详情", "详细内容", "内容", "列表", "更多", "more", "网站首页"}
_TITLE_SPLIT = re.compile(r"\s*[_|｜\-—–－·]+\s*")


@dataclass
class Column:
    url: str
    name: str
    type: str
    type_label: str
    window_days: int | None
    excluded: str | None = None  # why the column is not judged by date
    pages: list[str] = field(default_factory=list)  # list pages, the first named as the column is
    read_pages: list[str] = field(default_factory=list)  # the same pages as stored (for queries)
    items: list[dict] = field(default_factory=list)
    blank: bool = False
    newest: date | None = None
    newest_item: dict | None = None
    undated: bool = False  # items exist but none carries a date anywhere
    leader_list: bool = False  # the first page lists leaders (crawler/leaders.py): undated by nature
    manual: bool = False  # its list is filled by script and was never seen rendered: not judged
    future_items: list[dict] = field(default_factory=list)  # dated after the as-of date: not updates

    def overdue_days(self, as_of: date) -> int | None:
        if self.window_days is None or self.newest is None:
            return None
        return (as_of - self.newest).days - self.window_days

    def as_dict(self, as_of: date) -> dict[str, Any]:
        return {
            "url": self.url, "name": self.name, "type": self.type, "type_label": self.type_label,
            "window_days": self.window_days, "excluded": self.excluded, "pages": self.pages,
            "item_count": len(self.items), "blank": self.blank,
            "newest_date": self.newest.isoformat() if self.newest else None,
            "newest_title": (self.newest_item or {}).get("title"),
            "newest_url": (self.newest_item or {}).get("url"),
            "undated": self.undated, "verdict": verdict(self, as_of),
        }


def iso_date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def future_limit(crawl: Crawl) -> date:
    """The last date an item may carry and still count as published by the as-of date.

    A date after it (a typo, a scheduled post, a faked update) is no update: it must neither
    make a stale column fresh nor spare a home page (checks.future_date reports it)."""
    days = int(crawl.setting("dates", "future_tolerance_days", default=1) or 0)
    return crawl.as_of + timedelta(days=max(0, days))


def split_future(items: list[dict], limit: date) -> tuple[list[dict], list[dict]]:
    """(items dated up to ``limit``, items dated after it); undated items are dropped."""
    ok, future = [], []
    for item in items:
        d = iso_date(item.get("date"))
        if d is not None:
            (ok if d <= limit else future).append(item)
    return ok, future


def _pagination_parent(url: str, list_urls: set[str]) -> str | None:
    """The first page of the list this URL is a later page of, judged by its shape alone."""
    for candidate in first_page_candidates(url):
        if candidate in list_urls and candidate != url:
            return candidate
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if parts.query and page_param(pairs):
        base = url.split("?", 1)[0]
        if base in list_urls:
            return base
        rest = [(k, v) for k, v in pairs if not is_page_param(k)]
        first = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(rest), ""))
        if first != url and first in list_urls:
            return first
    return None


def _column_url(crawl: Crawl, url: str) -> str:
    """The form of a column's first page to name it by. The crawler reads a page served
    under both ``/col/`` and ``/col/index.shtml`` once, under whichever URL it reached
    first; the column's URL must not follow that order (month-over-month identity depends
    on it), so it is chosen among every form the site links: see _preferred_form."""
    if "?" in url or "#" in url:
        return url
    folder = directory_of_index(url) or (url if url.endswith("/") else None)
    if not folder:
        return url
    forms = {folder, url}
    for r in crawl.db.query(
            "SELECT DISTINCT target FROM links WHERE run_id = ? AND target >= ? AND target < ?",
            [crawl.run_id, folder, folder + "\uffff"]):
        if directory_of_index(r["target"]) == folder:
            forms.add(r["target"])
    return _preferred_form(crawl, sorted(forms))


def _preferred_form(crawl: Crawl, forms: list[str]) -> str:
    """The URL to name a column by when it answers as both ``/col/`` and ``/col/index.html``:
    the form the site's own navigation links (from the home page first, then from more
    pages other than the two themselves), else the shorter. Decided from the stored links,
    never from which form the crawl happened to fetch first."""
    links = crawl.links_to(forms)

    def weight(url: str) -> tuple:
        sources = {r["source"] for r in links.get(url, []) if r["source"] not in forms}
        home = any(r["source_is_home"] for r in links.get(url, []))
        return (home, len(sources), -len(url), url)

    return max(forms, key=weight)


def clean_name(name: str, site_name: str = "") -> str:
    name = re.sub(r"\s+", "", name or "")
    return "" if not name or name in _GENERIC_NAMES or (site_name and name == site_name) else name


def column_name(page: dict, anchors: list[str], site_name: str) -> str:
    meta = page["meta"]
    crumbs = page["facts"].get("breadcrumb") or []
    candidates = [meta.get("ColumnName", "")]
    if crumbs:
        candidates.append(crumbs[-1])
    title = page.get("title") or ""
    parts = [p for p in _TITLE_SPLIT.split(title) if p]
    if parts:
        candidates.append(parts[0])
    candidates.extend(anchors)
    for c in candidates:
        c = clean_name(c, site_name or meta.get("SiteName", ""))
        if c and len(c) <= 30 and not re.search(r"更多|more|>>|»", c, re.I):
            return c
    return urlsplit(page["url"]).path or page["url"]


def classify(name: str, type_hint: str, cfg: dict) -> tuple[str, str, int | None]:
    types: dict = cfg.get("types", {})
    for text in (type_hint, name):
        if not text:
            continue
        for type_id, spec in types.items():
            if any(k in text for k in spec.get("keywords", [])):
                return type_id, spec.get("label", type_id), spec.get("window_days")
    default = cfg.get("default_type", "other")
    spec = types.get(default, {})
    return default, spec.get("label", default), spec.get("window_days", 365)


def _override(url: str, overrides: dict) -> str | None:
    path = urlsplit(url).path
    best = None
    for prefix, action in (overrides or {}).items():
        p = prefix if prefix.startswith(("http://", "https://")) else None
        if (p and url.startswith(p)) or (not p and path.startswith(prefix)):
            if best is None or len(prefix) > len(best[0]):
                best = (prefix, action)
    return best[1] if best else None


def discover(crawl: Crawl) -> list[Column]:
    """All columns of the run, with their items and newest dates (cached per crawl)."""
    cache = crawl.__dict__.setdefault("_cache", {})
    if "columns" in cache:
        return cache["columns"]
    cfg = crawl.setting("columns", default={}) or {}
    overrides = {**(cfg.get("overrides") or {}), **(crawl.setting("site", "columns", default={}) or {})}
    exclude_kw = cfg.get("exclude_keywords", [])
    # Only list pages need their facts in memory; every other page lends just its date.
    pub_dates: dict[str, date] = {}
    crawled: set[str] = set()
    for p in crawl.pages(fields="url, final_url, json_extract(facts, '$.pub_date') AS pub_date"):
        crawled.add(p["url"])
        d = iso_date(p["pub_date"])
        if d:
            pub_dates[p["url"]] = d
            pub_dates[p["final_url"]] = d
    kinds = ",".join(f"'{k}'" for k in NON_COLUMN_KINDS)
    list_pages = list(crawl.pages(
        where=f"kind NOT IN ({kinds}) AND is_home = 0 AND (json_extract(facts, '$.listing.is_list') = 1"
              " OR json_extract(facts, '$.listing.blank') = 1"
              # a list filled by script that no browser rendered: listed, never judged from its shell
              " OR (json_extract(facts, '$.script_loaded.what') = 'list'"
              "     AND json_extract(facts, '$.script_loaded.rendered') = 0))"))
    by_url = {p["url"]: p for p in list_pages}
    list_urls = {p["url"] for p in list_pages}
    parent_of: dict[str, str] = {}
    for p in list_pages:
        # Recorded by the crawler: the list whose pager announced this page.
        first = p["facts"].get("list_of")
        if first and first != p["url"] and first in list_urls:
            parent_of[p["url"]] = first
    for p in list_pages:
        for later in (p["facts"].get("listing") or {}).get("pagination") or []:
            if later != p["url"] and later in list_urls:
                parent_of.setdefault(later, p["url"])
    for url in sorted(list_urls):
        # A page's shape names its list for certain (index_2.html, list2.htm, ?page=3 →
        # the first page): it wins over pager links, which may point both ways.
        parent = _pagination_parent(url, list_urls)
        if parent:
            parent_of[url] = parent
    for url in sorted(list_urls):
        # /zwgk/czyjs/ and /zwgk/czyjs/index.shtml are one page (TRS breadcrumbs link "./"):
        # one form is the column's URL whatever the crawl order, since month-over-month
        # identity depends on it.
        folder = directory_of_index(url)
        if folder and folder in list_urls:
            canon = _preferred_form(crawl, [folder, url])
            alias = url if canon == folder else folder
            if parent_of.get(canon) == alias:
                del parent_of[canon]
            parent_of[alias] = canon

    def root(url: str) -> str:
        seen: list[str] = []
        while url in parent_of and url not in seen:
            seen.append(url)
            url = parent_of[url]
        if url in seen:  # pager links that point both ways: the same answer from any start
            cycle = seen[seen.index(url):]
            return min(cycle, key=lambda u: (len(u), u))
        return url

    anchors = _anchor_texts(crawl, [p["url"] for p in list_pages if p["url"] not in parent_of])
    named_cache: dict[str, str] = {}

    def named(url: str) -> str:
        if url not in named_cache:
            named_cache[url] = _column_url(crawl, url)
        return named_cache[url]
    site_name = crawl.site
    columns: dict[str, Column] = {}
    for p in list_pages:
        top = root(p["url"])
        key = named(top)
        if key not in columns:
            head = by_url.get(top, p)
            texts = (_anchor_texts(crawl, [key]).get(key, []) if key != top else []) + anchors.get(top, [])
            name = column_name(head, texts, site_name)
            type_id, label, window = classify(name, head["meta"].get("ColumnType", ""), cfg)
            col = Column(url=key, name=name, type=type_id, type_label=label, window_days=window)
            action = _override(top, overrides)
            crumbs = "".join(head["facts"].get("breadcrumb") or [])
            if action == "exclude":
                col.excluded = "配置中排除"
            elif action and action in cfg.get("types", {}):
                spec = cfg["types"][action]
                col.type, col.type_label, col.window_days = action, spec.get("label", action), spec.get("window_days")
            elif any(k in name or k in crumbs for k in exclude_kw):
                col.excluded = "历史专题栏目，不要求更新"
            if col.window_days is None and not col.excluded:
                col.excluded = DATE_EXEMPT
            columns[key] = col
        col = columns[key]
        if p["url"] == top and len((p["facts"].get("leaders") or {}).get("entries") or []) >= 2:
            col.leader_list = True
        col.pages.append(named(p["url"]) if p["url"] == top else p["url"])
        col.read_pages.append(p["url"])
        listing = p["facts"].get("listing") or {}
        if p["url"] == top and listing.get("blank"):
            col.blank = True
        if p["url"] == top and manual(p["facts"], "list"):
            col.manual = True
        col.items.extend(listing.get("items") or [])

    for col in columns.values():
        seen: set[str] = set()
        items = []
        for item in col.items:
            if item.get("url") in seen:
                continue
            seen.add(item.get("url"))
            d = iso_date(item.get("date")) or pub_dates.get(item.get("url", ""))
            items.append({**item, "date": d.isoformat() if d else None, "date_from": "list" if item.get("date") else ("detail" if d else None)})
        col.items = items
        if col.manual and not items:
            col.blank, col.excluded = False, MANUAL_NOTE
            continue
        col.manual = False  # the static page lists items of its own: judged from them
        if items:
            col.blank = False
        elif not col.blank:
            col.blank = True  # a list page with nothing listed
        dated, col.future_items = split_future([i for i in items if i["date"]], future_limit(crawl))
        if dated:
            newest = max(dated, key=lambda i: i["date"])
            col.newest, col.newest_item = iso_date(newest["date"]), newest
        elif col.future_items:
            col.excluded = "条目日期均晚于检查基准日，无法判断更新情况，需人工核实"
        elif col.leader_list:
            # 领导之窗 lists its leaders, one card each: no dates by nature. Judged by what it
            # says of each leader (incomplete_leader_info), never as a column left undated.
            col.excluded = "领导信息栏目列出领导姓名、职务，不按日期判断（见“领导信息不完整”）"
        elif items and any(i.get("url") in crawled for i in items):
            col.undated = True  # its items were read and carry no date: not updated (2015 rule)
        elif items:
            col.excluded = "列表未注明日期且未能读取条目页面（可能超出抓取上限），无法判断"
    _drop_aggregators(crawl, columns)
    result = sorted(columns.values(), key=lambda c: c.url)
    cache["columns"] = result
    return result


def _drop_aggregators(crawl: Crawl, columns: dict[str, Column]) -> None:
    """Section pages (新闻中心, 政务公开) list the latest items of their sub-columns; they are
    navigation, not columns: judging them would count every stale sub-column twice.

    Decided on the columns as found, all at once, so the answer does not depend on crawl
    order. A section's items (≥ 80 %) belong to two or more other columns, and it links to at
    least two of them; a sub-column's items belong to one other column at most (its section).
    When one list shows on two URLs (each fully covered by the other alone), the URL with
    more items, then the one in its items' own folder, then the shorter URL is kept (_twin_rank).
    """
    owners: dict[str, set[str]] = {}
    for col in columns.values():
        for item in col.items:
            if item.get("url"):
                owners.setdefault(item["url"], set()).add(col.url)
    cover: dict[str, tuple[float, set[str]]] = {}
    for url, col in columns.items():
        urls = [i["url"] for i in col.items if i.get("url")]
        if urls:
            others = [owners.get(u, set()) - {url} for u in urls]
            cover[url] = (sum(1 for o in others if o) / len(urls), set().union(*others))
    drop: set[str] = set()
    for url, (frac, by) in cover.items():
        if frac < 0.8 or len(by) < 2:
            continue
        col = columns[url]
        targets = {r["target"] for r in crawl.db.query(
            "SELECT target FROM links WHERE run_id = ? AND source IN (%s)" % ",".join("?" * len(col.read_pages)),
            [crawl.run_id, *col.read_pages])}
        if len(targets & by) >= 2:
            drop.add(url)
    for url, (frac, by) in cover.items():
        if url in drop or frac < 0.8 or len(by) != 1:
            continue
        (twin,) = by
        twin_cover = cover.get(twin, (0.0, set()))
        if twin in drop or twin_cover[0] < 0.8 or twin_cover[1] != {url}:
            continue  # a sub-column of a section, not a duplicate
        mine, theirs = columns[url], columns[twin]
        if _twin_rank(mine) < _twin_rank(theirs):
            drop.add(url)
    for url in drop:
        del columns[url]


def _twin_rank(col: Column) -> tuple:
    """Which of two URLs showing one list is the column: more items; then the page in the folder
    its items live in, the deeper the better (a 街道 home /jd/cnjd/ boxes the items of
    /jd/cnjd/gzdt/, which is the column); then the shorter URL."""
    folder = col.url.split("?", 1)[0].rsplit("/", 1)[0] + "/"
    urls = [i["url"] for i in col.items if i.get("url")]
    inside = sum(1 for u in urls if u.startswith(folder)) / len(urls) if urls else 0.0
    return (len(col.items), inside, len(folder), -len(col.url), col.url)


def _anchor_texts(crawl: Crawl, urls: list[str]) -> dict[str, list[str]]:
    """Nav anchor texts pointing at each URL, most frequent first."""
    out: dict[str, list[str]] = {}
    for target, links in crawl.links_to(urls).items():
        counts: dict[str, int] = {}
        for link in links:
            text = re.sub(r"\s+", "", link.get("anchor") or "")
            if text:
                counts[text] = counts.get(text, 0) + 1
        out[target] = sorted(counts, key=lambda t: -counts[t])
    return out


#: Why an interaction column (在线访谈, 政务咨询 …) is not judged by date. It is exempt from
#: the *date* rule only: an interaction column showing nothing (暂无信息) is still blank.
DATE_EXEMPT = "互动类栏目，不按更新时间判断"


def verdict(col: Column, as_of: date) -> str:
    if col.manual:
        return "manual"
    if col.blank and col.excluded in (None, DATE_EXEMPT):
        return "blank"
    if col.excluded:
        return "excluded"
    if col.blank:
        return "blank"
    if col.undated:
        return "stale"
    overdue = col.overdue_days(as_of)
    if overdue is not None and overdue > 0:
        return "stale"
    return "fresh"


def window_text(days: int | None) -> str:
    if days is None:
        return "不按时间判断"
    if days % 365 == 0:
        return f"{days // 365}年"
    if days in (182, 183, 180, 184):
        return "6个月"
    if days % 7 == 0:
        return f"{days // 7}周"
    return f"{days}天"


def cutoff(as_of: date, days: int) -> date:
    return as_of - timedelta(days=days)
