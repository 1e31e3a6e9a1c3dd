"""A blind fixture (tests/fixtures/tabs_city/EXPECTED.md): 泊州市人民政府, a fictional city portal in TRS
WCM style whose home page is a heavy 门户首页 — tabbed news blocks hidden until hovered, drop-downs of
sister sites, a floating window, a marquee, skip links — built from domain.md and the corpus by someone
who had not read the code.

It found three real misses and a false accusation: a document's expiry stated only in its own clause
was not read; a leader detail page printing 工作分工 as a heading over its paragraph was read as having
no 分工 (info); the search probe searched for a news item dated after the inspection day, which the
site's search rightly does not list yet (search_broken, medium).
"""
from __future__ import annotations

import pytest

from portal import ROOT, static_site_findings

SITE = ROOT / "tests" / "fixtures" / "tabs_city" / "site"

EXPECTED = {
    ("dead_link", "/xwzx/ywdt/202611/t20261116_4521002.html", None),
    ("stale_column", "/xwzx/xqdt/index.html", None),
    ("blank_column", "/zwgk/zdxm/index.html", None),
    ("missing_validity", "/zwgk/gfxwj/202606/t20260618_4530010.html", None),
    ("expired_still_valid", "/zwgk/gfxwj/202303/t20230320_4510230.html", None),
    ("missing_interpretation", "/zwgk/gfxwj/202609/t20260915_4530020.html", None),
    ("late_interpretation", "/zwgk/gfxwj/202611/t20261102_4530030.html", None),  # the document's URL
    ("unanswered_message", "/hdjl/szxx/202607/t20260714_4518120.html", None),
    ("privacy_leak", "/zwgk/rsxx/202605/t20260520_4527310.html", None),
    ("wrong_expression", "/xwzx/ywdt/202611/t20261126_4521063.html", "环保局"),
    ("hidden_link", "http://www.xpj2266.com/", None),
    ("incomplete_leader_info", "/ldzc/hejianjun/index.html", None),
}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    return static_site_findings(SITE, tmp_path_factory.mktemp("tabs"), "2026-12-01", {"check_external": False})


def test_every_problem_of_expected_md_and_nothing_else(findings):
    got = [(f["check"], f["url"], (f.get("data") or {}).get("rule")) for f in findings if f["severity"] != "info"]
    assert sorted(got, key=str) == sorted(EXPECTED, key=str)


def test_only_the_off_screen_gambling_block_is_a_hidden_link(findings):
    hidden = [f for f in findings if f["check"] == "hidden_link"]
    assert [(f["severity"], f["found_on"]) for f in hidden] == [("veto", ["/"])]


def test_leaders_with_duties_under_a_heading_are_complete(findings):
    leaders = [f for f in findings if f["check"] == "incomplete_leader_info"]
    assert [f["url"] for f in leaders] == ["/ldzc/hejianjun/index.html"]  # no info for the three others


def test_the_all_today_column_is_a_prompt_and_the_search_is_not_accused(findings):
    prompts = [f for f in findings if f["check"] == "future_date"]
    assert prompts and all(f["severity"] == "info" for f in prompts)
    assert not [f for f in findings if f["check"] == "search_broken"]
