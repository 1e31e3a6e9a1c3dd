"""Column discovery trusts the crawler's ``list_of`` fact over URL shapes, and shares the
crawler's page parameters (issue 10 part 4). Hand-built store, no network."""
from __future__ import annotations

import json
from datetime import date

import pytest

from govaudit import store
from govaudit.checks import columns_common as cc
from govaudit.checks.crawl import Crawl
from govaudit.crawler import facts
from govaudit.crawler.urlshapes import PAGE_PARAMS

SITE = "http://www.example.gov.cn/"


def _listing(n: int, day: str) -> dict:
    return {"is_list": True, "blank": False, "pagination": [], "newest": day,
            "items": [{"title": f"关于某事项的通知{n}", "url": f"{SITE}doc/{n}.html", "date": day}]}


def _crawl(tmp_path, pages: list[tuple[str, dict]]) -> Crawl:
    db = store.open_db(tmp_path / "s.sqlite")
    run = store.create_run(db, site="示例网站", start_url=SITE, host="www.example.gov.cn",
                           as_of="2026-12-02", month="2026-12")
    rows = [{"run_id": run, "url": url, "final_url": url, "title": "通知公告", "depth": 1,
             "is_home": 0, "kind": "list", "meta": json.dumps({"ColumnName": "通知公告"}),
             "facts": json.dumps(f, ensure_ascii=False)} for url, f in pages]
    store.write_rows(db, "pages", rows)
    return Crawl(db, run, {})


def test_list_of_joins_a_later_page_no_url_shape_explains(tmp_path) -> None:
    first = f"{SITE}tzgg/"
    later = f"{SITE}tzgg/more.jsp?start=20"          # no page parameter, no index_N file
    crawl = _crawl(tmp_path, [(first, {"listing": _listing(1, "2026-11-30")}),
                              (later, {"listing": _listing(2, "2026-10-01"), "list_of": first})])
    cols = cc.discover(crawl)
    assert [c.url for c in cols] == [first]
    assert cols[0].pages == [first, later]


@pytest.mark.parametrize("param", ["currentPage", "pageNumber", "page_no"])
def test_column_discovery_knows_every_crawler_page_parameter(tmp_path, param: str) -> None:
    """columns_common knew 7 page parameters, the crawler 10: ?currentPage=2 became a column."""
    assert param.lower() in PAGE_PARAMS
    first = f"{SITE}list.jsp?cat=5"
    later = f"{SITE}list.jsp?cat=5&{param}=2"
    crawl = _crawl(tmp_path, [(first, {"listing": _listing(1, "2026-11-30")}),
                              (later, {"listing": _listing(2, "2026-10-01")})])
    assert [c.url for c in cc.discover(crawl)] == [first]


def test_facts_record_list_of_and_need_an_inspection_date() -> None:
    import lxml.html
    doc = lxml.html.fromstring("<html><body><p>x</p></body></html>")
    assert facts.extract(doc, SITE + "a/", as_of=date(2026, 12, 2), list_of=SITE)["list_of"] == SITE
    with pytest.raises(ValueError, match="检查日期"):
        facts.extract(doc, SITE + "a/", as_of=None)
