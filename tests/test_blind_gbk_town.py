"""A blind fixture (tests/fixtures/gbk_town/EXPECTED.md): 青岚镇人民政府, a fictional town site of a county
site group, in GBK (gb2312 declared, GBK-only characters such as 喆 and 〇 in use), with a forwarding root
(meta refresh + window.location) and a footer written only by /include/footer.js; built from domain.md
and the corpus by someone who had not read the code.

Conventions that differ from EXPECTED.md's guesses, by the README's contract: hidden_link's url is the
hidden link's target (found_on lists the pages); stale_homepage's url is the start URL the inspector gave.
"""
from __future__ import annotations

import pytest

from portal import ROOT, static_site_findings

SITE = ROOT / "tests" / "fixtures" / "gbk_town" / "site"
CASINO = "http://www.xx-casino.example/"
EXPECTED = {
    ("stale_homepage", "/", None),
    ("stale_column", "/zwgk/gzdt/index.shtml", None),
    ("blank_column", "/zwgk/ghjh/index.shtml", None),
    ("dead_link", "/zwgk/zdxm/index.shtml", None),
    ("dead_link", "/zwgk/gzdt/202608/t20260820_4302.shtml", None),
    ("dead_link", "/zwgk/tzgg/202611/P020261110360125487310.doc", None),
    ("dead_link", CASINO, None),
    ("hidden_link", CASINO, None),
    ("missing_validity", "/zwgk/zcwj/202607/t20260708_4190.shtml", None),
    ("missing_interpretation", "/zwgk/zcwj/202607/t20260708_4190.shtml", None),
    # Not in EXPECTED.md, and right by domain.md §9 (功能设计: a site search): the home page has no search box.
    ("search_broken", "/", None),
}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    return static_site_findings(SITE, tmp_path_factory.mktemp("gbk"), "2026-12-01")


def test_every_problem_of_expected_md_and_nothing_else(findings):
    got = [(f["check"], f["url"], (f.get("data") or {}).get("rule")) for f in findings if f["severity"] != "info"]
    assert sorted(got, key=str) == sorted(EXPECTED, key=str)


def test_a_footer_written_by_a_script_is_left_to_a_person(findings):
    marks = {f["data"]["mark"]: f for f in findings if f["check"] == "missing_site_identity"}
    assert set(marks) <= {"site_code", "icp", "police", "party_badge"}
    assert all(f["severity"] == "info" and "需人工核实" in f["detail"] and f["url"] == "/zwgk/index.shtml" for f in marks.values())
    hidden = next(f for f in findings if f["check"] == "hidden_link")
    assert hidden["severity"] == "veto" and hidden["found_on"] == ["/zwgk/gzdt/202609/t20260905_4372.shtml"]
