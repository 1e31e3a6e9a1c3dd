"""A printable 整改清单 (issue 17): page setup, real hyperlinks, date cells, the unit's columns."""
from __future__ import annotations

from datetime import datetime

import openpyxl

from govaudit.history import SiteMonth
from govaudit.reports import notice, rectification


def seven_problems() -> SiteMonth:
    base = "http://jyj.linchuan.gov.cn"
    problems = []
    for i in range(5):
        problems.append({"check": "dead_link", "url": f"{base}/files/plan{i}.pdf", "severity": "high", "status": "新增",
                         "months_open": 1, "first_seen": "2026-11-21", "found_at": "2026-11-21",
                         "detail": "HTTP 404（页面不存在）", "data": {"on_home": False, "status": 404},
                         "found_on": [f"{base}/tzgg/t2026110{i}_1.html"]})
    for name, d in (("通知公告", "tzgg"), ("教育动态", "jydt")):
        problems.append({"check": "stale_column", "url": f"{base}/{d}/", "severity": "high", "status": "未整改",
                         "months_open": 2, "first_seen": "2026-10-21", "found_at": "2026-11-21",
                         "detail": f"栏目“{name}”最新信息发布于2026年3月2日，已超过6个月未更新",
                         "data": {"name": name, "type_label": "通知公告类"}, "found_on": []})
    return SiteMonth(name="临川市教育局网站", unit="临川市教育局", url=base + "/",
                     run={"as_of": "2026-11-21", "stats": "{}", "status": "complete", "month": "2026-11"},
                     baseline_month="2026-10", problems=problems)


def test_list_prints_on_a4_landscape_with_links_and_dates(tmp_path):
    sm = seven_problems()
    data = notice.notice_data([sm], [], {"issuer": "临川市人民政府办公室"}, month="2026-11", as_of="2026-11-21")
    (path,) = rectification.write_lists(tmp_path, [sm], data).values()
    wb = openpyxl.load_workbook(path)
    title = "临川市教育局2026年11月政府网站检查问题整改清单"
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth or 1) == 1  # OOXML default 1
        assert ws.page_setup.fitToHeight == 0  # as many pages down as needed, never shrunk to one
        assert title in ws.oddHeader.center.text
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert wb["汇总"].print_title_rows.replace("$", "") == "3:3"
    ws = wb["链接不可用"]
    assert ws.print_title_rows.replace("$", "") == "1:1" and ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header[-4:] == ["整改时限", "责任人", "完成时限", "整改情况"]
    col = {h: i + 1 for i, h in enumerate(header)}
    rows = list(ws.iter_rows(min_row=2, max_row=ws.max_row))
    assert len(rows) == 5
    for r in rows:
        link, page = r[col["链接地址"] - 1], r[col["问题页面/栏目"] - 1]
        assert link.hyperlink is not None and link.hyperlink.target == link.value
        assert page.hyperlink is not None and page.hyperlink.target.startswith("http://jyj.linchuan.gov.cn/tzgg/")
        for name in ("发现时间", "首次发现", "整改时限"):
            cell = r[col[name] - 1]
            assert cell.is_date and cell.number_format == "yyyy-mm-dd", (name, cell.value)
        assert r[col["整改时限"] - 1].value == datetime.fromisoformat(data["deadline"])
        assert r[col["责任人"] - 1].value is None and r[col["完成时限"] - 1].value is None
        assert r[col["完成时限"] - 1].number_format == "yyyy-mm-dd"  # what the unit types becomes a date
    widths = {h: ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width for h, i in col.items()}
    assert widths["问题描述"] >= 30 and widths["责任人"] >= 8 and widths["完成时限"] >= 11
    # One sheet is one page wide: the columns' total width fits A4 landscape at a modest scale.
    assert sum(widths.values()) < 260
    stale = wb["栏目不更新"]
    pages = {c.value: c for row in stale.iter_rows(min_row=2) for c in row if c.column == col["问题页面/栏目"]}
    assert pages["栏目“通知公告”"].hyperlink.target == "http://jyj.linchuan.gov.cn/tzgg/"
    assert pages["栏目“教育动态”"].hyperlink.target == "http://jyj.linchuan.gov.cn/jydt/"
    # 汇总: the same problem count as the notice, and how 提示 items are counted.
    summary = wb["汇总"]
    assert "问题共7个" in summary["A2"].value and "不计入问题数" in summary["A2"].value
    assert data["total"] == 7
