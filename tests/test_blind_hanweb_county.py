"""A blind fixture (tests/fixtures/hanweb_county/EXPECTED.md): 桐溪县人民政府, a fictional county portal
in 大汉 JCMS style, built from domain.md and the corpus by someone who had not read the code.

Its home footer carries three marks in unusual but real forms (SiteIDCode only in a meta tag,
"公安备案号：…", the conac badge only through document.write(unescape(…)), the 找错 widget only as
_span_jiucuo + jiucuo.png) and lacks one (ICP). Every problem of EXPECTED.md is found and nothing else
is said as a problem: the traps (masked IDs, historical 国土资源局, future event dates, a 专题 column,
a site map) stay silent.
"""
from __future__ import annotations

import pytest

from portal import ROOT, static_site_findings

SITE = ROOT / "tests" / "fixtures" / "hanweb_county" / "site"

EXPECTED = {
    ("dead_link", "/art/2026/10/16/art_1229511_59011060.html", None),
    ("dead_link", "/attach/0/2609151630218895.pdf", None),
    ("dead_link", "/picture/0/2611251016234567.jpg", None),
    ("stale_column", "/col/col1229512/index.html", None),
    ("blank_column", "/col/col1229525/index.html", None),
    ("missing_validity", "/art/2026/9/15/art_1229520_59010650.html", None),
    ("missing_interpretation", "/art/2026/10/20/art_1229520_59011120.html", None),
    ("late_interpretation", "/art/2026/8/3/art_1229520_59010230.html", None),
    ("missing_site_identity", "/", "icp"),
    ("wrong_expression", "/art/2026/11/26/art_1229511_59012260.html", "安监局"),
    ("wrong_expression", "/art/2026/11/18/art_1229511_59011970.html", "秸杆"),
    ("privacy_leak", "/art/2026/3/26/art_1229512_59009320.html", None),
    # Not in EXPECTED.md, and right by domain.md §9 (互动回应差: "no working message channel at all"):
    # the fixture has no 互动交流 column, 信箱 or 留言 form anywhere.
    ("no_message_channel", "/", None),
}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    return static_site_findings(SITE, tmp_path_factory.mktemp("hanweb"), "2026-12-01")


def test_every_problem_of_expected_md_and_nothing_else(findings):
    got = {(f["check"], f["url"], (f.get("data") or {}).get("rule")) for f in findings if f["severity"] != "info"}
    assert got == EXPECTED


def test_marks_written_unusually_are_not_reported(findings):
    marks = [f for f in findings if f["check"] in ("missing_site_identity", "missing_error_report_entry")]
    assert [(f["check"], f["data"].get("mark"), f["severity"]) for f in marks] == [("missing_site_identity", "icp", "medium")]
