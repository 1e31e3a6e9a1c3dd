"""The notice's sentences are written once: the .docx and the .html lay out the same blocks."""
from __future__ import annotations

import html as htmlmod
import re

from docx import Document

from govaudit.history import SiteMonth
from govaudit.reports import notice, notice_blocks


def _month() -> dict:
    dead = {"check": "dead_link", "url": "http://a.example/x", "severity": "high", "status": "未整改", "months_open": 2,
            "first_seen": "2026-10-21", "detail": "HTTP 404（页面不存在）", "data": {"on_home": True}, "found_on": []}
    stale = {"check": "stale_column", "url": "http://a.example/tzgg/", "severity": "high", "status": "新增",
             "months_open": 1, "first_seen": "2026-11-21", "detail": "栏目“通知公告”未更新",
             "data": {"name": "通知公告", "type_label": "通知公告类"}, "found_on": []}
    home = {"check": "stale_homepage", "url": "http://a.example/", "severity": "veto", "status": "新增", "months_open": 1,
            "first_seen": "2026-11-21", "detail": "首页 30 天未更新", "data": {}, "found_on": []}
    sm = SiteMonth(name="甲网站", unit="甲单位", url="http://a.example/",
                   run={"as_of": "2026-11-21", "stats": "{}", "status": "complete"}, baseline_month="2026-10",
                   problems=[dead, stale, home], fixed=[dict(dead, url="http://a.example/y", status="已整改")])
    cfg = {"issuer": "临川市人民政府办公室", "number": "临政办函〔2026〕{seq}号", "contact": "政务公开科"}
    data = notice.notice_data([sm], [], cfg, month="2026-11", as_of="2026-11-21", seq=7)
    data["attachments"] = [{"unit": "甲单位", "file": "甲单位-整改清单.xlsx"}]
    return data


def test_docx_and_html_say_every_sentence_of_the_blocks(tmp_path):
    data = _month()
    paths = notice.write_notice(tmp_path, data, None)
    html = htmlmod.unescape(re.sub(r"<[^>]+>", "", paths["html"].read_text(encoding="utf-8")))
    html = re.sub(r"\s+", "", html)
    doc = Document(str(paths["docx"]))
    docx = re.sub(r"\s+", "", "\n".join(p.text for p in doc.paragraphs))
    cells = re.sub(r"\s+", "", "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells))
    paragraphs = [b for b in notice_blocks.blocks(data) if isinstance(b, notice_blocks.Paragraph)]
    assert len(paragraphs) > 10
    for b in paragraphs:
        text = re.sub(r"\s+", "", b.text)
        assert text in html, b.text
        assert b.screen_only or text in docx, b.text
    for b in notice_blocks.blocks(data):
        if isinstance(b, (notice_blocks.Heading, notice_blocks.Title)):
            assert re.sub(r"\s+", "", b.text) in html and re.sub(r"\s+", "", b.text) in docx
        if isinstance(b, notice_blocks.Table):
            for row in b.rows:
                for i, v in enumerate(row):
                    assert str(v) in html and (i in b.wide or str(v) in cells)
    # The words come from the checks' specs: a column by name, a veto told as 单项否决.
    assert "甲单位“甲网站”：首页不更新，首页30天未更新" in docx
    assert "甲单位“甲网站”的“通知公告”栏目" in docx and "甲单位“甲网站”1个（其中首页1个）" in docx
    assert f"于{data['deadline_cn']}前（10个工作日内）" in docx
