"""A sixth portal (tests/fixtures/portal6/EXPECTED.md): 博达 (Sudy) 站群 + 广东 gkmlpt 信息公开, with lists and a
相关解读 box filled by JavaScript (issue 11).

Two real audits of 潮澜市海棠区人民政府, served by the real demo HTTP server and audited by the real CLI: one
normally, where the system Chromium renders the script-loaded pages (skipped when /usr/bin/chromium is absent), and
one with GOVAUDIT_NO_BROWSER=1, where those pages must be listed as 需人工核实（页面内容由脚本加载） and never judged
blank/stale/missing from their empty shells. Every expectation comes from EXPECTED.md.
"""
from __future__ import annotations

import csv
import io
import os

import pytest

import portal

ROOT = portal.ROOT
PORTAL6 = ROOT / "tests" / "fixtures" / "portal6"
CHROMIUM = "/usr/bin/chromium"
MANUAL = "需人工核实（页面内容由脚本加载）"

HOME = "/"

# ---------------------------------------------------------------------------------------------- data

# target -> (reason, found on); the same in both modes
DEAD = {
    "/_upload/tpl/00/1a/26/template26/images/banner_zt.jpg": ("http_404", [HOME]),
    "{EXT}/gdzwfw/": ("http_404", [HOME]),
    "/2026/0601/c1234a55001/page.htm": ("http_404", ["/2026/1112/c1234a56795/page.htm"]),
    "/attachment/0/329/329931/3299310.pdf": ("http_404", ["/gkmlpt/content/3/3299/post_3299310.html"]),
}
# Sudy's visit counter answers 500 but is only ever requested by a script (span.WP_VisitCount[url]): not a link.
VISITCOUNT = "/_visitcountdisplay"
NOT_DEAD = ["{EXT}/", "/main.htm", "/1234/list1.htm", "/1234/list2.htm", "/gkmlpt/index",
            "/gkmlpt/api/all/2", "/gkmlpt/api/all/7", "/_wp3services/generalQuery", "/1241/list_ajax.htm"]

# column URL -> (name, type, item_count, newest, verdict)
STATIC_COLUMNS = {
    "/1234/list.htm": ("部门动态", "dynamic", 9, "2026-11-17", "fresh"),  # + list2.htm (list1.htm = page 1)
    "/1235/list.htm": ("通知公告", "notice", 4, "2026-04-20", "stale"),
    "/1236/list.htm": ("财政预决算", "other", 0, None, "blank"),  # 暂无内容
    "/1250/list.htm": ("政策解读", "other", 3, "2026-11-13", "fresh"),
}
SCRIPT_COLUMNS = {
    "/gkmlpt/policy": ("政策文件", "notice", 3, "2026-11-12", "fresh"),  # template {{item.title}} + $.ajax JSON
    "/gkmlpt/rsxx": ("人事信息", "personnel", 3, "2026-09-30", "fresh"),  # fetch() JSON
    "/1240/list.htm": ("乡镇动态", "dynamic", 5, "2026-10-25", "stale"),  # XMLHttpRequest JSON
    "/1241/list.htm": ("工作动态", "dynamic", 6, "2026-11-19", "fresh"),  # $.get HTML fragment
}
NOT_COLUMNS = ["/", "/main.htm", "/gkmlpt/index", "/1234/list1.htm", "/1234/list2.htm", "/1241/list_ajax.htm",
               "/gkmlpt/api/all/2", "/gkmlpt/api/all/7", "/_wp3services/generalQuery"]
OVERDUE = {"/1235/list.htm": 32, "/1240/list.htm": 13}

DOCS = {
    "D1": "/gkmlpt/content/3/3301/post_3301245.html",
    "D3": "/gkmlpt/content/3/3299/post_3299310.html",
    "D2": "/gkmlpt/content/3/3298/post_3298077.html",
}
TITLES = {
    "D1": "潮澜市海棠区人民政府办公室关于印发《海棠区农贸市场管理办法》的通知",
    "D3": "潮澜市海棠区人民政府办公室关于进一步做好秋冬季森林防火工作的通知",
    "D2": "潮澜市海棠区人民政府关于印发《海棠区城市道路占用挖掘管理规定》的通知",
}
# key -> (文号, 发布日期, validity as read)
META = {
    "D1": ("海府办〔2026〕12号", "2026-11-12", "有效"),
    "D3": ("海府办〔2026〕9号", "2026-10-15", "现行有效"),  # label 效力状态
    "D2": ("海府〔2026〕7号", "2026-09-08", None),
}
INTERPS = {
    "J1": "/2026/1113/c1250a56806/page.htm",
    "J2": "/2026/0910/c1250a56692/page.htm",
    "J0": "/2026/0702/c1250a56600/page.htm",
}
NOT_DOCUMENTS = ["/gkmlpt/content/3/3297/post_3297650.html", "/gkmlpt/content/3/3296/post_3296102.html",
                 "/gkmlpt/content/3/3294/post_3294018.html", "/2026/0420/c1235a55420/page.htm", *INTERPS.values()]


# ---------------------------------------------------------------------------------------------- fixtures

def _audit(tmp, no_browser: bool) -> portal.AuditResult:
    with pytest.MonkeyPatch.context() as mp:
        if no_browser:
            mp.setenv("GOVAUDIT_NO_BROWSER", "1")
        else:
            mp.delenv("GOVAUDIT_NO_BROWSER", raising=False)
        return portal.audit_portal(tmp, root=PORTAL6)


@pytest.fixture(scope="module")
def nob(tmp_path_factory):
    """The audit without a browser (GOVAUDIT_NO_BROWSER=1)."""
    return _audit(tmp_path_factory.mktemp("portal6_nobrowser"), no_browser=True)


@pytest.fixture(scope="module")
def br(tmp_path_factory):
    """The audit with the system Chromium rendering the script-loaded pages."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium (/usr/bin/chromium) is not installed")
    return _audit(tmp_path_factory.mktemp("portal6_browser"), no_browser=False)


@pytest.fixture(params=["browser", "no_browser"])
def p6(request):
    """Expectations that hold in both modes run against both audits."""
    return request.getfixturevalue("br" if request.param == "browser" else "nob")


def _columns(audit) -> dict[str, dict]:
    return {audit.path(c["url"]): c for c in audit.inventory("columns")}


def _csv_rows(audit, name: str) -> dict[str, str]:
    """site-relative URL -> the whole CSV row joined, for every row of DIR/NAME that names a URL of the site."""
    text = (audit.out / name).read_text(encoding="utf-8-sig")
    rows = {}
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell.startswith(audit.base):
                rows.setdefault(audit.path(cell), " | ".join(row))
    return rows


# ---------------------------------------------------------------------------------------------- both modes

def test_audit_completes(p6):
    assert p6.code == 0, p6.stderr


def test_every_dead_link_with_its_reason(p6):
    got = {u: f["data"]["reason"] for u, f in p6.check("dead_link").items()}
    assert got == {u: reason for u, (reason, _) in DEAD.items()}


def test_dead_links_name_their_pages_and_the_home_page(p6):
    dead = p6.check("dead_link")
    for target, (_, pages) in DEAD.items():
        f = dead.get(target)
        assert f is not None, target
        assert sorted(p6.path(u) for u in f["found_on"]) == sorted(pages), target
        on_home = pages == [HOME]
        assert f["data"]["on_home"] is on_home, target
        assert f["severity"] == ("high" if on_home else "medium"), target


def test_script_only_service_answering_500_is_not_a_link(p6):
    """The Sudy visit counter (500) is requested only by jquery.sudy.wp.visitcount.js from span[url]."""
    dead = p6.check("dead_link")
    assert not [u for u in dead if VISITCOUNT in u], dead.keys()
    assert not [u for u in p6.check("unverifiable_link") if VISITCOUNT in u]
    for path in NOT_DEAD:
        assert not [u for u in dead if u.split("?")[0] == path], path
    assert p6.check("unverifiable_link") == {}


def test_static_columns(p6):
    cols = _columns(p6)
    for path, (name, type_id, count, newest, verdict) in STATIC_COLUMNS.items():
        c = cols.get(path)
        assert c is not None, path
        assert (c["name"], c["type"], c["item_count"], c["newest_date"], c["verdict"]) == \
            (name, type_id, count, newest, verdict), path
    pages = [p6.path(u) for u in cols["/1234/list.htm"]["pages"]]
    assert "/1234/list2.htm" in pages, pages


def test_not_columns(p6):
    urls = set(_columns(p6))
    for path in NOT_COLUMNS:
        assert path not in urls, path
    assert not any("/page.htm" in u or "/gkmlpt/content/" in u for u in urls), "a detail page taken for a column"
    assert urls == set(STATIC_COLUMNS) | set(SCRIPT_COLUMNS)


def test_blank_home_and_veto(p6):
    assert set(p6.check("blank_column")) == {"/1236/list.htm"}
    assert p6.check("stale_homepage") == {}
    assert p6.check("column_veto") == {}


def test_exactly_the_policy_documents_are_counted(p6):
    docs = p6.docs()
    assert set(docs) == set(DOCS.values())
    for path in NOT_DOCUMENTS:
        assert path not in docs, path


def test_document_metadata(p6):
    docs = p6.docs()
    for key, path in DOCS.items():
        d = docs[path]
        number, published, validity = META[key]
        assert d["title"] == TITLES[key], key
        assert d["doc_number"] == number, key
        assert d["pub_date"] == published, key
        assert d["validity"] == validity, key


def test_validity_findings(p6):
    missing = p6.check("missing_validity")
    assert set(missing) == {DOCS["D2"]}  # D3's 效力状态：现行有效 is a mark
    assert missing[DOCS["D2"]]["data"]["validity_status"] == "missing"
    assert p6.check("expired_still_valid") == {}


def test_title_quote_interpretation_and_no_late(p6):
    docs = p6.docs()
    assert docs[DOCS["D2"]]["interpretation"] == p6.url(INTERPS["J2"])
    assert p6.check("late_interpretation") == {}


# ---------------------------------------------------------------------------------------------- with a browser

def test_browser_script_loaded_columns_are_read(br):
    cols = _columns(br)
    for path, (name, type_id, count, newest, verdict) in SCRIPT_COLUMNS.items():
        c = cols.get(path)
        assert c is not None, path
        assert (c["name"], c["type"], c["item_count"], c["newest_date"], c["verdict"]) == \
            (name, type_id, count, newest, verdict), path


def test_browser_stale_columns(br):
    stale = br.check("stale_column")
    assert set(stale) == set(OVERDUE)
    for path, days in OVERDUE.items():
        assert stale[path]["data"]["overdue_days"] == days, path


def test_browser_ajax_interpretation_box_is_read(br):
    docs = br.docs()
    d1 = docs[DOCS["D1"]]
    assert d1["interpretation"] == br.url(INTERPS["J1"]), d1["evidence"]
    assert "文件页面" in (d1["evidence"] or ""), d1["evidence"]  # the (rendered) 相关解读 link on the document
    assert docs[DOCS["D3"]]["interpretation"] is None, docs[DOCS["D3"]]["evidence"]
    assert set(br.check("missing_interpretation")) == {DOCS["D3"]}
    (summary,) = br.inventory("summary")
    rate = summary["interpretation_rate"]
    assert (rate["required"], rate["interpreted"]) == (3, 2)
    assert rate["rate"] == pytest.approx(2 / 3, abs=0.001)


# ---------------------------------------------------------------------------------------------- without a browser

def test_no_browser_script_loaded_columns_need_manual_check(nob):
    cols = _columns(nob)
    rows = _csv_rows(nob, "columns.csv")
    for path in SCRIPT_COLUMNS:
        c = cols.get(path)
        assert c is not None, f"{path} not listed"
        assert c["verdict"] not in ("fresh", "stale", "blank"), (path, c["verdict"])
        assert path in rows and MANUAL in rows[path], (path, rows.get(path))
    for path in STATIC_COLUMNS:
        assert MANUAL not in rows.get(path, ""), path
    assert MANUAL in (nob.out / "report.html").read_text(encoding="utf-8")


def test_no_browser_no_stale_or_blank_from_empty_shells(nob):
    stale = nob.check("stale_column")
    assert set(stale) == {"/1235/list.htm"}
    assert stale["/1235/list.htm"]["data"]["overdue_days"] == 32
    assert set(nob.check("blank_column")) == {"/1236/list.htm"}


def test_no_browser_ajax_interpretation_box_needs_manual_check(nob):
    assert nob.check("missing_interpretation") == {}
    rows = _csv_rows(nob, "documents.csv")
    for key in ("D1", "D3"):
        assert DOCS[key] in rows and MANUAL in rows[DOCS[key]], (key, rows.get(DOCS[key]))
    docs = nob.docs()
    assert docs[DOCS["D1"]]["interpretation"] is None  # J1 is connected to D1 only through the AJAX box
