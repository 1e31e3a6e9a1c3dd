"""A third portal in TRS styles (tests/fixtures/portal3/EXPECTED.md): TRS WCM, TRS trt_ 集约化, gov.cn table.bd1.

One real audit of 澄江市生态环境局 (a department site the tool was not written against), served by a real HTTP
server and audited by the real CLI; every expectation comes from EXPECTED.md.
"""
from __future__ import annotations

import re
import sqlite3

import pytest

import portal
from portal3_server import PORTAL3, serve_portal3

HOMES = {"/", "/index.html"}  # one page, two URLs

DEAD = {  # target -> (reason, found on; None = the home page)
    "/hjzl/kqzl/index.html": ("http_404", None),
    "/hbj/old/index.html": ("redirect_to_error", None),
    "/include/weather.html": ("http_404", None),
    "{EXT}/gone.html": ("http_404", None),
    # issue 11: a forwarding page with no content of its own (meta refresh) to a 404 is the
    # broken link the visitor clicks, like an HTTP redirect — not its hidden target.
    "/xwzx/hbyw.html": ("redirect_to_error", None),
    "/zwgk/gfxwj/202611/P020261110391245678901.xls": ("http_404", ["/zwgk/gfxwj/202611/t20261110_1505.shtml"]),
    "/xwzx/gzdt/202611/W020261120345678901234_2x.jpg": ("http_404", ["/xwzx/gzdt/202611/t20261120_1006.shtml"]),
}
NOT_DEAD = ["{EXT}/", "/zwgk/index.shtml", "/zwgk/xxgkzn/index.shtml?from=home&t=1", "/zwgk/xxgkzn/index.shtml",
            "/xwzx/tzgg/202601/t20260115_1102.shtml", "/zwgk/zcjd/202610/W020261029556677889900.png",
            "/xwzx/hbyw/index.shtml", "/xwzx/gzdt/202611/W020261120345678901234.jpg"]

# column folder -> (name, type, items, newest, verdict)
COLUMNS = {
    "/xwzx/gzdt/": ("工作动态", "dynamic", 6, "2026-11-20", "fresh"),
    "/xwzx/tzgg/": ("通知公告", "notice", 3, "2026-03-01", "stale"),
    "/zwgk/zcwj/": ("政策文件", "notice", 4, "2026-11-02", "fresh"),
    "/zwgk/gfxwj/": ("规范性文件", "notice", 5, "2026-11-10", "fresh"),
    "/zwgk/zcjd/": ("政策解读", "other", 3, "2026-10-29", "fresh"),
    "/zwgk/ldxx/": ("领导信息", "other", 2, "2025-10-01", "stale"),
    "/zwgk/rsrm/": ("人事任免", "personnel", 2, "2026-09-10", "fresh"),
    "/zwgk/hjjc/": ("环境监测信息", "other", 2, None, "stale"),
    "/zwgk/czyjs/": ("财政预决算", "other", 0, None, "blank"),
    "/hdjl/zxft/": ("在线访谈", "interaction", 1, "2024-06-05", "excluded"),
    "/ztzl/dsqwrypc/": ("第二次全国污染源普查", None, 2, "2020-06-10", "excluded"),
}
OVERDUE = {"/xwzx/tzgg/": 82, "/zwgk/ldxx/": 51}

DOCS = {
    "P1": "/zwgk/zcwj/202611/t20261102_1404.shtml", "P2": "/zwgk/zcwj/202610/t20261028_1403.shtml",
    "P3": "/zwgk/zcwj/202610/t20261019_1402.shtml", "P4": "/zwgk/zcwj/202610/t20261016_1401.shtml",
    "G1": "/zwgk/gfxwj/202611/t20261110_1505.shtml", "G3": "/zwgk/gfxwj/202611/t20261105_1504.shtml",
    "G4": "/zwgk/gfxwj/202512/t20251208_1503.shtml", "G5": "/zwgk/gfxwj/202507/t20250701_1502.shtml",
    "G2": "/zwgk/gfxwj/202103/t20210305_1501.shtml",
}
META = {  # 文号, 发布, validity as read
    "P1": ("澄环发〔2026〕15号", "2026-11-02", "现行有效"), "P2": ("澄环发〔2026〕14号", "2026-10-28", "有效"),
    "P3": ("澄环发〔2026〕12号", "2026-10-19", "有效"), "P4": ("澄环发〔2026〕11号", "2026-10-16", "有效"),
    "G1": ("澄环规〔2026〕2号", "2026-11-10", "有效"), "G3": ("澄环规〔2026〕3号", "2026-11-05", "尚未生效"),
    "G4": ("澄环规〔2025〕4号", "2025-12-08", ""), "G5": ("澄环规〔2025〕2号", "2025-07-01", None),
    "G2": ("澄环规〔2021〕1号", "2021-03-05", "失效"),
}
INTERPS = {"JP2": "/zwgk/zcjd/202610/t20261029_1903.shtml", "JP4": "/zwgk/zcjd/202610/t20261023_1902.shtml",
           "JP3": "/zwgk/zcjd/202610/t20261020_1901.shtml"}
MATCHES = {"P2": ("JP2", "标题"), "P4": ("JP4", "标题"), "P3": ("JP3", "文号")}
AJAX = {"G1", "G2", "G3", "G4", "G5"}
NOT_DOCUMENTS = ["/zwgk/rsrm/202609/t20260910_1602.shtml", "/zwgk/rsrm/202604/t20260402_1601.shtml", *INTERPS.values(),
                 "/xwzx/tzgg/202603/t20260301_1103.shtml"]


@pytest.fixture(scope="module")
def p3(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(portal, "serve_pair", serve_portal3)
        return portal.audit_portal(tmp_path_factory.mktemp("portal3"), root=PORTAL3)


def _url(a, path):
    return a.ext + path[5:] if path.startswith("{EXT}") else a.base + path


def _folder(path):
    return re.sub(r"/index\.shtml$", "/", path)


def _columns(a):
    cols: dict[str, list[dict]] = {}
    for c in a.inventory("columns"):
        cols.setdefault(_folder(a.path(c["url"])), []).append(c)
    return cols


def test_audit_completes(p3):
    assert p3.code == 0, p3.stderr


def test_dead_links(p3):
    dead = p3.check("dead_link")
    assert {u: f["data"]["reason"] for u, f in dead.items()} == {u: r for u, (r, _) in DEAD.items()}
    for target, (_, pages) in DEAD.items():
        f = dead[target]
        found = {p3.path(u) for u in f["found_on"]}
        if pages is None:
            assert found and found <= HOMES, (target, found)
            assert f["data"]["on_home"] is True and f["severity"] == "high", target
        else:
            assert found == set(pages), (target, found)
            assert f["data"]["on_home"] is False and f["severity"] == "medium", target
    chain = dead["/hbj/old/index.html"]["data"]
    assert chain["status"] == 404 and len(chain["redirects"]) == 2
    for path in NOT_DEAD:
        assert path not in dead, path
    assert p3.check("unverifiable_link") == {}


def test_script_paged_list_is_crawled(p3):
    db = sqlite3.connect(p3.out / "govaudit.sqlite")
    fetched = {p3.path(r[0]) for r in db.execute("SELECT url FROM fetches")}
    assert {"/xwzx/gzdt/index_1.shtml", "/xwzx/gzdt/index_2.shtml"} <= fetched


def test_columns(p3):
    cols = _columns(p3)
    assert set(cols) == set(COLUMNS)
    for folder, (name, type_id, count, newest, verdict) in COLUMNS.items():
        assert len(cols[folder]) == 1, (folder, [c["url"] for c in cols[folder]])  # one column per list, not per URL
        c = cols[folder][0]
        assert (c["verdict"], c["item_count"], c["newest_date"]) == (verdict, count, newest), folder
        assert c["name"] == name, folder
        if type_id:
            assert c["type"] == type_id, folder
    pages = {p3.path(u) for u in cols["/xwzx/gzdt/"][0]["pages"]}
    assert {"/xwzx/gzdt/index_1.shtml", "/xwzx/gzdt/index_2.shtml"} <= pages


def test_column_findings(p3):
    stale = {_folder(u): f for u, f in p3.check("stale_column").items()}
    assert set(stale) == {"/xwzx/tzgg/", "/zwgk/ldxx/", "/zwgk/hjjc/"}
    for folder, days in OVERDUE.items():
        assert stale[folder]["data"]["overdue_days"] == days, folder
    blank = [_folder(u) for u in p3.check("blank_column")]
    assert blank == ["/zwgk/czyjs/"]
    assert p3.check("stale_homepage") == {}
    assert p3.check("column_veto") == {}


def test_documents_and_metadata(p3):
    docs = p3.docs()
    assert set(docs) == set(DOCS.values())
    for key, path in DOCS.items():
        number, published, validity = META[key]
        d = docs[path]
        assert (d["doc_number"], d["pub_date"], d["validity"]) == (number, published, validity), key
        assert d["ajax_interpretation"] is (key in AJAX), key
    for path in NOT_DOCUMENTS:
        assert path not in docs, path


def test_validity(p3):
    missing = p3.check("missing_validity")
    assert set(missing) == {DOCS["G4"], DOCS["G5"]}
    assert missing[DOCS["G4"]]["data"]["validity_status"] == "empty"
    assert missing[DOCS["G5"]]["data"]["validity_status"] == "missing"
    assert p3.check("expired_still_valid") == {}


def test_interpretations(p3):
    docs = p3.docs()
    for key, (interp, evidence) in MATCHES.items():
        d = docs[DOCS[key]]
        assert d["interpretation"] == p3.url(INTERPS[interp]), key
        assert evidence in (d["evidence"] or ""), (key, d["evidence"])
    assert set(p3.check("missing_interpretation")) == {DOCS["P1"]}
    (summary,) = p3.inventory("summary")
    assert summary["interpretation_rate"] == {"required": 4, "interpreted": 3, "rate": 0.75}
    late = p3.check("late_interpretation")
    assert set(late) == {DOCS["P4"]}
    assert late[DOCS["P4"]]["data"]["working_days"] == 5
    assert late[DOCS["P4"]]["found_on"] == [p3.url(INTERPS["JP4"])]


def test_findings_match_golden(p3):
    """Refactors keep findings and inventories byte-identical (tests/golden/portal3.json)."""
    portal.assert_golden(p3, "portal3")
