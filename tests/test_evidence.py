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
