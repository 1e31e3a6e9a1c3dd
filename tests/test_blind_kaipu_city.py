"""A blind fixture (tests/fixtures/kaipu_city/EXPECTED.md): 澄川市人民政府, a fictional city portal in
开普云 style (/col/colNNNN/, /art/YYYY/MM/D/art_…, 信息公开 fields as <li><label>…</label><span>…</span>),
built from domain.md and the corpus by someone who had not read the code.

It found three real misses: a 有效期限 field (not 有效期) left an expired document 有效; a
display:none block of gambling links to pages on the site itself was not looked at (only other
hosts were); a leader card with 职务 and no 分工 was dropped as a stray name.
"""
from __future__ import annotations

import pytest

from portal import ROOT, static_site_findings

SITE = ROOT / "tests" / "fixtures" / "kaipu_city" / "site"
GZ = "/zwgk/zfxxgk/fdzdgknr"

EXPECTED = {
    ("dead_link", "/art/2026/10/15/art_1001_56712.html", None),
    ("dead_link", "/picture/2026/11/25/p20261125_01.jpg", None),
    ("stale_column", f"{GZ}/rsxx/index.html", None),
    ("blank_column", f"{GZ}/jytabl/index.html", None),
    ("missing_validity", f"{GZ}/gfxwj/202609/t20260914_69850.html", None),
    ("expired_still_valid", f"{GZ}/gfxwj/202306/t20230615_61230.html", None),
    ("missing_interpretation", f"{GZ}/gfxwj/202610/t20261020_69931.html", None),
    ("late_interpretation", f"{GZ}/gfxwj/202610/t20261029_69960.html", None),  # the document's URL (EXPECTED.md accepts it)
    ("unanswered_message", "/hdjl/szxx/202607/t20260720_80012.html", None),
    ("privacy_leak", "/art/2026/11/6/art_1003_57021.html", None),
    ("wrong_expression", "/art/2026/11/26/art_1002_56795.html", "中华人民共合国"),
    ("hidden_link", "/ad/yl2026.html", None),  # url = the hidden target, found_on = the home page
}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    return static_site_findings(SITE, tmp_path_factory.mktemp("kaipu"), "2026-12-01")


def test_every_problem_of_expected_md_and_nothing_else(findings):
    got = [(f["check"], f["url"], (f.get("data") or {}).get("rule")) for f in findings if f["severity"] != "info"]
    assert sorted(got, key=str) == sorted(EXPECTED, key=str)


def test_hidden_gambling_links_and_the_leader_without_duties(findings):
    hidden = next(f for f in findings if f["check"] == "hidden_link")
    assert hidden["severity"] == "veto" and hidden["found_on"] == ["/"] and "本网站页面" in hidden["detail"]
    leader = next(f for f in findings if f["check"] == "incomplete_leader_info")
    assert leader["url"] == "/zwgk/ldxx/index.html" and leader["data"]["missing_duties"] == ["赵志刚"]
