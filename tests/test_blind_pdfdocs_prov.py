"""A blind fixture (tests/fixtures/pdfdocs_prov/EXPECTED.md): 南岭省交通运输厅, a fictional provincial
department on a 集约化平台 style CMS whose documents are often only a PDF attachment beside a metadata
block, with text, 图解 and video interpretations, a 厅长信箱 and a white-on-white hidden link, built from
domain.md and the corpus by someone who had not read the code.

It found a miss: a letter 办理中 for 140 days whose 答复内容 said "（信件正在办理中，暂无答复）" was read as
answered (the placeholder in brackets was taken for a reply). EXPECTED.md counts it as 互动回应差; the tool
reports a letter 办理中 past 3 months without a reply as a question (info, 需人工核实) unless the office
sets ``content.messages.in_progress_counts`` — then it is the veto.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from portal import ROOT, problems, static_site_findings

SITE = ROOT / "tests" / "fixtures" / "pdfdocs_prov" / "site"
LETTER = "/module/idea/que_content_68149.html"

EXPECTED = {
    ("blank_column", "/col/col3043/index.html", None),
    ("dead_link", "/art/2025/3/12/art_3042_40194.html", None),  # a soft 404
    ("dead_link", "/col/col3063/index.html", None),
    ("dead_link", "/picture/0/2611041650372.png", None),
    ("dead_link", "/picture/0/2611101530452.pdf", None),
    ("expired_still_valid", "/art/2021/6/28/art_3032_40089.html", None),
    ("hidden_link", "http://www.amxpj-yule888.example/", None),
    ("late_interpretation", "/art/2026/7/6/art_3031_40849.html", None),
    ("missing_interpretation", "/art/2025/11/18/art_3032_40363.html", None),
    ("missing_interpretation", "/art/2026/6/9/art_3031_40737.html", None),
    ("missing_validity", "/art/2026/4/22/art_3032_40605.html", None),
    ("privacy_leak", "/art/2026/11/26/art_3014_42249.html", None),
    ("stale_column", "/col/col3012/index.html", None),
    ("stale_column", "/col/col3040/index.html", None),
    ("wrong_expression", "/art/2026/11/20/art_3011_42161.html", "安全生产监督管理局"),
    ("wrong_expression", "/art/2026/11/3/art_3014_41712.html", "秸杆"),
}


FINDINGS_DIR: list = []


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdfdocs")
    FINDINGS_DIR.append(tmp)
    return static_site_findings(SITE, tmp, "2026-12-01", {"check_external": False})


def test_every_problem_of_expected_md_and_nothing_else(findings):
    assert problems(findings) == sorted(EXPECTED, key=str)


def test_the_letter_in_progress_for_months_is_a_question(findings):
    (f,) = [f for f in findings if f["check"] == "unanswered_message"]
    assert (f["url"], f["severity"]) == (LETTER, "info") and "140 天" in f["detail"] and "需人工核实" in f["detail"]


def test_the_office_may_count_it_as_unanswered(findings, tmp_path):
    """``content.messages.in_progress_counts: true``: the same stored crawl, re-checked, makes it the veto."""
    import json

    from portal import run_cli, write_config

    db = Path(FINDINGS_DIR[0]) / "out" / "govaudit.sqlite"
    cfg = write_config(tmp_path / "c.yaml", {"check_external": False}, {"content": {"messages": {"in_progress_counts": True}}})
    proc = run_cli("recheck", "--db", str(db), "--config", str(cfg), "--out", str(tmp_path / "out"))
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    rows = [json.loads(x) for x in (tmp_path / "out" / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    (f,) = [f for f in rows if f["check"] == "unanswered_message"]
    assert f["severity"] == "veto" and f["url"].endswith(LETTER)
