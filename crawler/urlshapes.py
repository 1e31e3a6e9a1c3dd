"""URL shapes of paginated lists, shared by the crawler (crawler.listing) and column
discovery (checks.columns_common), so both agree on what "page N of a list" looks like.

Two shapes cover the CMSs seen: a numbered file next to the list's first page
(TRS ``index_3.html`` is page 4, ``list_2.shtml``) and a page-number query parameter
(``?page=3``, ``?pageIndex=3`` …); and 博达 (Sudy VSB) static lists, whose later pages sit in a
folder named after the first page and count down (``gzdt.htm``, then ``gzdt/3.htm``,
``gzdt/2.htm``, ``gzdt/1.htm`` for pages 2, 3, 4).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["PAGE_PARAMS", "PAGE_FILE_RE", "VSB_PAGE_RE", "vsb_first_page", "page_number", "page_file_name", "INDEX_FILE_RE", "directory_of_index", "FIRST_PAGE_STEMS", "page_param", "is_page_param",
           "first_page_candidates"]

#: Query parameters that carry a list's page number (compared lower-cased).
PAGE_PARAMS: frozenset[str] = frozenset({
    "page", "pageno", "pageindex", "pagenum", "currentpage", "curpage", "pn", "p",
    "pagenumber", "page_no",
})

#: A numbered page file: ``<prefix>_<n>.<ext>`` (index_3.html, list_2.shtml, more_5.jsp), or
#: 博达 (Sudy) wp_paging's ``list<n>.htm`` (list2.htm is page 2; list1.htm is page 1 again).
#: ``sep`` is "_" or "" (only after the stem ``list``, so news2020.htm is no page file).
PAGE_FILE_RE = re.compile(
    r"^(?P<prefix>[A-Za-z][\w-]{0,100}?(?=_\d)|list)(?P<sep>_?)(?P<n>\d{1,5})"
    r"\.(?P<ext>s?html?|jsp|php|aspx?)$")


#: A 博达 VSB later page: ``<folder>/<stem>/<n>.htm`` beside the first page ``<folder>/<stem>.htm``.
VSB_PAGE_RE = re.compile(r"^(?P<head>.*)/(?P<stem>[A-Za-z][\w-]{0,60})/(?P<n>\d{1,5})\.(?P<ext>s?html?)$")


def vsb_first_page(url: str) -> str | None:
    """The first page of the VSB list that ``url`` is a later page of, by shape (``…/gzdt/3.htm`` →
    ``…/gzdt.htm``), or None."""
    m = VSB_PAGE_RE.match(url.partition("?")[0].partition("#")[0])
    return f"{m.group('head')}/{m.group('stem')}.{m.group('ext')}" if m else None


def page_number(m: re.Match[str]) -> int:
    """1-based page number of a PAGE_FILE_RE match: TRS counts index_1 as page 2 (the first
    page has no number), Sudy's list2.htm is page 2 (list1.htm is the first page)."""
    return int(m.group("n")) + (1 if m.group("sep") else 0)


def page_file_name(prefix: str, sep: str, n: int, ext: str) -> str:
    """The file name of number ``n`` in a page-file series (inverse of PAGE_FILE_RE)."""
    return f"{prefix}{sep}{n}.{ext}"


#: File stems of a list's first page whose later pages are ``<stem>_<n>``; the first page may
#: also be the directory itself (``/col/`` = ``/col/index.html``).
FIRST_PAGE_STEMS: frozenset[str] = frozenset({"index", "list", "default"})


def first_page_candidates(url: str) -> list[str]:
    """Where the first page of the list that ``url`` numbers would be, judged by shape alone
    (``…/col/index_3.html`` → ``…/col/index.html``, ``…/col/``); [] when ``url`` is no
    numbered page file."""
    head, _, last = url.partition("?")[0].rpartition("/")
    m = PAGE_FILE_RE.match(last)
    if not head or not m:
        vsb = vsb_first_page(url)
        return [vsb] if vsb else []
    prefix = m.group("prefix")
    if prefix.lower() not in FIRST_PAGE_STEMS:
        return []
    return [f"{head}/{prefix}.{m.group('ext')}", head + "/"]


#: A directory's index file: ``/col/`` and ``/col/index.html`` are one page.
INDEX_FILE_RE = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|php|aspx?)$", re.I)


def directory_of_index(url_or_path: str) -> str | None:
    """``…/col/`` for ``…/col/index.html`` (no query), else None."""
    if "?" in url_or_path or "#" in url_or_path:
        return None
    m = INDEX_FILE_RE.search(url_or_path)
    return url_or_path[: m.start() + 1] if m else None


def is_page_param(name: str) -> bool:
    return name.lower() in PAGE_PARAMS


def page_param(pairs: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The first (name, value) pair that numbers a page (a page parameter with digits)."""
    return next(((k, v) for k, v in pairs if is_page_param(k) and v.isdigit()), None)
