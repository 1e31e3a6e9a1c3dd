"""URL shapes of paginated lists, shared by the crawler (crawler.listing) and column
discovery (checks.columns_common), so both agree on what "page N of a list" looks like.

Two shapes cover the CMSs seen: a numbered file next to the list's first page
(TRS ``index_3.html`` is page 4, ``list_2.shtml``) and a page-number query parameter
(``?page=3``, ``?pageIndex=3`` …).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["PAGE_PARAMS", "PAGE_FILE_RE", "INDEX_FILE_RE", "directory_of_index", "FIRST_PAGE_STEMS", "page_param", "is_page_param",
           "first_page_candidates"]

#: Query parameters that carry a list's page number (compared lower-cased).
PAGE_PARAMS: frozenset[str] = frozenset({
    "page", "pageno", "pageindex", "pagenum", "currentpage", "curpage", "pn", "p",
    "pagenumber", "page_no",
})

#: A numbered page file: ``<prefix>_<n>.<ext>`` (index_3.html, list_2.shtml, more_5.jsp).
PAGE_FILE_RE = re.compile(
    r"^(?P<prefix>[A-Za-z][\w-]{0,100}?)_(?P<n>\d{1,5})\.(?P<ext>s?html?|jsp|php|aspx?)$")


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
        return []
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
