"""A blind fixture (tests/fixtures/aspnet_dept/EXPECTED.md): 云岭县市场监督管理局, a fictional county bureau
on an ASP.NET WebForms CMS (PowerEasy style: one aspnetForm a page with __VIEWSTATE, columns that page
only by __doPostBack, documents in 4-column and 2-column tables), built from domain.md and the corpus by
someone who had not read the code.

It found a miss and a false accusation: a leader with a rare surname (字国华) in a 姓名 | 职务 | 分工
table was dropped, so his empty 分工 went unreported; a 部门文件's 文号 under the label 文件编号 was not
read, so the interpretation citing it ("印发了云市监发[2026]19号文件") matched nothing and the document was
accused of having none.
"""
from __future__ import annotations

import pytest

from portal import ROOT, static_site_findings

SITE = ROOT / "tests" / "fixtures" / "aspnet_dept" / "site"

EXPECTED = {
    ("dead_link", "/Info/2026/10/12/9960.html", None),  # a soft 404 (200, 对不起，您访问的页面不存在)
    ("dead_link", "/UploadFiles/File/2026/11/20261105143215.docx", None),
    ("stale_column", "/Item/List.aspx_cid_31_page_1.html", None),
    ("blank_column", "/Item/List.aspx_cid_15_page_1.html", None),
    ("missing_validity", "/Info/2026/8/20/9814.html", None),
    ("expired_still_valid", "/Info/2024/4/2/9639.html", None),
    ("missing_interpretation", "/Info/2026/10/16/9981.html", None),
    ("late_interpretation", "/Info/2026/10/30/10053.html", None),
    ("unanswered_message", "/Letter/Show.aspx_id_1041.html", None),
    ("privacy_leak", "/Info/2026/11/17/10158.html", None),
    ("wrong_expression", "/Info/2026/11/19/10180.html", "食品药品监督管理局"),
    ("incomplete_leader_info", "/Item/Leader.aspx_cid_32.html", None),
}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    return static_site_findings(SITE, tmp_path_factory.mktemp("aspnet"), "2026-12-01", {"check_external": False})


def test_every_problem_of_expected_md_and_nothing_else(findings):
    got = [(f["check"], f["url"], (f.get("data") or {}).get("rule")) for f in findings if f["severity"] != "info"]
    assert sorted(got, key=str) == sorted(EXPECTED, key=str)


def test_the_leader_with_a_rare_surname_and_the_postback_columns(findings):
    leader = next(f for f in findings if f["check"] == "incomplete_leader_info")
    assert leader["severity"] == "medium" and "字国华" in leader["detail"]
    # columns that page only by __doPostBack are judged on their first page: nothing about the rest
    assert not [f for f in findings if "javascript" in f["url"] or "/News/" in f["url"]]
    soft = next(f for f in findings if f["url"] == "/Info/2026/10/12/9960.html")
    assert soft["severity"] == "high" and "/" in soft["found_on"]  # linked from the home page too
