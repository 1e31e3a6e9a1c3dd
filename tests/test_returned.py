"""Reading returned 整改清单 robustly, and telling what a 整改情况 cell claims (no network)."""
from __future__ import annotations

import openpyxl
import pytest

from govaudit.returned import read_all, read_workbook
from govaudit.review import APPEAL_CLAIM, FIXED_CLAIM, NO_CLAIM, classify_claim


@pytest.mark.parametrize("text, claim", [
    ("已整改", FIXED_CLAIM), ("已于11月25日删除该链接", FIXED_CLAIM), ("  已更新栏目内容 ", FIXED_CLAIM),
    ("整改完毕", FIXED_CLAIM), ("已修复，链接指向新地址", FIXED_CLAIM),
    ("正在整改", NO_CLAIM), ("尚未更新，计划12月完成", NO_CLAIM), ("", NO_CLAIM), ("收到", NO_CLAIM),
    ("误报，该链接可以正常访问", APPEAL_CLAIM), ("申请核减：该栏目已停止使用", APPEAL_CLAIM),
    ("该问题不属实，页面已标注有效性", APPEAL_CLAIM),
])
def test_claim_classification(text, claim):
    assert classify_claim(text)[0] == claim


def test_appeal_reason_is_the_units_words():
    assert classify_claim("申请核减：该栏目为历史栏目") == (APPEAL_CLAIM, "该栏目为历史栏目")
    assert classify_claim("误报")[1] == "误报"


def test_header_found_by_name_with_extra_columns_merged_cells_and_other_sheets(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "填报说明：请在整改情况一栏填写"
    ws = wb.create_sheet("问题")
    ws.append(["某单位整改清单"])
    ws.append([])
    ws.append(["网站 名称", "备注", "问题类型", "链接地址", "整改情况（由单位填写）", "问题描述"])
    ws.append(["甲网站", "", "链接不可用", "http://a.example/x", "'=已整改", "HTTP 404"])
    ws.append([None, "见附件", "链接不可用", "http://a.example/y", "申请核减：外部链接", "HTTP 404"])
    ws.append([None, None, None, None, "其余已整改", None])
    ws.merge_cells("A4:A5")
    path = tmp_path / "back.xlsx"
    wb.save(path)
    out = read_workbook(path)
    assert [(r.sheet, r.row, r.get("网站名称"), r.get("链接地址"), r.get("整改情况"), r.get("备注")) for r in out.rows] == [
        ("问题", 4, "甲网站", "http://a.example/x", "=已整改", ""),
        ("问题", 5, "甲网站", "http://a.example/y", "申请核减：外部链接", "见附件")]
    assert out.problems == ["文件 back.xlsx 工作表“问题”第 6 行：缺少“链接地址”和“问题描述”，无法对应到检查发现的问题"]


def test_unreadable_files_are_named(tmp_path):
    bad = tmp_path / "旧格式.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    empty = tmp_path / "空表.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["随便", "写点"])
    wb.save(empty)
    out = read_all([bad, empty, tmp_path / "missing.xlsx"])
    assert out.rows == []
    assert out.problems[0].startswith("文件 旧格式.xls 无法读取") and "另存为" in out.problems[0]
    assert out.problems[1] == "文件 空表.xlsx 中没有找到整改清单表格（表头应包含“链接地址”“整改情况”等列）"
    assert "不存在" in out.problems[2]
