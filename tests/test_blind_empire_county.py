"""A blind fixture (tests/fixtures/empire_county/EXPECTED.md): 青禾县人民政府, a fictional county portal on an
EmpireCMS (帝国CMS) style PHP CMS (a POST search to /e/search/index.php, documents in a ``table.xxgk``
with merged cells, a 县政府办文件 column without metadata, a 县长信箱 with 留言时间/回复时间, sister sites
in a <select>), built from domain.md and the corpus by someone who had not read the code.

It found ten false accusations and two misses: five routine notices of 县政府办文件 (no 文号, no metadata,
titles such as 关于做好2026年春节期间安全生产工作的通知) were each accused of missing validity and
interpretation; a letter printing its writer's mobile beside 来信人 was not seen; the POST search to a
missing endpoint was left unchecked; the 找错 button linked to zfwzzc.www.gov.cn with only a picture was
not seen (an info prompt).
"""
from __future__ import annotations

import pytest

from portal import blind_findings, problems

EXPECTED = {
    ("blank_column", "/zwgk/zdxm/", None),
    ("dead_link", "/d/file/xwzx/gzdt/2026-11-24/abd9923910cc10ac.jpg", None),
    ("dead_link", "/d/file/zwgk/zcwj/2026-09-15/3408547e0161d5ee.pdf", None),
    ("dead_link", "/ztzl/yhyshj/", None),  # a soft 404
    ("dead_link", "/zwfw/bmfw/", None),
    ("expired_still_valid", "/zwgk/zcwj/2025-11-20/1039.html", None),
    ("hidden_link", "http://www.hg7788-bet.com/", None),
    ("incomplete_leader_info", "/zwgk/xld/", None),
    ("late_interpretation", "/zwgk/zcwj/2026-11-02/1251.html", None),
    ("missing_interpretation", "/zwgk/zcwj/2026-09-15/1168.html", None),
    ("missing_validity", "/zwgk/zcwj/2026-04-08/1098.html", None),
    ("missing_validity", "/zwgk/zcwj/2026-06-10/1124.html", None),
    ("privacy_leak", "/d/file/tzgg/2026-10-16/97355442e97c965a.xlsx", None),
    ("privacy_leak", "/hdjl/xzxx/2026-09-14/3050.html", None),
    ("search_broken", "/", None),
    ("stale_column", "/xwzx/xzdt/", None),
    ("stale_column", "/zwgk/xzfbwj/", None),
    ("unanswered_message", "/hdjl/xzxx/2026-07-15/3036.html", None),
    ("wrong_expression", "/xwzx/gzdt/2026-11-19/1321.html", "环保局"),
    ("wrong_expression", "/xwzx/xzdt/2026-10-28/1235.html", "秸杆"),
}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    return blind_findings("empire_county", tmp_path_factory)


def test_every_problem_of_expected_md_and_nothing_else(findings):
    assert problems(findings) == sorted(EXPECTED, key=str)


def test_routine_notices_are_questions_and_the_post_search_was_submitted(findings):
    routine = [f for f in findings if f["url"].startswith("/zwgk/xzfbwj/2026-")
               and f["check"] in ("missing_validity", "missing_interpretation")]
    assert len(routine) == 10 and {f["severity"] for f in routine} == {"info"}
    assert all("需人工核实" in f["detail"] for f in routine)
    (search,) = [f for f in findings if f["check"] == "search_broken"]
    assert search["data"]["http_status"] == 501 and search["data"]["query_url"].endswith("/e/search/index.php")
    assert not [f for f in findings if f["check"] == "missing_error_report_entry"]
