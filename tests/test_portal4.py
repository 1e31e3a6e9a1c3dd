"""A fourth portal, old-school ASP (tests/fixtures/portal4/EXPECTED.md): 青禾县农业农村局, GBK pages (some with the
charset only in <meta http-equiv>), table/<font> layouts, news.asp?id=N details, list.asp?classid=N&page=N lists.

One real audit served by tests/portal4_server.py and run by the real CLI; every expectation comes from EXPECTED.md.
"""
from __future__ import annotations

import sqlite3

import pytest

import portal
from portal4_server import PORTAL4, serve_portal4

DEAD = {  # target -> (reason, found on; None = the home page)
    "/gzdt/index.asp": ("http_404", [f"/news.asp?id={i}" for i in (101, 102, 103, 104, 105)]),
    "/UploadFiles/2026/11/20261112108.jpg": ("http_404", ["/news.asp?id=108"]),
    "/news.asp?id=999": ("soft_404", ["/news.asp?id=110"]),
    "/old/zwgk.asp": ("redirect_to_error", ["/sitemap.asp"]),
    "/down.asp?id=5": ("http_500", ["/news.asp?id=303"]),
    "http://127.0.0.1:1/": ("refused", None),
    "http://www.qhnync.invalid/": ("dns", None),
}
NOT_DEAD = ["/UploadFiles/2026/11/20261103094512.doc", "/jgzn.asp", "/about.asp", "/news.asp?id=105",
            "/news.asp?id=105#top", " news.asp?id=105 ", "/ldzc.asp", "{EXT}/", "/images/pic108.jpg"]

# column (page-1 URL) -> (name, type, items, newest, verdict)
COLUMNS = {
    "/list.asp?classid=1": ("工作动态", "dynamic", 10, "2026-11-19", "fresh"),
    "/list.asp?classid=2": ("通知公告", "notice", 3, "2026-04-01", "stale"),
    "/list.asp?classid=3": ("政策法规", "notice", 6, "2026-11-11", "fresh"),
    "/list.asp?classid=4": ("政策解读", "other", 2, "2026-11-04", "fresh"),
    "/list.asp?classid=5": ("财务公开", "other", 0, None, "blank"),
    "/zt/xczx/index.asp": ("乡村振兴专题", None, 2, "2021-06-10", "excluded"),
}
ALIASES = {"/list.asp?classid=1&page=1": "/list.asp?classid=1"}


DOCS = {"D1": "/news.asp?id=304", "D2": "/news.asp?id=303", "D3": "/news.asp?id=302", "D4": "/news.asp?id=301",
        "D5": "/news.asp?id=305"}
META = {  # 文号, 发布, validity as read, title
    "D1": ("青农发〔2026〕8号", "2026-11-03", "有效", "青禾县农业农村局关于印发《青禾县高标准农田建设项目管理办法》的通知"),
    "D2": ("青农发〔2026〕7号", "2026-10-20", None, "青禾县农业农村局关于印发《青禾县农作物秸秆综合利用实施方案》的通知"),
    "D3": ("青农规〔2026〕1号", "2026-09-08", "", "青禾县农业农村局关于进一步规范农村宅基地审批管理的通知"),
    "D4": ("青农发〔2025〕12号", "2025-12-01", "有效", "青禾县农业农村局关于做好2025—2026年冬春农田水利建设工作的通知"),
    "D5": ("青农发〔2026〕9号", "2026-11-10", "有效", "关于印发《耕地地力保护补贴发放办法》的通知"),
}
INTERPS = {"J1": "/news.asp?id=402", "J2": "/news.asp?id=401", "J3": "/news.asp?id=306"}
MATCHES = {"D1": ("J1", "文号"), "D2": ("J2", "标题"), "D5": ("J3", "标题")}
NOT_DOCUMENTS = [*INTERPS.values(), "/news.asp?id=201", "/news.asp?id=202", "/news.asp?id=203", "/news.asp?id=110"]


@pytest.fixture(scope="module")
def p4(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(portal, "serve_pair", serve_portal4)
        return portal.audit_portal(tmp_path_factory.mktemp("portal4"), root=PORTAL4)


def _columns(a):
    cols: dict[str, list[dict]] = {}
    for c in a.inventory("columns"):
        p = a.path(c["url"])
        cols.setdefault(ALIASES.get(p, p), []).append(c)
    return cols


def test_audit_completes(p4):
    assert p4.code == 0, p4.stderr


def test_dead_links(p4):
    dead = p4.check("dead_link")
    assert {u: f["data"]["reason"] for u, f in dead.items()} == {u: r for u, (r, _) in DEAD.items()}
    for target, (_, pages) in DEAD.items():
        f = dead[target]
        found = {p4.path(u) for u in f["found_on"]}
        if pages is None:
            assert found == {"/"}, (target, found)
            assert f["data"]["on_home"] is True and f["severity"] == "high", target
        else:
            assert found == set(pages), (target, found)
            assert f["data"]["on_home"] is False and f["severity"] == "medium", target
    for path in NOT_DEAD:
        assert path not in dead and path.strip() not in dead, path
    assert p4.check("unverifiable_link") == {}


def test_gbk_pages_decoded(p4):
    db = sqlite3.connect(p4.out / "govaudit.sqlite")
    titles = {p4.path(u): t for u, t in db.execute("SELECT url, title FROM pages")}
    assert titles["/"] == "青禾县农业农村局"  # no charset header: <meta http-equiv> only
    assert titles["/news.asp?id=110"].startswith("县农业农村局召开冬季农业生产工作推进会")
    assert titles["/list.asp?classid=1&page=2"].startswith("工作动态")


def test_columns(p4):
    cols = _columns(p4)
    assert set(cols) == set(COLUMNS)
    for url, (name, type_id, count, newest, verdict) in COLUMNS.items():
        assert len(cols[url]) == 1, (url, [c["url"] for c in cols[url]])
        c = cols[url][0]
        assert (c["name"], c["verdict"], c["item_count"], c["newest_date"]) == (name, verdict, count, newest), url
        if type_id:
            assert c["type"] == type_id, url
    pages = {p4.path(u) for u in cols["/list.asp?classid=1"][0]["pages"]}
    assert {"/list.asp?classid=1&page=2", "/list.asp?classid=1&page=3"} <= pages


def test_column_findings(p4):
    stale = p4.check("stale_column")
    assert set(stale) == {"/list.asp?classid=2"}
    assert stale["/list.asp?classid=2"]["data"]["overdue_days"] == 51
    assert list(p4.check("blank_column")) == ["/list.asp?classid=5"]
    assert p4.check("stale_homepage") == {}
    assert p4.check("column_veto") == {}


def test_documents_and_metadata(p4):
    docs = p4.docs()
    assert set(docs) == set(DOCS.values())
    for key, path in DOCS.items():
        number, published, validity, title = META[key]
        d = docs[path]
        assert (d["doc_number"], d["pub_date"], d["validity"]) == (number, published, validity), key
        assert d["title"] == title, key  # <title>文件标题-青禾县农业农村局</title>: the site suffix is not the title
    for path in NOT_DOCUMENTS:
        assert path not in docs, path


def test_validity(p4):
    missing = p4.check("missing_validity")
    assert set(missing) == {DOCS["D2"], DOCS["D3"]}
    assert missing[DOCS["D2"]]["data"]["validity_status"] == "missing"
    assert missing[DOCS["D3"]]["data"]["validity_status"] == "empty"  # <td>&nbsp;</td>
    assert p4.check("expired_still_valid") == {}


def test_interpretations(p4):
    docs = p4.docs()
    for key, (interp, evidence) in MATCHES.items():
        d = docs[DOCS[key]]
        assert d["interpretation"] == p4.url(INTERPS[interp]), key
        assert evidence in (d["evidence"] or ""), (key, d["evidence"])
    assert set(p4.check("missing_interpretation")) == {DOCS["D3"], DOCS["D4"]}
    (summary,) = p4.inventory("summary")
    assert summary["interpretation_rate"] == {"required": 5, "interpreted": 3, "rate": 0.6}
    assert p4.check("late_interpretation") == {}


def test_findings_match_golden(p4):
    """Refactors keep findings and inventories byte-identical (tests/golden/portal4.json)."""
    portal.assert_golden(p4, "portal4")
