"""Evidence screenshots in real headless Chromium against a real local portal; and without a
browser, nothing captured, a clear note, nothing fails."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from demo.server import PortalServer
from portal import ROOT

FIXTURES = ROOT / "tests" / "fixtures"


def red_pixels(img: Image.Image) -> int:
    data = img.convert("RGB").tobytes()
    return sum(1 for i in range(0, len(data), 3) if data[i] > 230 and data[i + 1] < 30 and data[i + 2] < 30)


def stamp_band(img: Image.Image) -> bool:
    """The stamp's yellow bar runs across the top of the image."""
    rgb = img.convert("RGB")
    row = [rgb.getpixel((x, 4)) for x in range(0, rgb.width, 40)]
    return all(r > 240 and g > 230 and b < 30 for r, g, b in row)


def test_screenshots_outline_the_element_and_stamp_time_and_url(tmp_path):
    from govaudit import evidence

    if evidence.chromium_path() is None:
        pytest.fail("Chromium is required for this test (apt-get install chromium)")
    root = tmp_path / "edu"
    shutil.copytree(FIXTURES / "edu_portal", root)
    server = PortalServer(root).start()
    base = server.base_url
    findings = [
        {"site": "甲", "check": "dead_link", "url": base + "/files/plan.pdf", "found_on": [base + "/"], "severity": "high",
         "detail": "HTTP 404", "data": {"on_home": True}},
        {"site": "甲", "check": "stale_column", "url": base + "/tzgg/", "found_on": [base + "/tzgg/"], "severity": "high",
         "detail": "栏目不更新", "data": {"newest_date": "2026-03-01"}},
        {"site": "甲", "check": "dead_link", "url": base + "/x.html", "found_on": [base + "/"], "severity": "medium",
         "detail": "not photographed: medium", "data": {}},
    ]
    try:
        ev = evidence.capture(findings, tmp_path / "evidence", site_hosts={"127.0.0.1"})
    finally:
        server.shutdown()
    assert ev.note == "", ev.note
    assert [(s.check, s.page, s.marked >= 1) for s in ev.shots] == [
        ("dead_link", base + "/", True), ("stale_column", base + "/tzgg/", True)]
    for shot in ev.shots:
        img = Image.open(tmp_path / "evidence" / shot.file)
        assert img.size == (1280, 900)
        assert red_pixels(img) > 200, shot  # the outline
        assert stamp_band(img), shot  # time and URL stamped
        assert shot.taken_at
    manifest = json.loads((tmp_path / "evidence" / "evidence.json").read_text(encoding="utf-8"))
    assert [s["file"] for s in manifest["shots"]] == [s.file for s in ev.shots]


def test_without_chromium_nothing_is_captured_and_nothing_fails(tmp_path):
    from govaudit import evidence

    f = {"site": "甲", "check": "stale_homepage", "url": "http://127.0.0.1:9/", "found_on": [], "severity": "veto",
         "detail": "", "data": {}}
    ev = evidence.capture([f], tmp_path / "evidence", chromium=str(tmp_path / "no-chromium"))
    assert ev.shots == [] and "未找到 Chromium" in ev.note
    assert not (tmp_path / "evidence").exists()


def test_inspection_with_evidence_links_screenshots_from_lists_report_and_notice(tmp_path):
    """`govaudit inspect` with evidence.enabled: screenshots beside the site report, linked from
    the 整改清单 and report.html, embedded (small) in the notice."""
    import openpyxl
    import yaml
    from docx import Document

    from test_inspect import B_NAME, B_UNIT, free_port, inspect, write_sites

    root = tmp_path / "edu"
    shutil.copytree(FIXTURES / "edu_portal", root)
    server = PortalServer(root).start()
    cfg = write_sites(tmp_path / "sites.yaml", [{"name": B_NAME, "url": server.base_url + "/", "unit": B_UNIT,
                                                 "columns": {"/xyfc/": "exclude"}}], free_port(), tmp_path / "s.sqlite")
    data = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    data["evidence"] = {"enabled": True}
    cfg.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    try:
        p = inspect(cfg, "2026-11", "2026-11-21", out)
    finally:
        server.shutdown()
    assert p.returncode == 0, p.stderr[-3000:]
    shots = sorted((out / "网站检查报告" / B_NAME / "问题截图").glob("*.png"))
    # veto/high problems of the portal: stale home page, stale 教育动态 column, the home page's two dead links
    assert len(shots) >= 3, shots
    wb = openpyxl.load_workbook(out / "整改清单" / f"{B_UNIT}-2026年11月网站问题整改清单.xlsx")
    ws = wb["链接不可用"]
    header = [c.value for c in ws[1]]
    col = header.index("问题截图") + 1
    links = [ws.cell(r, col).hyperlink.target for r in range(2, ws.max_row + 1) if ws.cell(r, col).hyperlink]
    # xlsxwriter writes relative links the Windows way (..\\dir\\file), as Excel expects
    assert links and all((out / "整改清单" / t.replace("\\", "/")).resolve().is_file() for t in links), links
    html = (out / "网站检查报告" / B_NAME / "report.html").read_text(encoding="utf-8")
    assert 'href="问题截图/' in html
    doc = Document(str(out / "关于2026年11月全市政府网站检查情况的通报.docx"))
    assert len(doc.inline_shapes) == 1 + len(shots)  # the chart and every screenshot (≤ notice_limit)
    assert any("附：单项否决和严重问题截图" in para.text for para in doc.paragraphs)
