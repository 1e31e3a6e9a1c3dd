"""Hostile pages against every extractor (issue 9 items 11, 13, 16; issue 10 part 4).

Item 11: each construct an extractor scans for, left unterminated and repeated over 200 KB,
must be read in well under a second (the old ``.*?`` patterns took 7-40 s here).
Item 13: deep nesting and huge text nodes are read (huge_tree) or the page says 未完整解析.
Item 16: the charset is decided by what decodes cleanly, the declaration first.
"""
from __future__ import annotations

import time
from datetime import date

import pytest

from govaudit.crawler import docmeta, facts, links, listing
from govaudit.crawler.text import base_url, decode_html, onclick_url, truncation, visible_text

AS_OF = date(2026, 12, 2)
N = 200_000
LIST_URL = "http://www.example.gov.cn/col/"
ROWS = "".join(f"<li><a href='/col/t2026110{i}_{i}.html'>关于某某事项的通知公告{i}</a>"
               f"<span>2026-11-0{i}</span></li>" for i in range(1, 8))


def _page(body: str, head: str = "") -> str:
    # A real list around the construct, so the list-only scans (pagination) run too.
    return f"<html><head>{head}</head><body><ul class='list'>{ROWS}</ul>{body}</body></html>"


HOSTILE = {
    "jsp": "<p>x</p>" + "<% a " * (N // 5),
    "jsp_comment": "<%-- a " * (N // 7),
    "jsp_tag": "<jsp:include " * (N // 13),
    "hanweb_cdata": '<script type="text/xml"><datastore><recordset>'
                    + "<record><![CDATA[<a href='/x'>" * (N // 30) + "</script>",
    "cdata_plain": "<script>" + "<![CDATA[" * (N // 9) + "<datastore></script>",
    "comment": "<!-- a " * (N // 7),
    "script": "<script>var a = '" + "x" * N,
    "createPageHTML": "<script>" + "createPageHTML(3, 0, 'index'," * (N // 30) + "</script>",
    "createPageHTML_args": "<script>createPageHTML(" + "a," * (N // 2) + "</script>",
    "createPageHTML_vars": "<script>createPageHTML(" + ",".join(f"v{i}" for i in range(25000)) + ")</script>",
    "countPage": "<script>var countPage = 3;" + "'index'+" * (N // 8) + "</script>",
    "jpage": "<script>" + "'/module/web/jpage/dataproxy.jsp?" * (N // 35) + "</script>",
    "onclick": "<ul>" + ("<li onclick=\"location.href='" + "x" * 1000 + "\">标题标题标题 2026-01-01</li>") * 150 + "</ul>",
    "dates": "<p>" + "2026年" * (N // 5) + "</p>",
    "digits": "<p>" + "1" * N + "</p>",
    "labels": "<p>" + "发布时间：" * (N // 5) + "</p>",
    "labels_spaced": "<p>" + "发 " * (N // 2) + "</p>",
    "doc_numbers": "<p>" + "国发〔2018" * (N // 8) + "</p>",
    "brackets": "<p>" + "【" * N + "</p>",
    "breadcrumb": "<div>当前位置：" + " > 栏目" * (N // 6) + "</div>",
    "deep": "<div>" * 14000 + "x" + "</div>" * 14000,
}
HEAD_HOSTILE = {
    "meta_refresh": "<meta http-equiv='refresh' content='0; url=" + "x" * N + "'>",
    "base": "<base href='" + "x" * N,
    "xml_decl_inside": "<?xml version='1.0'" + " " * N,
}


def _run_all(html: str) -> float:
    start = time.perf_counter()
    doc = listing.parse_html(html, remove_comments=True)
    links.extract_links(doc, LIST_URL + "index.html")
    facts.extract(doc, LIST_URL, text=visible_text(doc), as_of=AS_OF)
    facts.extract(doc, LIST_URL + "t20261101_1.html", text=visible_text(doc), as_of=AS_OF)
    docmeta.body_text(doc)
    docmeta.related_links(doc, LIST_URL)
    return time.perf_counter() - start


@pytest.mark.parametrize("name", [*HOSTILE, *HEAD_HOSTILE])
def test_unterminated_constructs_are_read_in_linear_time(name: str) -> None:
    html = _page(HOSTILE[name]) if name in HOSTILE else _page("", HEAD_HOSTILE[name])
    assert len(html) >= 150_000
    assert _run_all(html) < 1.0


def test_unterminated_constructs_in_raw_text_scans() -> None:
    """The same constructs straight into the text-level scans (no parser in front)."""
    from govaudit.crawler.dates import find_dates, labelled_date
    from govaudit.crawler.text import cdata_sections, strip_jsp
    start = time.perf_counter()
    assert strip_jsp("<% a " * (N // 5)) == "<% a " * (N // 5)   # unterminated: kept
    assert cdata_sections("<![CDATA[" * (N // 9)) == []
    find_dates("2026年" * (N // 5), AS_OF)
    labelled_date("发布时间：" * (N // 5), as_of=AS_OF)
    docmeta.find_doc_numbers("国发〔2018" * (N // 8))
    assert time.perf_counter() - start < 1.0


def test_jsp_and_cdata_still_read_when_terminated() -> None:
    from govaudit.crawler.text import cdata_sections, strip_jsp
    assert strip_jsp("a<%-- x %> y --%>b<% z %>c") == "abc"
    assert strip_jsp("a<%-- x %>b") == "ab"
    assert cdata_sections("<![CDATA[one]]> <![CDATA[two]]><![CDATA[open") == ["one", "two"]


# --------------------------------------------------------------------------- item 13

def test_deep_nesting_is_read_past_libxml2s_default_limit() -> None:
    html = "<html><body>" + "<div>" * 1000 + "x" + "</div>" * 1000 + \
           "<a href='/dead.html'>失效链接</a></body></html>"
    doc = listing.parse_html(html, remove_comments=True)
    assert [l.target for l in links.extract_links(doc, "http://www.example.gov.cn/")] == \
        ["http://www.example.gov.cn/dead.html"]
    assert truncation(doc) is None
    assert "truncated" not in facts.extract(doc, "http://www.example.gov.cn/a/", as_of=AS_OF)


def test_huge_text_node_does_not_cut_the_page() -> None:
    html = "<html><body><p>" + "长" * (4 * 1024 * 1024) + "</p><a href='/after.html'>后面的链接</a></body></html>"
    doc = listing.parse_html(html, remove_comments=True)
    assert [l.target for l in links.extract_links(doc, "http://www.example.gov.cn/")] == \
        ["http://www.example.gov.cn/after.html"]


def test_nesting_beyond_any_limit_is_reported_as_truncated() -> None:
    html = "<html><body>" + "<div>" * 5000 + "x" + "</div>" * 5000 + "<a href='/x.html'>链接</a></body></html>"
    doc = listing.parse_html(html, remove_comments=True)
    assert truncation(doc)
    page_facts = facts.extract(doc, "http://www.example.gov.cn/a/", text=visible_text(doc), as_of=AS_OF)
    assert page_facts["truncated"]   # shown as 未完整解析


# --------------------------------------------------------------------------- item 16

TEXT = "<html><head><meta charset='gbk'></head><body><p>发布时间：2023-05-01 政务公开</p></body></html>"


def test_utf8_declared_as_gbk_is_read_as_utf8() -> None:
    body = TEXT.encode("utf-8")
    assert decode_html(body, "text/html; charset=gbk") == TEXT
    assert decode_html(body, "text/html") == TEXT          # <meta charset=gbk> only


def test_gbk_declared_as_utf8_is_read_as_gbk() -> None:
    text = TEXT.replace("gbk", "utf-8")
    assert decode_html(text.encode("gb18030"), "text/html; charset=utf-8") == text


def test_declared_charset_wins_when_it_decodes_cleanly() -> None:
    text = TEXT.replace("gbk", "big5").replace("发布时间", "發佈時間").replace("政务公开", "政務公開")
    assert decode_html(text.encode("big5"), "text/html; charset=big5") == text


def test_undeclared_and_cut_bodies() -> None:
    text = TEXT.replace("<meta charset='gbk'>", "")
    assert decode_html(text.encode("gb18030"), "text/html") == text
    cut = text.encode("utf-8")[:-len("</p></body></html>") - 1]  # cut inside 开
    assert decode_html(cut, "text/html; charset=utf-8") == text[:text.index("开")]


# --------------------------------------------------------------------------- issue 10 part 4

def test_visible_text_keeps_child_text_before_the_tail() -> None:
    doc = listing.parse_html("<html><body><span>发布时间：<b>2023-05-01</b></span>浏览次数：12"
                             "<script>var x='隐藏';</script>尾</body></html>")
    assert visible_text(doc) == "发布时间： 2023-05-01 浏览次数：12 尾"
    assert facts.extract(doc, "http://www.example.gov.cn/a/t20230501_1.html",
                         text=visible_text(doc), as_of=AS_OF)["pub_date"] == "2023-05-01"


def test_base_href_from_the_tree_not_from_comments() -> None:
    """w3lib.get_base_url scans raw text; our tree has no comments, so a commented-out
    <base> does not move every link of the page."""
    from w3lib.html import get_base_url
    html = "<html><head><!-- <base href='http://old.example.gov.cn/'> --></head><body></body></html>"
    doc = listing.parse_html(html, remove_comments=True)
    assert base_url(doc, "http://www.example.gov.cn/a/") == "http://www.example.gov.cn/a/"
    plain = "<html><head><base href='/root/'></head><body></body></html>"
    assert base_url(listing.parse_html(plain), "http://www.example.gov.cn/a/") == \
        get_base_url(plain, "http://www.example.gov.cn/a/") == "http://www.example.gov.cn/root/"


@pytest.mark.parametrize("handler, url", [
    ("window.open('/a.html')", "/a.html"),
    ("open(\"/b.html\")", "/b.html"),
    ("location.href='/c.html'", "/c.html"),
    ("location = '/d.html'", "/d.html"),
    ("location.replace('/e.html')", "/e.html"),
    ("xq(1)", None),
])
def test_one_onclick_pattern(handler: str, url: str | None) -> None:
    assert onclick_url(handler) == url


@pytest.mark.parametrize("content", ["0; url=/next.html", "5;URL='/next.html'", " 0 ; url = '/next.html'"])
def test_meta_refresh_as_browsers_read_it(content: str) -> None:
    """w3lib.get_meta_refresh misses the third form (checked on w3lib 2.5), so links.py keeps
    its anchored pattern."""
    doc = listing.parse_html(f"<html><head><meta http-equiv='refresh' content=\"{content}\"></head><body></body></html>")
    got = [l.target for l in links.extract_links(doc, "http://www.example.gov.cn/") if l.attr == "refresh"]
    assert got == ["http://www.example.gov.cn/next.html"]


def test_normalize_url_differs_from_w3lib_where_it_matters() -> None:
    """Why links.normalize_url is kept: target identities must not move (see its docstring)."""
    from scrapy.utils.url import strip_url
    from w3lib.url import safe_url_string
    from govaudit.crawler.links import normalize_url
    u = "https://x.gov.cn:443/a?x=1&y=[2]#f"
    assert normalize_url(u) == "https://x.gov.cn/a?x=1&y=[2]"
    assert strip_url(safe_url_string(u), origin_only=False, strip_credentials=False) == \
        "https://x.gov.cn/a?x=1&y=%5B2%5D"
    assert normalize_url("http://x.gov.cn") == "http://x.gov.cn/" != safe_url_string("http://x.gov.cn")
    # Where they agree (Chinese path, default port, fragment), the result is the same.
    v = "http://www.Example.gov.cn:80/中文.html#top"
    assert normalize_url(v) == strip_url(safe_url_string(v), origin_only=False, strip_credentials=False)


def test_a_page_of_links_is_analysed_in_bounded_time_and_says_so() -> None:
    """20,000 links in one div took 91 s (every anchor listed every link of the wrapper)."""
    html = "<html><body><div>" + "".join(f"<a href='/p/{i}.html'>链接标题第{i}条</a>"
                                         for i in range(20000)) + "</div></body></html>"
    doc = listing.parse_html(html, remove_comments=True)
    start = time.perf_counter()
    page_facts = facts.extract(doc, LIST_URL, text="", as_of=AS_OF)
    assert time.perf_counter() - start < 3.0
    assert "5000" in page_facts["truncated"]
    small = listing.parse_html(_page(""), remove_comments=True)
    assert "truncated" not in facts.extract(small, LIST_URL, text="", as_of=AS_OF)
