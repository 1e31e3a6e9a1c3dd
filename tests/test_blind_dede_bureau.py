"""A blind fixture (tests/fixtures/dede_bureau/EXPECTED.md): 清溪县农业农村局, a fictional county bureau
in DedeCMS style (list_N_M.html, a/YYYY/MMDD/ID.html, MM-DD list dates across a year end), built
from domain.md and the corpus by someone who had not read the code.

It found three real bugs: 文件类型 after 有效性 ran into the validity value ("有效 文件类型：…"), so
no validity was read (an empty one missed, an expired one missed); a reposted (转载) document was
accused of lacking its interpretation; a local picture of the 党政机关 badge was accused as no badge.
"""
from __future__ import annotations

import pytest

from portal import ROOT, static_site_findings

SITE = ROOT / "tests" / "fixtures" / "dede_bureau" / "site"

EXPECTED = {
    ("dead_link", "/a/2026/0916/302.html", None),
    ("dead_link", "/uploads/soft/20261109/xiangmu_shenbaobiao.doc", None),
    ("stale_column", "/xzdt/list_2_1.html", None),
    ("blank_column", "/xxgk/tjxx/list_8_1.html", None),
    ("missing_validity", "/a/2026/0610/261.html", None),
    ("expired_still_valid", "/a/2024/0920/180.html", None),
    ("late_interpretation", "/a/2026/1016/315.html", None),
    ("missing_interpretation", "/a/2026/1113/334.html", None),
    ("unanswered_message", "/hdjl/show-7-45.html", None),
    ("privacy_leak", "/a/2026/1127/344.html", None),
    ("wrong_expression", "/a/2026/1105/329.html", "国土资源局"),
    ("search_broken", "/", None),  # EXPECTED.md: the site has no search at all
}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    return static_site_findings(SITE, tmp_path_factory.mktemp("dede"), "2026-12-01")


def test_every_problem_of_expected_md_and_nothing_else(findings):
    got = [(f["check"], f["url"], (f.get("data") or {}).get("rule")) for f in findings if f["severity"] != "info"]
    assert sorted(got, key=str) == sorted(EXPECTED, key=str)


def test_the_local_badge_picture_is_left_to_a_person(findings):
    badge = [f for f in findings if f["check"] == "missing_site_identity"]
    assert [(f["data"]["mark"], f["severity"]) for f in badge] == [("party_badge", "info")]
