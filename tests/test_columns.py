"""Columns on the demo portal (see demo/EXPECTED.md §2): discovery, naming, types, dates, verdicts."""
from __future__ import annotations

import json
import sqlite3


def inventory(audit, kind: str) -> list[dict]:
    db = sqlite3.connect(audit.out / "govaudit.sqlite")
    (data,) = db.execute("SELECT data FROM inventory WHERE kind = ?", [kind]).fetchone()
    return json.loads(data)


EXPECTED = {
    # path: (name, type, newest, verdict)
    "/xwzx/ywdt/": ("政务要闻", "dynamic", "2026-11-18", "fresh"),
    "/xwzx/bmdt/": ("部门动态", "dynamic", "2026-10-20", "stale"),
    "/xwzx/xzdt/": ("乡镇动态", "dynamic", "2026-09-30", "stale"),  # dateless list: detail pages decide
    "/xwzx/tpxw/": ("图片新闻", "dynamic", "2026-11-16", "fresh"),  # [11-16]: year from --as-of
    "/tzgg/": ("通知公告", "notice", "2026-11-10", "fresh"),
    "/gsgg/": ("公示公告", "notice", "2026-03-02", "stale"),
    "/zwgk/rsxx/": ("人事信息", "personnel", "2026-01-15", "fresh"),
    "/zwgk/ghjh/": ("规划计划", "personnel", "2025-06-30", "stale"),
    "/zwgk/tjxx/index.gbk.html": ("统计信息", "other", "2026-10-08", "fresh"),  # GBK list page
    "/zwgk/czyjs/": ("财政预决算", "other", None, "blank"),
    "/zwgk/zdxm/": ("重大项目", "other", None, "blank"),
    "/zwgk/zcwj/": ("政策文件", "notice", "2026-10-28", "fresh"),
    "/zwgk/gfxwj/": ("规范性文件", "notice", "2026-09-05", "fresh"),
    "/zwgk/zcjd/": ("政策解读", "other", "2026-11-13", "fresh"),
    "/hdjl/zxft/": ("在线访谈", "interaction", None, "excluded"),
    "/hdjl/ldxx/": ("领导信箱", "interaction", None, "excluded"),
    "/zt/2019dcj/": (None, None, None, "excluded"),  # historical special topic
}


def test_every_column_found_named_typed_and_dated(demo_audit):
    cols = {c["url"].replace(demo_audit.base, ""): c for c in inventory(demo_audit, "columns")}
    assert set(cols) == set(EXPECTED)
    for path, (name, type_id, newest, verdict) in EXPECTED.items():
        c = cols[path]
        assert c["verdict"] == verdict, path
        if name:
            assert c["name"] == name, path
        if type_id:
            assert c["type"] == type_id, path
        if newest:
            assert c["newest_date"] == newest, path


def test_script_paginated_column_includes_its_second_page(demo_audit):
    cols = {c["url"].replace(demo_audit.base, ""): c for c in inventory(demo_audit, "columns")}
    ywdt = cols["/xwzx/ywdt/"]
    assert ywdt["item_count"] == 20
    assert any(p.endswith("/xwzx/ywdt/index_1.html") for p in ywdt["pages"])


def test_not_columns(demo_audit):
    urls = {c["url"].replace(demo_audit.base, "") for c in inventory(demo_audit, "columns")}
    for path in ("/", "/xwzx/", "/zwgk/", "/hdjl/", "/zt/", "/wzdt.html", "/search/",
                 "/xwzx/ywdt/index_1.html", "/zwgk/zcwj/index_1.html"):
        assert path not in urls, path
    assert not any("/t2026" in u or "/t2025" in u for u in urls), "a detail page taken for a column"


def test_stale_and_blank_findings(demo_audit):
    stale = {u.replace(demo_audit.base, ""): f for u, f in demo_audit.by_check("stale_column").items()}
    assert set(stale) == {"/xwzx/bmdt/", "/xwzx/xzdt/", "/gsgg/", "/zwgk/ghjh/"}
    bmdt = stale["/xwzx/bmdt/"]
    assert "2026-10-20" in bmdt["detail"] and "超期 18 天" in bmdt["detail"]
    assert bmdt["data"]["overdue_days"] == 18
    blank = {u.replace(demo_audit.base, "") for u in demo_audit.by_check("blank_column")}
    assert blank == {"/zwgk/czyjs/", "/zwgk/zdxm/"}
    # the home page shows a 2026-11-18 item: within two weeks
    assert demo_audit.by_check("stale_homepage") == {}
    # 3 urgent stale, 4 stale, 2 blank: below every veto threshold
    assert demo_audit.by_check("column_veto") == {}


def test_demo_findings_match_golden(demo_audit):
    """Refactors keep the demo portal's findings and inventories byte-identical (tests/golden/demo.json)."""
    import portal

    portal.assert_golden(demo_audit, "demo")
