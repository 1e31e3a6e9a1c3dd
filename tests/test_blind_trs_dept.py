"""A blind fixture (tests/fixtures/trs_dept/EXPECTED.md): 云川市市场监督管理局, a fictional city department
site in TRS WCM style (createPageHTML pagination, 信息公开 metadata tables, an 在线咨询 message list),
built from domain.md and the corpus by someone who had not read the code.

It found two real bugs: "在原市食药监局工作基础上" (原 after 在) was accused as a current name, and one
unanswered message shown on the home page as "[咨询] …" and in its list without the tag was two findings.
"""
from __future__ import annotations

import pytest

from portal import ROOT, static_site_findings

SITE = ROOT / "tests" / "fixtures" / "trs_dept" / "site"

EXPECTED = {
    ("dead_link", "/ztzl/yhyshj/index.html", None),
    ("dead_link", "/gzdt/202611/P020261124205026082043.xls", None),
    ("stale_column", "/qxdt/index.html", None),
    ("blank_column", "/xxgk/rsxx/index.html", None),
    ("missing_validity", "/xxgk/zcwj/202607/t20260710_4527655.html", None),
    ("expired_still_valid", "/xxgk/zcwj/202312/t20231220_3862417.html", None),
    ("late_interpretation", "/xxgk/zcwj/202611/t20261102_4589015.html", None),
    ("unanswered_message", "/hdjl/zxzx/202605/t20260520_4417365.html", None),
    ("privacy_leak", "/xxgk/tzgg/202610/t20261016_4575602.html", None),
    ("wrong_expression", "/xxgk/tzgg/202611/t20261120_4606110.html", "食药监局"),
    # Not in EXPECTED.md, and right by domain.md §9 (功能设计: a site search): the home page has no search box.
    ("search_broken", "/", None),
}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    return static_site_findings(SITE, tmp_path_factory.mktemp("trs"), "2026-12-01")


def test_every_problem_of_expected_md_and_nothing_else(findings):
    got = [(f["check"], f["url"], (f.get("data") or {}).get("rule")) for f in findings if f["severity"] != "info"]
    assert sorted(got, key=str) == sorted(EXPECTED, key=str)  # a list: one message is one finding, not two
