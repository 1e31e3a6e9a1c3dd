"""Recognise column (栏目) list pages and read their items, dates and pagination.

The update checks need, for every column, the date of its newest item, and they need to
know which pages are columns at all: a detail page with a small 相关文章 box, a home page,
a site map or a search result page must not be scored as a column. CMS templates differ
(TRS, Hanweb, 江西 集约化, home-grown JSP), so there are no per-template selectors; class
names only serve to recognise page chrome (nav, footer …). The approach is structural:

1. Every ``<a href>`` with a real title (>= 4 characters, not 首页/更多/下一页 …) is an
   item candidate. Its *row* is the nearest ``li``/``tr``/``dd``/``dt`` (or, for div-based
   lists, the largest wrapper that still holds only that link).
2. Rows are clustered by their DOM path, so a list split over several ``<ul>`` blocks
   (pingtan prints 15 ``<ul>`` of 5 rows) is one list, while a side box is another.
3. Clusters in page chrome (nav/menu/header/footer/友情链接 …), clusters of mostly
   external links, and clusters of undated links to other columns (``…/xxgk/``) are
   dropped; the remaining cluster with the most dated, article-like rows is the list.
4. A page whose article text is long compared with that list, or whose URL is a document
   URL (t20201010_123.html, art_1_2.html, content_123.htm, 32-hex .shtml), is a detail
   page: its list is a related-articles box and the page is not a column.

Home pages carry many lists; :func:`extract_listing` returns every dated item found on
them and reports ``is_list=False`` (a home page is not one column; its newest item is
what 首页不更新 needs). Blank columns (``暂无信息`` or an empty list container) come back
with ``is_list=True``, ``blank=True`` and no items: they are columns with nothing in them.
"""
from __future__ import annotations

import re
import weakref
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from govaudit.crawler.dates import calendar_block_date, find_dates, parse_date
from govaudit.crawler.text import (SKIPPED, TAIL, TEXT, base_url, cdata_spans, meta_content,
                                   onclick_url, parse_document, strip_jsp, walk_text)
from govaudit.crawler.urlshapes import PAGE_FILE_RE as _PAGE_FILE_RE, directory_of_index, page_param
from govaudit.crawler.urlshapes import VSB_PAGE_RE, page_file_name, page_number, vsb_first_page

__all__ = ["extract_listing", "page_kind", "parse_html", "is_detail_url", "is_column_url",
           "same_site"]

# --------------------------------------------------------------------------- vocabulary

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "select", "option",
                        "textarea", "head", "title", "iframe", "object", "embed", "svg"})
_ROW_TAGS = frozenset({"li", "tr", "dd", "dt"})
_LIST_TAGS = frozenset({"ul", "ol", "table", "tbody", "thead", "dl", "body", "html", "form"})
_FLAT_TAGS = frozenset({"div", "p", "span", "h1", "h2", "h3", "h4", "h5", "h6", "section",
                        "article", "em", "font", "strong", "b", "i", "label"})
_INLINE_TAGS = frozenset({"span", "font", "strong", "b", "em", "i", "u", "br", "sub", "sup",
                          "small", "big", "label", "code", "nobr", "wbr"})

# Page chrome. Pinyin abbreviations are what Chinese templates actually use:
# dh/dhlm = 导航(栏目), yqlj = 友情链接, wzdt = 网站地图, dqwz = 当前位置.
_CHROME_RE = re.compile(
    r"nav|menu|header|footer|foot|top|banner|breadcrumb|crumb|link|friend|copyright|"
    r"bottom|dhlm|daohang|yqlj|wzdt|dqwz|position|location|weizhi|sitemap|toolbar|share",
    re.I)

_NAV_TITLE_RE = re.compile(
    r"^(网站)?首\s*页$|^[>»\s]*更多|^查看更多|^more\W*$|^下一页|^上一页|^下页|^上页|^尾\s*页$|^末\s*页$|"
    r"^返回|^详细|^详情|^点击|^网站地图|^站点地图|^联系我们|^关于我们|^网站声明|^使用帮助|"
    r"^隐私|^无障碍|^长者|^登录|^注册|^打印|^关闭|^收藏|^分享|^加入收藏|^设为首页|^english$",
    re.I)

_PLACEHOLDER_RE = re.compile(
    r"(?:此|本|该)?栏目(?:暂无|没有)(?:相关)?(?:信息|内容|数据|记录|文章)?|"
    r"暂无(?:相关)?(?:信息|内容|数据|记录|文章|新闻|文件|公告|资料|公开信息)|"
    r"没有(?:相关)?(?:记录|信息|内容|数据)|(?:栏目|正在|页面)建设中|无记录")

_NEXT_WORDS = frozenset({"下一页", "下页", "尾页", "末页", "最后一页", "后页", "下一頁",
                         ">", ">>", "»", "›", "next"})

_DETAIL_URL_RES = (
    re.compile(r"/t\d{8}_\d+(?:_\d+)?\.s?html?$", re.I),                 # TRS
    re.compile(r"/art_\d+_\d+\.html?$", re.I),                           # Hanweb
    re.compile(r"/content_\d+\.s?html?$", re.I),                         # gov.cn
    re.compile(r"/[0-9a-f]{32}\.s?html?$", re.I),                        # 江西 集约化
    re.compile(r"/20\d{4}/[^/]+\.(?:s?html?|jsp|php|aspx?)$", re.I),     # YYYYMM/xxx.html
    re.compile(r"/20\d{2}-?\d{2}/\d{2}/[^/]+\.s?html?$", re.I),          # 2018-12/29/...
    re.compile(r"/20\d{2}/\d{4}/c\d+a\d+/page\.html?$", re.I),            # 博达 Sudy /2026/1113/c1250a56806/page.htm
    re.compile(r"(?:detail|details|article|content|show|view|info)\w*(?:\.\w+)?\?(?:.*&)?"
               r"(?:id|docid|articleid|infoid|newsid|contentid)=", re.I),
)
_COLUMN_FILE_RE = re.compile(
    r"^(?:index|list|lists|default|more|xxgk_lists?|column)(?:_\d+)?\.(?:s?html?|jsp|php|aspx?)$"
    r"|^list\d{1,5}\.html?$",
    re.I)
_SEARCH_URL_RE = re.compile(r"search|jsearch|/irs|was5|was40|/ssp/|sousuo|/query|/s\?|retrieval",
                            re.I)
_SEARCH_PARAMS = frozenset({"q", "query", "keyword", "keywords", "searchword", "sword", "key",
                            "kw", "wd", "word", "searchkey", "qt", "text"})

_WS_RE = re.compile(r"\s+")


# --------------------------------------------------------------------------- URL helpers

def _clean(text: str | None) -> str:
    return _WS_RE.sub(" ", text or "").strip()


def _site_key(host: str) -> str:
    host = host.lower().split(":")[0].strip(".")
    if host.startswith("www."):
        host = host[4:]
    parts = host.split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in {"gov", "com", "org", "net",
                                                                   "edu", "ac"}:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def same_site(a: str, b: str) -> bool:
    """Same registrable domain (hdzfxxgk.hd.gov.cn ~ www.hd.gov.cn); links between a
    government site and its sub-sites are internal, ``*.ipv6best.cn`` mirrors are not."""
    ha, hb = urlsplit(a).hostname or "", urlsplit(b).hostname or ""
    return bool(ha) and bool(hb) and _site_key(ha) == _site_key(hb)


def is_detail_url(url: str) -> bool:
    """URL shaped like a single document in the common CMSs."""
    parts = urlsplit(url)
    tail = parts.path + ("?" + parts.query if parts.query else "")
    return any(rx.search(tail) for rx in _DETAIL_URL_RES)


def is_column_url(url: str) -> bool:
    """URL shaped like a column entry (a directory, index.html, list.shtml …)."""
    path = urlsplit(url).path
    if path == "" or path.endswith("/"):
        return True
    last = path.rsplit("/", 1)[-1]
    return "." not in last or bool(_COLUMN_FILE_RE.match(last))


def _strip_fragment(url: str) -> str:
    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, p.path, p.query, ""))


def _same_page(a: str, b: str) -> bool:
    """Equal up to fragment and a trailing index file (``/col/`` == ``/col/index.html``)."""
    def norm(u: str) -> str:
        p = urlsplit(u)
        path = directory_of_index(p.path or "/") or p.path or "/"
        return urlunsplit((p.scheme.lower(), (p.hostname or "").lower(), path, p.query, ""))
    return norm(a) == norm(b)


def _dir_of(url: str) -> str:
    p = urlsplit(url)
    path = p.path or "/"
    return (p.hostname or "").lower() + path[: path.rfind("/") + 1]


def _resolve(base: str, href: str | None) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith("#") or "{{" in href or "${" in href:
        return None
    low = href.lower()
    if low.startswith(("javascript:", "mailto:", "tel:", "data:", "about:", "vbscript:")):
        return None
    try:
        absolute = urljoin(base, href)
    except ValueError:
        return None
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    return _strip_fragment(absolute)


# --------------------------------------------------------------------------- tree helpers

def _is_el(node: object) -> bool:
    return isinstance(getattr(node, "tag", None), str)


#: Per tree: the elements inside a skipped tag (computed once, O(n)).
_SKIPPED_BY_ROOT: "weakref.WeakKeyDictionary[etree._Element, frozenset]" = weakref.WeakKeyDictionary()


def _skipped(el: etree._Element) -> bool:
    """Inside script/style/select …. The set of such elements is computed once per tree
    (a walk up the ancestors per anchor was quadratic on deep pages)."""
    root = el.getroottree().getroot()
    if root is None:
        return any(a.tag in _SKIP_TAGS for a in el.iterancestors() if _is_el(a))
    inside = _SKIPPED_BY_ROOT.get(root)
    if inside is None:
        found: set = set()
        for top in root.iter(*_SKIP_TAGS):
            if top not in found:
                found.update(top.iterdescendants())
        inside = _SKIPPED_BY_ROOT[root] = frozenset(found)
    return el in inside


def _text(el: etree._Element, exclude: etree._Element | Iterable[etree._Element] | None = None
          ) -> str:
    """Visible text of ``el`` without script/style and without the ``exclude`` subtree(s)."""
    if exclude is None:
        skip: set = set()
    elif isinstance(exclude, etree._Element):
        skip = {exclude}
    else:
        skip = set(exclude)
    out: list[str] = []
    for kind, node, text in walk_text(el, lambda n: n in skip or n.tag in _SKIP_TAGS):
        if kind == TEXT or kind == TAIL:
            out.append(text)
        elif kind == SKIPPED and node in skip:
            out.append(" ")
    return _clean(" ".join(out))


def _attr_tokens(el: etree._Element) -> str:
    return f"{el.get('id') or ''} {el.get('class') or ''}"


def _anchor_title(a: etree._Element, date_cells: list[etree._Element]) -> str:
    """Anchor text, or its title attribute when the text is cut short (…) or decorated."""
    text = _text(a, exclude=date_cells)
    attr = _clean(a.get("title"))
    if attr and not _NAV_TITLE_RE.match(attr) and len(attr) >= 4:
        squeezed = text.replace(" ", "")
        if (not text or text.endswith(("...", "…", "..")) or
                (attr.replace(" ", "") in squeezed and len(attr) < len(text)) or
                attr.startswith(text.rstrip(".…").strip()[:6] or "\0")):
            return attr
    return text


def _title_len(title: str) -> int:
    return len(title.replace(" ", ""))


_SHORT_NAME_RE = re.compile(r"[\u4e00-\u9fff·•]{2,3}")


def _short_detail_title(title: str, url: str) -> bool:
    """A 2-3 character Chinese title linking a document-shaped URL: a person's name in a
    领导信息 list (陈立新 → art_1252_3201.html). Other short link texts (首页, 更多, 2) are
    navigation, which is why titles need 4 characters otherwise."""
    return bool(_SHORT_NAME_RE.fullmatch(title.replace(" ", ""))) and is_detail_url(url)


_DATED_NAME_RE = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff·•]{1,4}$")


def _dated_short_title(a: etree._Element, title: str, as_of: date) -> bool:
    """A 2–3 character title (a 领导信息 list of person names: 陈立新, 周海燕) is an entry when its row
    carries a date cell beside the link; short navigation words (首页, 要闻) carry none."""
    t = title.replace(" ", "")
    if not 2 <= len(t) < 4 or not _DATED_NAME_RE.match(t):
        return False
    row = a.getparent()
    return row is not None and bool(_date_cells(row, as_of, exclude=a))


# A cell that holds nothing but a date (optionally labelled or bracketed): the date column.
_DATE_ONLY_RE = re.compile(r"(?:发布)?(?:日期|时间)?\s*[:：]?[\s\d０-９\-/.:年月日\[\]【】()（）－／"
                           r"〇○零一二三四五六七八九十]+")


def _date_cells(el: etree._Element, as_of: date,
                exclude: etree._Element | None = None) -> list[etree._Element]:
    """Descendants of ``el`` whose whole text is one date, in document order."""
    cells = []
    for d in el.iterdescendants():
        if not _is_el(d) or d.tag in _SKIP_TAGS or d.tag == "a":
            continue
        if exclude is not None and (d is exclude or exclude in d.iterancestors()):
            continue
        text = _clean(d.text_content())
        if text and len(text) <= 40 and _DATE_ONLY_RE.fullmatch(text) \
                and parse_date(text, as_of) is not None:
            cells.append(d)
    return cells


# --------------------------------------------------------------------------- rows

class _Row:
    """One list entry: its element, main link, title, URL and date."""

    __slots__ = ("el", "anchor", "title", "url", "date", "pos", "sig", "chrome", "external")

    def __init__(self, el: etree._Element, anchor: etree._Element | None, title: str,
                 url: str, when: date | None, pos: float) -> None:
        self.el, self.anchor, self.title, self.url, self.date, self.pos = (
            el, anchor, title, url, when, pos)
        self.sig: tuple = ()
        self.chrome = False
        self.external = False


class _Page:
    """Everything the heuristics share about one parsed page."""

    def __init__(self, doc: lxml.html.HtmlElement, url: str, as_of: date) -> None:
        self.doc, self.url, self.as_of = doc, url, as_of
        self.base = base_url(doc, url)
        self.pos: dict[etree._Element, int] = {}
        for i, el in enumerate(doc.iter()):
            if _is_el(el):
                self.pos[el] = i
        self.body = doc.find(".//body") if doc.tag != "body" else doc
        if self.body is None:
            self.body = doc
        self.anchors = self._qualifying_anchors()
        self.anchor_url = {a: url for a, url, _ in self.anchors}
        self.anchor_count = _anchors_below(doc, {a for a, _, _ in self.anchors})
        self.total_anchors = max(len(self.anchors), 1)
        self._chrome_up: dict[etree._Element, bool] = {}
        self.capped = sum(1 for _ in doc.iter("a")) > MAX_ANCHORS
        self.ancestor_tags: dict[etree._Element, tuple] = {}

    # ---- anchors -----------------------------------------------------------------
    def _qualifying_anchors(self) -> list[tuple[etree._Element, str, str]]:
        found = []
        for a in _bounded_anchors(self.doc):
            url = _resolve(self.base, a.get("href"))
            if url is None or _skipped(a):
                continue
            title = _anchor_title(a, _date_cells(a, self.as_of))
            if (_title_len(title) < 4 and not (_short_detail_title(title, url) or _dated_short_title(a, title, self.as_of))) \
                    or _NAV_TITLE_RE.match(title) or "{{" in title:
                continue
            if _same_page(url, self.url):
                continue  # "#"-links and self links are not entries
            found.append((a, url, title))
        return found

    # ---- chrome ------------------------------------------------------------------
    def in_chrome(self, el: etree._Element) -> bool:
        """Inside nav/header/footer/友情链接 … (but not inside a page-wide wrapper that
        happens to carry such a class: those hold most of the page's links)."""
        chain, node = [], el
        while node is not None and node not in self._chrome_up:
            chain.append(node)
            node = node.getparent()
        up = self._chrome_up[node] if node is not None else False
        for n in reversed(chain):  # memoised per element: linear over the page, not per row
            up = up or self._chrome_hit(n)
            self._chrome_up[n] = up
        return up

    def _chrome_hit(self, anc: etree._Element) -> bool:
        hit = (anc.tag in ("nav", "header", "footer") or
               bool(_CHROME_RE.search(_attr_tokens(anc))))
        if hit and self.anchor_count.get(anc, 0) > 0.6 * self.total_anchors \
                and self.total_anchors >= 10:
            hit = False
        return hit


def _anchors_below(doc: etree._Element, anchors: set) -> dict[etree._Element, int]:
    """For every element, how many of ``anchors`` lie strictly inside it (one bottom-up pass;
    counting up each anchor's ancestors is quadratic on deep pages)."""
    below: dict[etree._Element, int] = {}
    for el in reversed(list(doc.iter())):  # descendants come before their ancestors
        inside = below.get(el, 0)
        total = inside + (el in anchors)
        parent = el.getparent()
        if total and parent is not None:
            below[parent] = below.get(parent, 0) + total
    return below


#: Links a page is analysed for (a list page shows a few hundred): past this, the first and
#: the last MAX_ANCHORS / 2 are read (the pager sits at the end) and the page is reported as
#: read in part. Bounds the per-page work the crawl's reactor thread does.
MAX_ANCHORS = 5000


def _bounded_anchors(doc: etree._Element) -> list[etree._Element]:
    anchors = list(doc.iter("a"))
    if len(anchors) <= MAX_ANCHORS:
        return anchors
    return anchors[: MAX_ANCHORS // 2] + anchors[-(MAX_ANCHORS // 2):]


#: Text a row may carry besides its title (dates, 索引号, source, a one-line summary).
#: More means the "row" is a layout cell around running text, not a list entry.
_MAX_ROW_EXTRA = 300


def _row_element(page: _Page, a: etree._Element) -> etree._Element:
    """The list entry that owns anchor ``a``."""
    el, depth = a.getparent(), 0
    while el is not None and depth < 6:
        if el.tag in _ROW_TAGS:
            return el
        if el.tag in _LIST_TAGS:
            break
        el, depth = el.getparent(), depth + 1
    # div/p based lists: widen while the wrapper still holds only this link.
    # Never widen into a block that holds a list: a heading link above a <ul> is not
    # an entry of that list and must not borrow its first date.
    # Nor into running text: an attachment link inside an article body is no entry.
    row, el, depth = a, a.getparent(), 0
    while (el is not None and el.tag in _FLAT_TAGS and depth < 4
           and _single_target(page, el)
           and not any(True for _ in el.iter("ul", "ol", "table", "dl", "li", "tr"))
           and len(_text(el, exclude=a)) <= _MAX_ROW_EXTRA):
        row, el, depth = el, el.getparent(), depth + 1
    return row


def _link_targets(page: _Page, el: etree._Element) -> set[str]:
    """Distinct URLs of the entry links inside ``el`` (a title link plus a 'source' link
    to the same document count once)."""
    return {page.anchor_url[a] for a in el.iter("a") if a in page.anchor_url}


def _single_target(page: _Page, el: etree._Element) -> bool:
    """``len(_link_targets(page, el)) <= 1``, without listing every link of a big wrapper
    (that was quadratic on a page of 20,000 links in one div)."""
    if page.anchor_count.get(el, 0) > _MAX_ROW_LINKS:
        return False
    first = None
    for a in el.iter("a"):
        url = page.anchor_url.get(a)
        if url is None:
            continue
        if first is None:
            first = url
        elif url != first:
            return False
    return True


#: No list entry holds more entry links than this (title, source, attachment …).
_MAX_ROW_LINKS = 20


def _flat_date_text(row: etree._Element) -> str:
    """For rows that are the bare anchor: its tail and the siblings up to the next link."""
    parts = [row.tail or ""]
    for sib in row.itersiblings():
        if not _is_el(sib):
            continue
        if sib.tag == "a" or sib.find(".//a") is not None:
            break
        parts.append(_text(sib))
        parts.append(sib.tail or "")
        if sib.tag == "br":
            break
    return " ".join(parts)


def _table_date_column(table: etree._Element, cache: dict) -> int | None:
    """Index of the 发布日期 column in a 信息公开目录 table (名称|索引号|发布机构|发布日期)."""
    if table in cache:
        return cache[table]
    col = None
    for tr in table.iter("tr"):
        cells = [c for c in tr if _is_el(c) and c.tag in ("th", "td")]
        if tr.find(".//a[@href]") is not None:
            break
        labels = [_clean(c.text_content()).replace(" ", "") for c in cells]
        for i, lab in enumerate(labels):
            if "发布" in lab and ("日期" in lab or "时间" in lab):
                col = i
                break
        if col is not None:
            break
    cache[table] = col
    return col


def _row_date(page: _Page, row: etree._Element, anchor: etree._Element | None,
              table_cache: dict) -> date | None:
    """Publication date of one entry.

    Order of trust: the 发布日期 column of a catalogue table; a cell holding only a date
    (``<span class="time">``, ``<td> 2020-09-03 </td>``, ``<em>[11-03]</em>``); the first
    date in the row's other text; a date cell inside the link; a ``<dd>`` after a ``<dt>``.
    A summary such as "10月9日至10日，市委书记…" must not beat the date cell beside it.
    """
    as_of = page.as_of
    if row.tag == "tr":
        table = next(row.iterancestors("table"), None)
        col = _table_date_column(table, table_cache) if table is not None else None
        cells = [c for c in row if _is_el(c) and c.tag in ("th", "td")]
        if col is not None and col < len(cells):
            hit = parse_date(_text(cells[col]), as_of)
            if hit:
                return hit
    if row is anchor:
        return parse_date(_flat_date_text(row), as_of)
    for cell in _date_cells(row, as_of, exclude=anchor):
        return parse_date(_clean(cell.text_content()), as_of)
    beside = _text(row, exclude=anchor)
    hit = parse_date(beside, as_of) or calendar_block_date(beside, as_of)
    if hit is None and anchor is not None:
        cell = next(iter(_date_cells(anchor, as_of)), None)
        hit = parse_date(_clean(cell.text_content()), as_of) if cell is not None else None
    if hit is None and row.tag == "dt":
        nxt = next((s for s in row.itersiblings() if _is_el(s)), None)
        if nxt is not None and nxt.tag == "dd" and nxt.find(".//a") is None:
            hit = parse_date(_text(nxt), as_of)
    return hit


def _script_rows(page: _Page) -> list[_Row]:
    """Rows that link through ``onclick`` instead of ``href`` (hd home: ``<p onclick=xq(1)>``).

    They need a date to count, so metadata lines never pass as items."""
    rows: list[_Row] = []
    for el in page.doc.iter(*_ROW_TAGS):
        if page.anchor_count.get(el) or _skipped(el):
            continue
        clickers = [c for c in el.iter() if _is_el(c) and c.get("onclick")]
        if not clickers or any(c.tag in _ROW_TAGS for c in el.iterdescendants()):
            continue
        target = clickers[0] if clickers[0] is not el else el
        title = _text(target) if target is not el else ""
        when = parse_date(_text(el, exclude=target if target is not el else None), page.as_of)
        if not title:
            title = _text(el, exclude=_date_cells(el, page.as_of))
        if when is None or _title_len(title) < 4 or _NAV_TITLE_RE.match(title) \
                or title.endswith((":", "：")):
            continue
        href = onclick_url(target.get("onclick"))
        url = _resolve(page.base, href) if href else None
        rows.append(_Row(el, None, title, url or "", when, page.pos.get(el, 0)))
    return rows


def _signature(el: etree._Element, memo: dict | None = None) -> tuple:
    """DOM path of a row: tags to the root plus the classes of the nearest 3 ancestors."""
    classes = []
    for i, anc in enumerate(el.iterancestors()):
        if i >= 3:
            break
        classes.append(_clean(anc.get("class")))
    return (el.tag, _ancestor_tags(el, {} if memo is None else memo), tuple(classes))


def _ancestor_tags(el: etree._Element, memo: dict) -> tuple:
    """Tags of ``el``'s ancestors, nearest first, memoised per element."""
    chain, node = [], el.getparent()
    while node is not None and node not in memo:
        chain.append(node)
        node = node.getparent()
    tags = memo[node] if node is not None else ()
    for n in reversed(chain):
        tags = (n.tag, *tags)
        memo[n] = tags
    return memo[el.getparent()] if el.getparent() is not None else ()


def _collect_rows(page: _Page) -> list[_Row]:
    by_row: dict[etree._Element, list[tuple[etree._Element, str, str]]] = defaultdict(list)
    for a, url, title in page.anchors:
        by_row[_row_element(page, a)].append((a, url, title))
    rows: list[_Row] = []
    table_cache: dict = {}
    for el, links in by_row.items():
        distinct = {u for _, u, _ in links}
        if len(distinct) > 3:
            continue  # a container of several links: a menu, not an entry
        a, url, title = max(links, key=lambda t: (_title_len(t[2]), -page.pos.get(t[0], 0)))
        if el is not a and len(_text(el, exclude=a)) > _MAX_ROW_EXTRA:
            continue  # a layout cell around an article, not an entry
        rows.append(_Row(el, a, title, url, _row_date(page, el, a, table_cache),
                         page.pos.get(el, 0)))
    rows.extend(_script_rows(page))
    for r in rows:
        r.sig = _signature(r.el, page.ancestor_tags)
        r.chrome = page.in_chrome(r.el)
        r.external = bool(r.url) and not same_site(r.url, page.url)
    rows.sort(key=lambda r: r.pos)
    return rows


_JPAGE_URL_RE = re.compile(r"""['"]([^'"\s]*?/module/web/jpage/dataproxy\.jsp\?[^'"\s]*)['"]""")


_RECORD_OPEN_RE = re.compile(r"<record>\s*\Z", re.I)
_RECORD_CLOSE_RE = re.compile(r"\s*</record>", re.I)


def _datastore_records(body: str) -> list[str]:
    """CDATA payloads of ``<record><![CDATA[…]]></record>`` in a jpage datastore, found with
    one linear scan (a regex with ``.*?`` between them is quadratic when a CDATA never ends)."""
    out = []
    for start, end in cdata_spans(body):
        if _RECORD_OPEN_RE.search(body, max(0, start - 9 - 200), start - 9) \
                and _RECORD_CLOSE_RE.match(body, end + 3):
            out.append(body[start:end])
    return out


def _hanweb_rows(page: _Page) -> tuple[list[_Row], list[str], bool]:
    """Hanweb/jpage lists ship their first page as CDATA records inside
    ``<script type="text/xml"><datastore>``; the DOM has no rows until JS runs.

    Returns (rows, dataproxy URLs, saw_empty_datastore)."""
    rows: list[_Row] = []
    proxies: list[str] = []
    empty = False
    for script in page.doc.iter("script"):
        body = script.text or ""
        for m in _JPAGE_URL_RE.finditer(body):
            url = _resolve(page.base, m.group(1).replace("&amp;", "&"))
            if url and url not in proxies:
                proxies.append(url)
        if "<datastore" not in body.lower():
            continue
        records = _datastore_records(body)
        if not records:
            empty = True
        for j, rec in enumerate(records):
            try:
                frag = lxml.html.fragment_fromstring(rec, create_parent="div")
            except (etree.ParserError, ValueError):
                continue
            links = []
            for a in frag.iter("a"):
                url = _resolve(page.base, a.get("href"))
                title = _anchor_title(a, _date_cells(a, page.as_of))
                if url and (_title_len(title) >= 4 or _short_detail_title(title, url)
                            or _dated_short_title(a, title, page.as_of)) \
                        and not _NAV_TITLE_RE.match(title):
                    links.append((a, url, title))
            if not links:
                continue
            a, url, title = max(links, key=lambda t: _title_len(t[2]))
            when = _row_date(page, frag, a, {})
            row = _Row(frag, a, title, url, when,
                       page.pos.get(script, 0) + (j + 1) / (len(records) + 1))
            row.sig = ("hanweb-record", id(script))
            row.external = not same_site(url, page.url)
            rows.append(row)
    return rows, proxies, empty


# --------------------------------------------------------------------------- clusters

def _clusters(rows: list[_Row]) -> list[list[_Row]]:
    groups: dict[tuple, list[_Row]] = defaultdict(list)
    for r in rows:
        groups[r.sig].append(r)
    return sorted(groups.values(), key=lambda g: g[0].pos)


def _eligible(group: list[_Row], allow_external: bool) -> bool:
    """Is this cluster a list of content items (not chrome, not a link farm, not a menu)?"""
    n = len(group)
    if sum(r.chrome for r in group) * 2 > n:
        return False
    if not allow_external and sum(r.external for r in group) > 0.3 * n:
        return False
    dated = sum(r.date is not None for r in group)
    if dated:
        return dated * 2 >= n
    columnish = sum(bool(r.url) and is_column_url(r.url) for r in group)
    avg_title = sum(_title_len(r.title) for r in group) / n
    small = n >= 2 and all(r.url and is_detail_url(r.url) for r in group)  # 2 undated TRS t2021…_id items
    return (n >= 3 or small) and columnish * 2 < n and avg_title >= 8


def _score(group: list[_Row]) -> float:
    """Dated rows count most, document links next; long titles break ties."""
    dated = sum(r.date is not None for r in group)
    articles = sum(bool(r.url) and not is_column_url(r.url) for r in group)
    return dated * 2 + articles + sum(min(_title_len(r.title), 40) for r in group) / 100


# --------------------------------------------------------------------------- page signals

def _paragraph_chars(page: _Page, rows: Iterable[_Row] = ()) -> int:
    """Characters of running text outside links, chrome and list rows: article bodies have
    a lot, list pages almost none (their text is link titles, dates and short summaries)."""
    in_rows = {r.el for r in rows}
    total = 0
    for el in page.body.iter():
        if not _is_el(el) or el.tag in _SKIP_TAGS or el.tag in _INLINE_TAGS or el.tag == "a":
            continue
        if in_rows and (el in in_rows or any(anc in in_rows for anc in el.iterancestors())):
            continue
        pieces = [el.text or ""]
        for child in el:
            if _is_el(child) and child.tag in _INLINE_TAGS:
                pieces.append(_text(child) if child.find(".//a") is None else "")
            pieces.append(child.tail or "")
        chunk = _clean("".join(pieces))
        # Lines opening with a date are list or metadata lines, not running text.
        if len(chunk) >= 30 and not find_dates(chunk[:30], page.as_of) and \
                not _skipped(el) and not page.in_chrome(el):
            total += len(chunk)
    return total


def _meta(doc: lxml.html.HtmlElement, name: str) -> str:
    return meta_content(doc, name)


def _title_of(doc: lxml.html.HtmlElement) -> str:
    t = doc.find(".//title")
    return _clean(t.text_content()) if t is not None else ""


def _looks_home(doc: lxml.html.HtmlElement, url: str, groups: list[list[_Row]]) -> bool:
    """Site home page: the root URL, a CMS meta saying so, or a one-level URL whose title
    is just the site name over several dated lists (site-code homes like /ycsrmzf/).
    The title alone is not enough: some sites give every page the site name as title."""
    path = urlsplit(url).path or "/"
    if re.fullmatch(r"/(?:(?:index|default|main|home|portal)\.(?:s?html?|jsp|php|aspx?))?", path):
        return True
    if _meta(doc, "PageCategory").lower() in ("index", "home", "首页"):
        return True
    if _meta(doc, "ColumnName") in ("首页", "网站首页", "门户首页"):
        return True
    site = _meta(doc, "SiteName")
    depth = len([p for p in path.split("/") if p and not _COLUMN_FILE_RE.match(p)])
    dated_lists = sum(any(r.date for r in g) for g in groups)
    return bool(site) and _title_of(doc) == site and depth <= 1 and dated_lists >= 3


def _looks_search(doc: lxml.html.HtmlElement, url: str) -> bool:
    parts = urlsplit(url)
    params = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    title = _title_of(doc)
    if "搜索结果" in title or "检索结果" in title or "智能检索" in title or "全文检索" in title:
        return True
    return bool(_SEARCH_URL_RE.search(parts.path + "?" + parts.query)) and (
        bool(params & _SEARCH_PARAMS) or "检索" in title or "搜索" in title)


def _looks_sitemap(doc: lxml.html.HtmlElement, url: str) -> bool:
    words = ("网站地图", "站点地图")
    title = _title_of(doc)
    heads = " ".join(_clean(h.text_content()) for tag in ("h1", "h2")
                     for h in doc.iter(tag))[:200]
    column = _meta(doc, "ColumnName")
    path = urlsplit(url).path.lower()
    return (any(w in title or w in column or w in heads for w in words)
            or bool(re.search(r"/(?:wzdt|sitemap|site_map|zddt)(?:/|\.|$)", path)))


def _placeholder_in_main(page: _Page) -> bool:
    for el in page.body.iter():
        if not _is_el(el) or el.tag in _SKIP_TAGS:
            continue
        own = _clean((el.text or "") + " ".join(c.tail or "" for c in el if _is_el(c)))
        if own and len(own) < 60 and _PLACEHOLDER_RE.search(own) \
                and not _skipped(el) and not page.in_chrome(el):
            return True
    return False


_LISTBOX_RE = re.compile(r"list|lb|news|xxgk|article|items|result|data", re.I)
# 相关文章 boxes: "related", "xg-list", "xgwz" (xg = 相关); not the "xg" inside "xxgk".
_RELATED_RE = re.compile(r"relat|(?:^|[\s_-])xg|recommend|rank", re.I)
_HEADER_LABEL_RE = re.compile(r"名称|标题|题目|发布|日期|时间|索引号|文号")


def _empty_list_container(page: _Page) -> bool:
    """A list box (ul.list, table.gl_list …) with no entries in the page's main area."""
    for el in page.body.iter("ul", "ol", "table", "tbody", "dl"):
        if page.in_chrome(el) or _skipped(el):
            continue
        parent = el.getparent()
        tokens = _attr_tokens(el) + " " + (_attr_tokens(parent) if parent is not None else "")
        if not _LISTBOX_RE.search(tokens) or _RELATED_RE.search(tokens):
            continue  # not a list box, or an emptied 相关文章 box on a detail page
        if el.find(".//a[@href]") is not None or el.find(".//img") is not None:
            continue
        if not _text(el) or _header_only(el):
            return True
    return False


def _header_only(table: etree._Element) -> bool:
    """A 信息公开目录 table with its 名称|发布日期 header row and no data rows."""
    if table.tag not in ("table", "tbody"):
        return False
    filled = [tr for tr in table.iter("tr") if _text(tr)]
    return len(filled) == 1 and bool(_HEADER_LABEL_RE.search(_text(filled[0])))


# --------------------------------------------------------------------------- pagination

_VSB_RANK = 100_000


def _page_no(url: str, list_url: str) -> int | None:
    """Page number (1-based) of ``url`` in the list at ``list_url``, if it is one."""
    if is_detail_url(url):
        return None
    for first in (list_url, vsb_first_page(list_url)):
        if first and vsb_first_page(url) == first.partition("?")[0]:
            # 博达 VSB counts down (gzdt/3.htm is page 2 of 4): a rank that sorts the higher file first
            return _VSB_RANK - int(VSB_PAGE_RE.match(url.partition("?")[0]).group("n"))
    if _dir_of(url) != _dir_of(list_url):
        return None
    parts = urlsplit(url)
    last = parts.path.rsplit("/", 1)[-1]
    m = _PAGE_FILE_RE.match(last)
    if m:
        return page_number(m)
    hit = page_param(parse_qsl(parts.query))
    return int(hit[1]) if hit else None


# "index"+"_"+i or "index_"+i: how TRS paging scripts build index_N.html.
_SCRIPT_PREFIX_RE = re.compile(
    r"""['"]([A-Za-z]\w*?)_?['"]\s*\+\s*['"]_['"]|['"]([A-Za-z]\w*)_['"]\s*\+""")
_COUNT_RE = re.compile(r"\b(?:countPage|pageCount|totalPage|PageCount|page_count)\s*=\s*(\d+)")


_PAGE_HTML_RE = re.compile(r"createPageHTML\s{0,20}\(")
_IDENT_RE = re.compile(r"[A-Za-z_$][\w$]{0,60}")
_ASSIGN_RE = re.compile(r"(?<![\w$])([A-Za-z_$][\w$]{0,60})\s{0,20}=\s{0,20}(\d{1,9})(?!\d)")
#: A pager call is short: createPageHTML(12, 0, "index", "html"). Longer argument lists,
#: calls without their ")" and more than a few calls per script are not pagers.
_MAX_PAGER_CALL, _MAX_PAGER_ARGS, _MAX_PAGER_CALLS = 400, 12, 5


def _page_html_calls(body: str) -> list[str]:
    """Argument texts of the first createPageHTML(...) calls, found in linear time."""
    calls = []
    for m in _PAGE_HTML_RE.finditer(body):
        close = body.find(")", m.end(), m.end() + _MAX_PAGER_CALL)
        if close >= 0:
            calls.append(body[m.end():close])
            if len(calls) >= _MAX_PAGER_CALLS:
                break
    return calls


def _script_pages(page: _Page) -> dict[int, str]:
    """Pages announced by TRS paging scripts (createPageHTML / var countPage)."""
    found: dict[int, str] = {}
    for script in page.doc.iter("script"):
        body = script.text or ""
        assigned: dict[str, str] | None = None
        for call in _page_html_calls(body):
            ints, strs = [], []
            for arg in call.split(",")[:_MAX_PAGER_ARGS]:
                arg = arg.strip()
                if _IDENT_RE.fullmatch(arg):
                    if assigned is None:  # one pass over the script for all variables
                        assigned = {}
                        for v in _ASSIGN_RE.finditer(body):
                            assigned.setdefault(v.group(1), v.group(2))
                    # createPageHTML(countPage, currentPage, …) after var countPage = 3
                    arg = assigned.get(arg, arg)
                if re.fullmatch(r"\d+", arg):
                    ints.append(int(arg))
                elif re.fullmatch(r"""(['"])[\w.-]*\1""", arg):
                    strs.append(arg[1:-1])
            if not ints:
                continue
            ext = next((s for s in reversed(strs) if s.lower() in
                        ("html", "htm", "shtml", "jsp", "php", "asp", "aspx")), "html")
            before = strs[: strs.index(ext)] if ext in strs else strs
            prefix = before[-1] if before else "index"
            found.update(_numbered(page.url, prefix, ext, ints[0]))
        count = _COUNT_RE.search(body)
        pre = _SCRIPT_PREFIX_RE.search(body)
        if count and pre:
            prefix = pre.group(1) or pre.group(2)
            ext_m = re.search(r"""['"]\.?(s?html?|jsp|php)['"]""", body)
            found.update(_numbered(page.url, prefix, ext_m.group(1) if ext_m else "html",
                                   int(count.group(1))))
    return found


def _numbered(list_url: str, prefix: str, ext: str, count: int) -> dict[int, str]:
    count = min(count, 10000)
    return {i + 1: urljoin(list_url, f"{prefix}_{i}.{ext}") for i in range(1, count)}


def _list_stem(url: str) -> str:
    """File-name stem a list's pages share: index for ``/col/`` and ``index_2.html``,
    list for ``list.shtml``."""
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    m = _PAGE_FILE_RE.match(last)
    if m:
        return m.group("prefix")
    return last.split(".", 1)[0] if last else "index"


def _anchor_pages(page: _Page) -> dict[int, str]:
    """Pages linked from the pager (下一页/尾页/2/3 …, index_N.html), same list only."""
    found: dict[int, str] = {}
    stem = _list_stem(page.url)
    for a in _bounded_anchors(page.doc):
        url = _resolve(page.base, a.get("href"))
        if url is None or _skipped(a) or not same_site(url, page.url):
            continue
        text = _clean(a.text_content()).lower().replace(" ", "")
        n = _page_no(url, page.url)
        if n is None:
            continue
        pager_text = text in _NEXT_WORDS or text.isdigit() or "页" in text
        m = _PAGE_FILE_RE.match(urlsplit(url).path.rsplit("/", 1)[-1])
        # Without pager text only the list's own numbering counts (index_3.html next to
        # index.html); news_123.html beside list.html is a document, not page 124.
        if pager_text or (m and m.group("prefix") == stem):
            found.setdefault(n, url)
    # A 尾页 link to index_55.html (or ?page=56) implies every page between the first
    # and the last one seen; the series starts where the pager's own numbering starts
    # (TRS: index_1 is page 2; other CMSs: list_2 is page 2).
    by_pattern: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
    for n, u in found.items():
        parts = urlsplit(u)
        m = _PAGE_FILE_RE.match(parts.path.rsplit("/", 1)[-1])
        if m:
            key = ("file", _dir_of(u), m.group("prefix"), m.group("ext"), m.group("sep"))
            by_pattern[key].append((int(m.group("n")), u))
            continue
        q = parse_qsl(parts.query, keep_blank_values=True)
        pkey = (page_param(q) or (None,))[0]
        if pkey is not None:
            by_pattern[("query", parts.path, pkey)].append((int(dict(q)[pkey]), u))
    for key, seen in by_pattern.items():
        lo, hi = min(s for s, _ in seen), min(max(s for s, _ in seen), 10000)
        sample = seen[0][1]
        for k in range(lo, hi + 1):
            if key[0] == "file":
                url = urljoin(sample, page_file_name(key[2], key[4], k, key[3]))
                found.setdefault(k + (1 if key[4] else 0), url)
            else:
                parts = urlsplit(sample)
                q2 = [(a, str(k) if a == key[2] else b)
                      for a, b in parse_qsl(parts.query, keep_blank_values=True)]
                found.setdefault(k, urlunsplit((parts.scheme, parts.netloc, parts.path,
                                                urlencode(q2), "")))
    return found


def _pagination(page: _Page, proxies: list[str]) -> list[str]:
    pages = _script_pages(page)
    for n, u in _anchor_pages(page).items():
        pages.setdefault(n, u)
    out = [u for n, u in sorted(pages.items()) if n >= 2 and not _same_page(u, page.url)]
    for p in proxies:
        if p not in out:
            out.append(p)
    seen: set[str] = set()
    return [u for u in out if not (u in seen or seen.add(u))]


# --------------------------------------------------------------------------- public API

_JSP_TAG_RE = re.compile(r"</?jsp:[^<>]{0,2000}>")
_EARLY_CLOSE_RE = re.compile(r"</\s*(?:html|body)\s*>", re.I)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def parse_html(text: str, remove_comments: bool = False) -> lxml.html.HtmlElement:
    """Parse page text into a tree the heuristics can rely on.

    libxml2 (2.14, as bundled with lxml 6) drops everything after a stray ``</html>``,
    which templates that include a complete header file produce (www.gov.cn 公报 pages
    lose their whole body); JSP source wrapped around saved pages leaves ``<%-- --%>``
    text behind; and lxml refuses str input with an XML encoding declaration. Remove
    the three before parsing. Closing html/body tags are implied anyway.
    """
    text = _XML_DECL_RE.sub("", _JSP_TAG_RE.sub("", strip_jsp(text)), count=1)
    text = _EARLY_CLOSE_RE.sub("", text)
    parser = _COMMENTLESS if remove_comments else _PARSER
    return parse_document(text or "<html></html>", parser)


#: ``huge_tree``: deep nesting and text nodes over 10 MB are read, not silently cut (see
#: crawler.text.parse_document, which records what libxml2 still cut).
_PARSER = lxml.html.HTMLParser(huge_tree=True)
#: Links and fields inside HTML comments are not on the page: the crawler parses without them.
_COMMENTLESS = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)


def _items(rows: Iterable[_Row]) -> list[dict]:
    out, seen = [], set()
    for r in rows:
        key = (r.url, r.title) if r.url else ("", r.title, r.pos)
        if key in seen:
            continue
        seen.add(key)
        out.append({"title": r.title, "url": r.url,
                    "date": r.date.isoformat() if r.date else None})
    return out


def _newest(items: list[dict]) -> str | None:
    dates = [i["date"] for i in items if i["date"]]
    return max(dates) if dates else None


_DOC_LABEL_RE = re.compile(
    r"索\s*引\s*号\s*[:：]|(?:发\s*布|成\s*文|生\s*成)\s*(?:日\s*期|时\s*间)\s*[:：]\s*"
    r"[\[（(]?\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})")
_ARTICLE_METAS = ("ArticleTitle", "PubDate", "ContentSource", "firstpublishedtime",
                  "manuscriptId")


def _document_signals(page: _Page, best: list[_Row]) -> bool:
    """Single-document markers outside the list rows: CMS article metas, or a metadata
    block (索引号：… / 发布日期：2020-08-02). List headers carry the words without a colon."""
    if any(_meta(page.doc, name) for name in _ARTICLE_METAS):
        return True
    text = _text(page.body, exclude=[r.el for r in best if r.el is not page.body])
    return bool(_DOC_LABEL_RE.search(text))


def _analyse(doc: lxml.html.HtmlElement, url: str, as_of: date) -> dict:
    """Shared evidence for :func:`extract_listing` and :func:`page_kind`."""
    page = _Page(doc, url, as_of)
    hanweb_rows, proxies, hanweb_empty = _hanweb_rows(page)
    search = _looks_search(doc, url)
    groups = [g for g in _clusters(_collect_rows(page)) if _eligible(g, search)]
    if hanweb_rows:
        groups.append(hanweb_rows)
    best = max(groups, key=_score, default=[])
    home = _looks_home(doc, url, groups)
    body_chars = _paragraph_chars(page, (r for g in groups for r in g))
    list_chars = sum(_title_len(r.title) for r in best)
    document = _document_signals(page, best)
    # A detail page may carry a related-articles box; the article text, the document
    # URL or the document metadata outweigh it. Ten or more rows with almost no text
    # is a list even under an odd URL.
    detail = not home and not search and (
        (is_detail_url(url) and not (len(best) >= 10 and body_chars < 100))
        or (body_chars >= 200 and body_chars > 1.5 * list_chars)
        or (document and len(best) < 10))
    return {"page": page, "groups": groups, "best": best, "home": home, "detail": detail,
            "search": search, "body_chars": body_chars, "document": document,
            "proxies": proxies, "hanweb_empty": hanweb_empty}


def extract_listing(doc: lxml.html.HtmlElement, url: str, as_of: date) -> dict:
    """Decide whether the page's main content is a list of items and read that list.

    Returns ``{"is_list", "items", "blank", "pagination", "newest"}``:

    * ``items`` — ``[{"title", "url", "date"}]`` in page order; ``url`` is absolute, or ""
      for rows that link only through script (``onclick``); ``date`` is ISO or None.
      Detail pages return no items (their lists are related-article boxes). Home pages
      return every dated item of every content list and ``is_list=False``.
    * ``blank`` — the column has nothing: a 暂无信息-style placeholder or an empty list box
      in the main area, and no items. Blank columns are reported with ``is_list=True``.
    * ``pagination`` — absolute URLs of pages 2..N of the same list (same directory),
      from TRS paging scripts, pager links and, for Hanweb, the jpage dataproxy URL.
    * ``newest`` — the newest item date (ISO) or None.
    """
    return _listing(_analyse(doc, url, as_of))


def _listing(info: dict) -> dict:
    listing = _listing_of(info)
    if info["page"].capped:
        listing["capped"] = MAX_ANCHORS  # links past the budget were not analysed
    return listing


def _listing_of(info: dict) -> dict:
    page: _Page = info["page"]
    if info["home"]:
        rows = sorted((r for g in info["groups"] for r in g if r.date is not None),
                      key=lambda r: r.pos)
        items = _items(rows)
        return {"is_list": False, "items": items, "blank": False, "pagination": [],
                "newest": _newest(items)}
    if info["detail"]:
        return {"is_list": False, "items": [], "blank": False, "pagination": [],
                "newest": None}
    items = _items(info["best"])
    blank = not items and info["body_chars"] < 200 and (
        _placeholder_in_main(page) or _empty_list_container(page) or info["hanweb_empty"])
    return {"is_list": bool(items) or blank, "items": items, "blank": blank,
            "pagination": _pagination(page, info["proxies"]) if items or blank else [],
            "newest": _newest(items)}


def page_kind(doc: lxml.html.HtmlElement, url: str, listing: dict | None = None, *,
              as_of: date) -> str:
    """Classify a page as "home", "list", "detail", "sitemap", "search" or "other".

    ``listing`` is the result of :func:`extract_listing` for the same page; passing it
    keeps the two answers consistent (its ``is_list`` decides "list"). Order matters: a
    search page also looks like a list, a site map is a page full of column links, and a
    home page holds many lists. ``as_of`` is the inspection date (year-less dates).
    """
    return _kind(doc, url, _analyse(doc, url, as_of), listing)


def analyse_page(doc: lxml.html.HtmlElement, url: str, as_of: date) -> tuple[dict, str]:
    """``(extract_listing(...), page_kind(...))`` with the page analysed once (crawl hot path)."""
    info = _analyse(doc, url, as_of)
    listing = _listing(info)
    return listing, _kind(doc, url, info, listing)


def _kind(doc: lxml.html.HtmlElement, url: str, info: dict, listing: dict | None) -> str:
    if info["search"]:
        return "search"
    if _looks_sitemap(doc, url):
        return "sitemap"
    if info["home"]:
        return "home"
    if listing is None:
        listing = _listing(info)
    if listing.get("is_list"):
        return "list"
    if info["detail"] or _has_article(doc, info):
        return "detail"
    return "other"


def _has_article(doc: lxml.html.HtmlElement, info: dict) -> bool:
    """Looser detail test for pages without any list: document metadata, or running text
    with a publication-date label next to it."""
    if info["document"]:
        return True
    if info["body_chars"] < 100:
        return False
    text = _text(info["page"].body)
    return bool(re.search(r"发\s*布\s*(?:日\s*期|时\s*间)\s*[:：]?\s*[\[（(]?\s*\d{4}", text))
