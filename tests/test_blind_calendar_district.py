"""A blind fixture (tests/fixtures/calendar_district/EXPECTED.md): 澄江市临湖区人民政府, a fictional district on
a responsive CMS (list dates drawn as calendar blocks — day and year-month in separate elements —, a 长者模式
copy under /wza/, 街道 sub-sites in subdirectories, a 领导之窗 of cards each wrapped whole in its link),
built from domain.md and the corpus by someone who had not read the code.

It found three false accusations, two false vetoes and a miss: the 领导之窗 cards, each a link around the
photo, name and post, were read without their detail pages, so the index was accused of six leaders
without 分工 and, listing no dates, of a column never updated; "自原国家食品药品监督管理总局…以来" (原 after
自) was a veto on the article and its /wza/ copy; the 城南街道 工作动态 column (calendar-block dates, not
read) was taken for the 街道 home page's box, and its 39 days without update were missed.
"""
from __future__ import annotations

import pytest

from portal import blind_findings, problems

EXPECTED = {
    ("blank_column", "/zwgk/tjxx/index.html", None),
    ("dead_link", "/xwzx/zwyw/202609/t20260910_4818003.html", None),  # a soft 404 on 政务要闻 page 2
    ("dead_link", "/ztzl/yshj/index.html", None),
    ("dead_link", "/zwgk/czyjs/202602/P020260210038150518176.pdf", None),
    ("expired_still_valid", "/zwgk/zcwj/202406/t20240620_4817279.html", None),
    ("hidden_link", "http://www.hg6688bet.com/", None),
    ("incomplete_leader_info", "/ldzc/zhaojianguo.html", None),
    ("late_interpretation", "/zwgk/zcwj/202607/t20260707_4817716.html", None),
    ("missing_interpretation", "/zwgk/zcwj/202606/t20260616_4817657.html", None),
    ("missing_validity", "/zwgk/zcwj/202608/t20260818_4817834.html", None),
    ("missing_validity", "/zwgk/zcwj/202609/t20260908_4817941.html", None),
    ("privacy_leak", "/xwzx/tzgg/202611/P020261120038163222825.xlsx", None),
    ("privacy_leak", "/xwzx/tzgg/202611/t20261126_4819310.html", None),
    ("stale_column", "/jd/cnjd/gzdt/index.html", None),
    ("stale_column", "/zwgk/ghjh/index.html", None),
    ("unanswered_message", "/hdjl/qzxx/xx_2533.html", None),
    ("wrong_expression", "/xwzx/bmdt/202611/86f84c0226add9e64a6f336b0befdd78.html", "卫计局"),
    ("wrong_expression", "/xwzx/tzgg/202611/t20261103_4818545.html", "中华人民共合国"),
}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    return blind_findings("calendar_district", tmp_path_factory)


def test_every_problem_of_expected_md_and_nothing_else(findings):
    assert problems(findings) == sorted(EXPECTED, key=str)


def test_the_street_column_is_read_with_its_calendar_dates(findings):
    (f,) = [f for f in findings if f["url"] == "/jd/cnjd/gzdt/index.html"]
    assert f["severity"] == "high" and "2026-10-23" in f["detail"] and "39 天" in f["detail"]
