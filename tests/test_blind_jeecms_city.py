"""A blind fixture (tests/fixtures/jeecms_city/EXPECTED.md): 江川市生态环境局, a fictional city bureau on a
JEECMS-style Java CMS (documents in a ``div.xxgk-info`` list and in a label/value table, 政策解读 with
相关文件 links, a 局长信箱 with list and detail pages, one page per leader, tabbed home boxes), built from
domain.md and the corpus by someone who had not read the code.

It found two false vetoes and a miss: two leaders' 简历 lines naming the 江川市环境保护局 of their past
posts ("2005.03—2016.03 江川市环境保护局…科长", "历任安平县环境保护局副局长") were accused of using an
abolished name as current; two hidden gambling links (皇冠体育在线投注, 北京赛车PK10开奖直播) were
high, not veto, for want of those words.
"""
from __future__ import annotations

import pytest

from portal import blind_findings, problems

EXPECTED = {
    ("blank_column", "/zwgk/jyta/index.html", None),
    ("dead_link", "/u/cms/www/202609/18093012abcd.pdf", None),
    ("dead_link", "/u/cms/www/202611/18160512p3fa.jpg", None),
    ("dead_link", "/ztzl/2025hjr/index.html", None),
    ("dead_link", "/zwgk/xxgknb/20240126/10093.html", None),  # a soft 404
    ("expired_still_valid", "/zwgk/bmwj/20221228/10201.html", None),
    ("hidden_link", "http://pk10.jscp-kaijiang.example/", None),
    ("hidden_link", "http://www.hg8868-yule.example/", None),
    ("incomplete_leader_info", "/jggk/ldzc/1024.html", None),
    ("late_interpretation", "/zwgk/zcwj/20261104/10600.html", None),
    ("missing_interpretation", "/zwgk/zcwj/20260618/10402.html", None),
    ("missing_validity", "/zwgk/bmwj/20260422/10377.html", None),
    ("missing_validity", "/zwgk/zcwj/20260812/10417.html", None),
    ("privacy_leak", "/u/cms/www/202610/22093518v6hn.xlsx", None),
    ("privacy_leak", "/zwgk/xzxk/20261009/10494.html", None),
    ("stale_column", "/xwzx/qxdt/index.html", None),
    ("stale_column", "/zwgk/bmwj/index.html", None),
    ("unanswered_message", "/hdjl/jzxx/detail_1050.html", None),
    ("unanswered_message", "/hdjl/jzxx/detail_1053.html", None),
    ("wrong_expression", "/xwzx/gzdt/20261103/10593.html", "秸杆"),
    ("wrong_expression", "/zwgk/tzgg/20261112/10632.html", "环境保护局"),
}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    return blind_findings("jeecms_city", tmp_path_factory)


def test_every_problem_of_expected_md_and_nothing_else(findings):
    assert problems(findings) == sorted(EXPECTED, key=str)


def test_the_gambling_links_are_vetoes_and_the_resumes_are_not_accused(findings):
    assert {f["severity"] for f in findings if f["check"] == "hidden_link"} == {"veto"}
    assert not [f for f in findings if f["url"].startswith("/jggk/ldzc/") and f["check"] == "wrong_expression"]
