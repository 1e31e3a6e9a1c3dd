"""A second portal in other CMS styles (tests/fixtures/portal2/EXPECTED.md): Hanweb JCMS, 江西 集约化, JSP.

One real audit of 青溪县人民政府 (a county site the tool was not written against), served by a real HTTP
server and audited by the real CLI; every expectation comes from EXPECTED.md.
"""
from __future__ import annotations

import sqlite3

import pytest

import portal
from portal2_server import PORTAL2, serve_portal2

# ---------------------------------------------------------------------------------------------- data

HOME = "/col/col1/index.html"

# target (path on the portal, {EXT} for the external site, or absolute) -> (reason, found on)
DEAD = {
    "/bsdt/index.jsp": ("timeout", [HOME]),
    "/col/col1250/index.html": ("redirect_loop", [HOME]),
    "/zwfw/index.html": ("redirect_to_error", [HOME]),
    "{EXT}/zwfw/": ("http_404", [HOME]),
    "http://zwfw.qingxi.gov.cn/": ("dns", [HOME]),
    "http://127.0.0.1:9/": ("refused", [HOME]),
    "/art/2026/8/30/art_1230_5600.html": ("http_404", ["/art/2026/11/13/art_1230_5812.html"]),
    "/module/download/downfile.jsp?classid=0&filename=2611101022.docx": ("http_500", ["/art/2026/11/10/art_1245_6001.html"]),
    "/art/2023/5/12/art_1291_3003.html": ("http_410", ["/col/col1291/index.html"]),
    "/art/2026/9/12/art_1231_5702.html": ("soft_404", ["/col/col1231/index.html"]),
    "/picture/0/2610221530003.jpg": ("http_404", ["/col/col1233/index.html", "/art/2026/10/22/art_1233_5776.html"]),
}
NOT_DEAD = [
    "{EXT}/",
    "/qxx/uploadfiles/202606/20260610153012345.pdf",  # HEAD 405, GET fine
    "/col/col2/index.html",  # 503 once, then 200
    "/jsp/list.jsp?id=12&page=1",  # href=" /jsp/list.jsp?id=12&amp;page=1 \n"
    "/qxx/ysqgk/index.shtml",  # only inside <!-- -->
    "/index.html",
    "/jsearchfront/search.do?websiteid=361199000000000&searchid=1&pg=&p=1&tpl=1&q=",
]

# column URL -> (name, type, item_count, newest, verdict)
COLUMNS = {
    "/col/col1230/index.html": ("县政要闻", "dynamic", 13, "2026-11-19", "fresh"),  # 10 in page + 3 via dataproxy.jsp
    "/col/col1231/index.html": ("部门动态", "dynamic", 6, "2026-10-28", "stale"),
    "/col/col1232/index.html": ("乡镇动态", "dynamic", 5, "2026-11-16", "fresh"),  # dateless list: detail pages
    "/col/col1233/index.html": ("图片新闻", "dynamic", 5, "2026-11-18", "fresh"),  # MM-DD; 12-30 is 2025
    "/col/col1240/index.html": ("通知公告", "notice", 5, "2026-11-12", "fresh"),  # GBK, charset only in <meta>
    "/col/col1241/index.html": ("公示公告", "notice", 4, "2026-04-30", "stale"),
    "/col/col1291/index.html": (None, None, 3, "2023-05-12", "excluded"),  # 专题 by breadcrumb
    "/jsp/list.jsp?id=12": ("县政府文件", "notice", 4, "2026-11-10", "fresh"),  # + ?page=2 (and ?page=1 alias)
    "/qxx/gfxwj/index.shtml": ("规范性文件", "notice", 4, "2026-11-03", "fresh"),
    "/qxx/zcjd/index.shtml": ("政策解读", "other", 6, "2026-11-11", "fresh"),
    "/qxx/rsrm/index.shtml": ("人事任免", "personnel", 3, "2025-08-20", "stale"),
    "/qxx/czyjs/index.shtml": ("财政预决算", "other", 0, None, "blank"),
    "/qxx/zdxm/index.shtml": ("重大项目", "other", 0, None, "blank"),
}
NOT_COLUMNS = ["/", "/index.html", HOME, "/col/col2/index.html", "/col/col3/index.html", "/col/col1229/index.html",
               "/col/col1290/index.html", "/qxx/xxgkml/index.shtml", "/jsp/list.jsp?id=12&page=1",
               "/jsp/list.jsp?id=12&page=2",
               "/jsearchfront/search.do?websiteid=361199000000000&searchid=1&pg=&p=1&tpl=1&q="]

# Pages linked only from Hanweb <datastore> CDATA records (and, for three, only from dataproxy.jsp).
DATASTORE_ONLY = [
    "/art/2025/11/26/art_1241_5320.html", "/art/2026/1/9/art_1241_5390.html", "/art/2026/3/18/art_1241_5470.html",
    "/art/2026/4/30/art_1241_5520.html", "/art/2026/10/30/art_1230_5790.html", "/art/2026/10/27/art_1230_5784.html",
    "/art/2026/10/23/art_1230_5779.html", "/art/2026/10/20/art_1230_5772.html", "/art/2026/10/16/art_1230_5766.html",
    "/art/2026/10/13/art_1230_5761.html", "/art/2026/10/9/art_1230_5755.html", "/art/2026/9/12/art_1231_5702.html",
    "/art/2026/8/26/art_1231_5680.html", "/art/2026/8/10/art_1231_5660.html", "/art/2026/10/14/art_1232_5763.html",
    "/art/2026/9/25/art_1232_5731.html",
]

DOCS = {
    "G1": "/qxx/gfxwj/202611/8019ac67f437a63431a28321a3272937.shtml",
    "G3": "/qxx/gfxwj/202606/f3b66e8f0ec1f836625e72771819e782.shtml",
    "G4": "/qxx/gfxwj/202403/1637c927aa17eeded43fed60bdf7221c.shtml",
    "G5": "/qxx/gfxwj/202305/684a6d5d5caa49ce1008bc4c984d4bb5.shtml",
    "X1": "/art/2026/11/10/art_1245_6001.html",
    "X2": "/art/2026/9/15/art_1245_5960.html",
    "X3": "/art/2026/10/20/art_1245_5988.html",
    "X4": "/art/2026/2/10/art_1245_5805.html",
}
TITLES = {
    "G1": "青溪县人民政府办公室关于印发《青溪县农村宅基地管理办法》的通知",
    "G3": "青溪县人民政府办公室关于印发《青溪县政府投资项目管理办法》的通知",
    "G4": "青溪县人民政府关于印发《青溪县城乡居民最低生活保障实施细则》的通知",
    "G5": "青溪县人民政府关于印发《青溪县城市绿化管理办法》的通知",
    "X1": "青溪县人民政府办公室关于印发《青溪县促进县域商业体系建设若干措施》的通知",
    "X2": "青溪县人民政府关于印发《青溪县城区停车管理办法》的通知",
    "X3": "青溪县人民政府关于进一步加强森林防灭火工作的通知",
    "X4": "青溪县人民政府办公室关于印发《青溪县城乡环境卫生整治实施方案》的通知",
}
# key -> (文号, 发布日期, validity as read)
META = {
    "G1": ("县政办发〔2026〕5号", "2026-11-03", "现行有效"),
    "G3": ("县政办发〔2026〕2号", "2026-06-10", None),
    "G4": ("县府发〔2024〕8号", "2024-03-20", "有效"),
    "G5": ("县府发〔2023〕4号", "2023-05-12", "失效"),
    "X1": ("县政办发〔2026〕6号", "2026-11-10", "有效"),
    "X2": ("县府发[2026]3号", "2026-09-15", ""),
    "X3": ("县府发〔2026〕11号", "2026-10-20", "有效"),
    "X4": ("县政办发〔2026〕1号", "2026-02-10", "有效"),
}
INTERPS = {
    "JX1": "/qxx/zcjd/202611/b1d5f9af6bea4b0048d9ed0358b46a28.shtml",
    "JG1": "/qxx/zcjd/202611/2b6622996584bf87eaac2fb287787b70.shtml",
    "J0": "/qxx/zcjd/202610/254a43e566704511943134b60094bd64.shtml",
    "JG2": "/qxx/zcjd/202609/9ce2a1776105ea59988e4537334baae2.shtml",
    "JG3": "/qxx/zcjd/202606/29fcde6d2af1a9fc0eb5edcbee32dca9.shtml",
    "JX4": "/qxx/zcjd/202602/eaa9782ff9b7786e27e80698221952e7.shtml",
}
# document -> (interpretation, words the evidence must contain): (a) link on the document, (b) link back,
# (c) title quote, (d) 文号 cited
MATCHES = {
    "G1": ("JG1", "文件页面"),
    "X4": ("JX4", "解读页面链接"),
    "X1": ("JX1", "标题"),
    "X2": ("JG2", "标题"),
    "G3": ("JG3", "文号"),
}
UNINTERPRETED = {"X3", "G4", "G5"}
NOT_DOCUMENTS = [
    "/qxx/rsrm/202508/672744a1198c014a047e26bebe62bbec.shtml",  # 任免 with 发文字号
    "/qxx/rsrm/202503/94886c3836248a627463847e930ed378.shtml",
    "/qxx/rsrm/202412/159ad57f3ead5b673a3455661925936b.shtml",
    "/art/2026/11/3/art_1230_5795.html",  # news citing a 文号 and "有效性：…" in prose
    "/art/2026/11/12/art_1240_5810.html",  # 通知公告 notice without 文号
]


# ---------------------------------------------------------------------------------------------- fixture

@pytest.fixture(scope="module")
def p2(tmp_path_factory):
    """One real audit of portal2. portal.audit_portal with the query-string-aware server (tests/portal2_server.py):
    the demo server ignores query strings, and this site pages by them (list.jsp?id=12&page=2)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(portal, "serve_pair", serve_portal2)
        return portal.audit_portal(tmp_path_factory.mktemp("portal2"), root=PORTAL2)


def _url(audit, path: str) -> str:
    if path.startswith("{EXT}"):
        return audit.ext + path[len("{EXT}"):]
    return path if "://" in path else audit.base + path


def _columns(audit) -> dict[str, dict]:
    return {audit.path(c["url"]): c for c in audit.inventory("columns")}


# ---------------------------------------------------------------------------------------------- links

def test_audit_completes(p2):
    assert p2.code == 0, p2.stderr


def test_every_dead_link_with_its_reason(p2):
    got = {u: f["data"]["reason"] for u, f in p2.check("dead_link").items()}
    assert got == {u: reason for u, (reason, _) in DEAD.items()}


def test_dead_links_name_their_pages_and_the_home_page(p2):
    dead = p2.check("dead_link")
    for target, (_, pages) in DEAD.items():
        f = dead.get(target)
        assert f is not None, target
        assert sorted(p2.path(u) for u in f["found_on"]) == sorted(pages), target
        on_home = pages == [HOME]
        assert f["data"]["on_home"] is on_home, target
        assert f["severity"] == ("high" if on_home else "medium"), target


def test_look_alikes_are_not_dead(p2):
    dead = p2.check("dead_link")
    for path in NOT_DEAD:
        assert path not in dead, path
    assert p2.check("unverifiable_link") == {}


def test_server_side_behaviour(p2):
    log = p2.server.log
    gets = [p for m, p in log if m == "GET"]
    assert not any("ysqgk" in p for _, p in log), "a link inside <!-- --> was requested"
    pdf = "/qxx/uploadfiles/202606/20260610153012345.pdf"
    assert gets.count(pdf) == 1  # an own attachment is read whole once (GET) for personal data (issue 12)
    assert gets.count("/col/col2/index.html") == 2  # 503, then 200


def test_pages_listed_only_in_hanweb_datastores_are_crawled(p2):
    db = sqlite3.connect(p2.out / "govaudit.sqlite")
    fetched = {p2.path(r[0]) for r in db.execute("SELECT url FROM fetches")}
    assert [p for p in DATASTORE_ONLY if p not in fetched] == []
    linked = {p2.path(r[0]) for r in db.execute(
        "SELECT target FROM links WHERE source = ?", [p2.url("/col/col1231/index.html")])}
    assert "/art/2026/9/12/art_1231_5702.html" in linked  # a jpage record's link is a link of the page


# ---------------------------------------------------------------------------------------------- columns

def test_every_column_found_named_typed_and_dated(p2):
    cols = _columns(p2)
    assert set(cols) == set(COLUMNS)
    for path, (name, type_id, count, newest, verdict) in COLUMNS.items():
        c = cols[path]
        assert c["verdict"] == verdict, path
        assert c["item_count"] == count, path
        assert c["newest_date"] == newest, path
        if name:
            assert c["name"] == name, path
        if type_id:
            assert c["type"] == type_id, path


def test_not_columns(p2):
    urls = set(_columns(p2))
    for path in NOT_COLUMNS:
        assert path not in urls, path
    assert not any("/art/" in u or "/202" in u for u in urls), "a detail page taken for a column"


def test_paginated_columns_own_their_later_pages(p2):
    cols = _columns(p2)
    yw = [p2.path(u) for u in cols["/col/col1230/index.html"]["pages"]]
    assert any("/module/web/jpage/dataproxy.jsp" in p for p in yw), yw
    jsp = [p2.path(u) for u in cols["/jsp/list.jsp?id=12"]["pages"]]
    assert "/jsp/list.jsp?id=12&page=2" in jsp


def test_stale_blank_home_and_veto(p2):
    stale = p2.check("stale_column")
    assert set(stale) == {"/col/col1231/index.html", "/col/col1241/index.html", "/qxx/rsrm/index.shtml"}
    assert stale["/col/col1231/index.html"]["data"]["overdue_days"] == 10
    assert stale["/col/col1241/index.html"]["data"]["overdue_days"] == 22
    assert stale["/qxx/rsrm/index.shtml"]["data"]["overdue_days"] == 93
    assert set(p2.check("blank_column")) == {"/qxx/czyjs/index.shtml", "/qxx/zdxm/index.shtml"}
    assert p2.check("stale_homepage") == {}  # home behind the meta refresh shows 11-19
    assert p2.check("column_veto") == {}


# ---------------------------------------------------------------------------------------------- documents

def test_exactly_the_policy_documents_are_counted(p2):
    docs = p2.docs()
    assert set(docs) == set(DOCS.values())
    for path in NOT_DOCUMENTS:
        assert path not in docs, path


def test_document_metadata_from_both_layouts(p2):
    docs = p2.docs()
    for key, path in DOCS.items():
        d = docs[path]
        number, published, validity = META[key]
        assert d["title"] == TITLES[key], key  # not the site name of the 江西 header's first <h1>
        assert d["doc_number"] == number, key
        assert d["pub_date"] == published, key
        assert d["validity"] == validity, key
    assert docs[DOCS["G4"]]["valid_until"] == "2026-03-19"


def test_validity_findings(p2):
    missing = p2.check("missing_validity")
    assert set(missing) == {DOCS["G3"], DOCS["X2"]}
    assert missing[DOCS["G3"]]["data"]["validity_status"] == "missing"
    assert missing[DOCS["X2"]]["data"]["validity_status"] == "empty"
    assert set(p2.check("expired_still_valid")) == {DOCS["G4"]}


def test_every_matching_path_with_its_evidence(p2):
    docs = p2.docs()
    for key, (interp, evidence) in MATCHES.items():
        d = docs[DOCS[key]]
        assert d["interpretation"] == p2.url(INTERPS[interp]), key
        assert evidence in (d["evidence"] or ""), (key, d["evidence"])
    assert "县政办发〔2026〕2号" in docs[DOCS["G3"]]["evidence"]


def test_sidebar_of_latest_interpretations_is_no_match(p2):
    docs = p2.docs()
    for key in UNINTERPRETED:
        assert docs[DOCS[key]]["interpretation"] is None, (key, docs[DOCS[key]]["evidence"])


def test_missing_interpretation_and_rate(p2):
    assert set(p2.check("missing_interpretation")) == {DOCS[k] for k in UNINTERPRETED}
    (summary,) = p2.inventory("summary")
    assert summary["interpretation_rate"] == {"required": 8, "interpreted": 5, "rate": 0.625}


def test_late_interpretation(p2):
    late = p2.check("late_interpretation")
    assert set(late) == {DOCS["X2"]}
    assert late[DOCS["X2"]]["data"]["working_days"] == 7
    assert late[DOCS["X2"]]["found_on"] == [p2.url(INTERPS["JG2"])]


def test_findings_match_golden(p2):
    """Refactors keep findings and inventories byte-identical (tests/golden/portal2.json)."""
    portal.assert_golden(p2, "portal2")
