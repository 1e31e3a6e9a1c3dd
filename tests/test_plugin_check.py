"""A check from another package is one object and needs nothing else: a throw-away plugin,
installed as a dist-info directory with a ``govaudit.checks`` entry point on PYTHONPATH, shows
with its own title, order, veto status and wording in every document `govaudit inspect` writes.
"""
from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path

import openpyxl
import yaml
from docx import Document

from demo.server import PortalServer
from portal import ROOT, TEST_CRAWL, run_cli

PLUGIN = '''
from govaudit.checks import CheckSpec


def run(crawl):
    yield {"url": crawl.home_url, "found_on": [crawl.home_url], "severity": "veto",
           "detail": "首页公开了未脱敏的身份证号码", "data": {"count": 2}}


CHECK = CheckSpec(id="leader_title_wrong", title="领导职务错误", run=run, order=15, veto=True,
                  hint="页面公开未脱敏的个人信息。",
                  where=lambda f: "首页“办事公示”区块（" + f["url"] + "）")
'''


def install_plugin(where: Path) -> Path:
    """A module and its .dist-info (METADATA + entry_points.txt), as pip would leave them."""
    where.mkdir()
    (where / "leader_check.py").write_text(PLUGIN, encoding="utf-8")
    info = where / "leader_check-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: privacy-check\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[govaudit.checks]\nleader_title_wrong = leader_check:CHECK\n", encoding="utf-8")
    return where


def test_a_plugin_check_reads_the_same_in_every_document(tmp_path):
    plugins = install_plugin(tmp_path / "plugins")
    server = PortalServer(ROOT / "tests" / "fixtures" / "edu_portal").start()
    name, unit = "临川市教育局网站", "临川市教育局"
    cfg = tmp_path / "sites.yaml"
    cfg.write_text(yaml.safe_dump({
        "notice": {"issuer": "临川市人民政府办公室", "deadline_days": 10},
        "inspect": {"store": str(tmp_path / "store.sqlite")},
        "crawl": TEST_CRAWL,
        "sites": [{"name": name, "url": server.base_url + "/", "unit": unit}],
    }, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    env = {"PYTHONPATH": str(plugins)}
    try:
        listed = run_cli("checks", env=env)
        assert "leader_title_wrong\t领导职务错误" in listed.stdout, listed.stderr
        proc = run_cli("inspect", "--config", str(cfg), "--month", "2026-10", "--as-of", "2026-10-21",
                       "--out", str(out), env=env, timeout=180)
    finally:
        server.shutdown()
    assert proc.returncode == 0, proc.stderr[-3000:]
    site_dir = out / "网站检查报告" / name

    # findings.jsonl: the contract, with the plugin's id; first in report order (order 15).
    findings = [json.loads(line) for line in (site_dir / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert findings[0]["check"] == "leader_title_wrong" and findings[1]["check"] == "stale_homepage"

    # findings.csv: its title, and its place before 首页不更新 (order 20).
    rows = list(csv.DictReader(io.StringIO((site_dir / "findings.csv").read_text(encoding="utf-8-sig"))))
    assert (rows[0]["问题类型"], rows[0]["检查项"]) == ("领导职务错误", "leader_title_wrong")
    assert rows[1]["问题类型"] == "首页不更新"

    # report.html: titled, and listed before the built-in veto checks.
    html = (site_dir / "report.html").read_text(encoding="utf-8")
    assert "leader_title_wrong" not in html.split("<h3>")[1]  # the heading is the title, not the id
    assert html.index("领导职务错误") < html.index("首页不更新")

    # The notice (.html and .docx): told as 单项否决, with its title, not among the other problems.
    notice_html = next(out.glob("关于*通报.html")).read_text(encoding="utf-8")
    doc = Document(str(next(out.glob("关于*通报.docx"))))
    docx = "\n".join(p.text for p in doc.paragraphs)
    for text in (notice_html, docx):
        assert "leader_title_wrong" not in text
        assert "领导职务错误，首页公开了未脱敏的身份证号码" in text
        assert "领导职务错误。共" not in text  # a veto check has no 其他问题 section
    veto_para = docx[docx.index("（一）不合格网站"):docx.index("（二）其他问题")]  # 不合格 sites come first
    assert "领导职务错误" in veto_para and "首页不更新" in veto_para

    # The 整改清单: a sheet under its title, and its own 问题页面/栏目 wording.
    wb = openpyxl.load_workbook(next(out.rglob(f"{unit}-*整改清单.xlsx")))
    assert "领导职务错误" in wb.sheetnames and "leader_title_wrong" not in wb.sheetnames
    ws = wb["领导职务错误"]
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]]))
    assert row["问题类型"] == "领导职务错误"
    assert row["问题页面/栏目"] == f"首页“办事公示”区块（{server.base_url}/）"

    # The mail draft: the unit is told its site has a 单项否决 problem (the plugin's veto status).
    eml = next(out.rglob(f"{unit}.eml")).read_bytes()
    import email
    from email import policy

    body = email.message_from_bytes(eml, policy=policy.default).get_body(("plain",)).get_content()
    assert f"“{name}”存在单项否决问题" in body
