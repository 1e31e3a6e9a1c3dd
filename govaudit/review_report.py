"""复核结果.xlsx and the short 复核情况 (.docx/.html) that `govaudit review` writes.

The workbook has a 汇总 sheet and one sheet per unit, a row per returned claim: what the
unit wrote, what the review found (复核结论 with its evidence), and for appeals a 核减审定
column that shows the office's decision once taken (`govaudit appeal`). Page text is hostile:
cells go through labels.safe_cell and strings are never turned into formulas.
"""
from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

import xlsxwriter

from govaudit import appeals, history, recheck
from govaudit.reports.labels import safe_cell
from govaudit.workdays import cn_month

COLUMNS = ["序号", "问题编号", "网站名称", "责任单位", "问题类型", "问题描述", "链接地址", "整改情况（单位填报）",
           "单位主张", "复核结论", "复核依据", "核减审定", "复核日期", "来源"]
WIDTHS = {"序号": 6, "问题编号": 9, "网站名称": 22, "责任单位": 18, "问题类型": 14, "问题描述": 40, "链接地址": 40,
          "整改情况（单位填报）": 30, "单位主张": 10, "复核结论": 10, "复核依据": 50, "核减审定": 16, "复核日期": 11,
          "来源": 30}
SUMMARY = ["责任单位", "填报条数", "称已整改", "属实", "不属实", "无法复核", "申请核减"]


def _decision(db, item) -> str:
    if item.claim != "appeal" or not item.identity:
        return ""
    last = appeals.state(db, item.site_id, item.identity)
    if not last or last["event"] == appeals.FILED:
        return "待审定"
    return f"{appeals.EVENT_TITLES[last['event']]}：{last['reason']}"


def rows(outcome, db) -> list[dict]:
    from govaudit.review import CLAIM_TITLES

    out = []
    for item in outcome.items:
        f = item.finding or {}
        out.append({
            "问题编号": f.get("id", ""), "网站名称": item.site, "责任单位": item.unit,
            "问题类型": history.problem_title(f["check"]) if f else item.row.get("问题类型"),
            "问题描述": f.get("detail") or item.row.get("问题描述"), "链接地址": f.get("url") or item.row.get("链接地址"),
            "整改情况（单位填报）": " ".join(filter(None, [item.row.get("整改情况"), item.row.get("备注")])),
            "单位主张": CLAIM_TITLES[item.claim], "复核结论": item.conclusion or ("—" if item.claim != "fixed" else ""),
            "复核依据": item.evidence, "核减审定": _decision(db, item), "复核日期": outcome.as_of, "来源": item.row.where,
        })
    return out


def write_xlsx(path: Path, outcome, db) -> Path:
    data = rows(outcome, db)
    by_unit: dict[str, list[dict]] = defaultdict(list)
    for r in data:
        by_unit[r["责任单位"] or "未识别单位"].append(r)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "align": "center"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    bad = wb.add_format({"text_wrap": True, "valign": "top", "font_color": "#C00000", "bold": True})
    ws = wb.add_worksheet("汇总")
    ws.write_string(0, 0, safe_cell(f"{cn_month(outcome.month)}网站检查整改情况复核结果（复核日期 {outcome.as_of}）"))
    for j, col in enumerate(SUMMARY):
        ws.write_string(2, j, col, head)
        ws.set_column(j, j, 22 if j == 0 else 10)
    for i, (unit, items) in enumerate(sorted(by_unit.items()), 3):
        fixed = [r for r in items if r["单位主张"] == "称已整改"]
        values = [unit, len(items), len(fixed), sum(r["复核结论"] == recheck.TRUE for r in fixed),
                  sum(r["复核结论"] == recheck.FALSE for r in fixed), sum(r["复核结论"] == recheck.UNKNOWN for r in fixed),
                  sum(r["单位主张"] == "申请核减" for r in items)]
        for j, v in enumerate(values):
            ws.write(i, j, safe_cell(v))
    if outcome.problems:
        r0 = 4 + len(by_unit)
        ws.write_string(r0, 0, "未能读取或对应的内容：", head)
        for k, p in enumerate(outcome.problems, 1):
            ws.write_string(r0 + k, 0, safe_cell(p))
    used = {"汇总"}
    for unit, items in sorted(by_unit.items()):
        name = unit[:31]
        n = 2
        while name in used:
            name = f"{unit[:28]}_{n}"
            n += 1
        used.add(name)
        sheet = wb.add_worksheet(name)
        for j, col in enumerate(COLUMNS):
            sheet.write_string(0, j, col, head)
            sheet.set_column(j, j, WIDTHS.get(col, 12), wrap)
        for i, r in enumerate(items, 1):
            r["序号"] = i
            for j, col in enumerate(COLUMNS):
                v = safe_cell(r.get(col, ""))
                fmt = bad if col == "复核结论" and v == recheck.FALSE else wrap
                sheet.write(i, j, v, fmt)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(items), len(COLUMNS) - 1)
    wb.close()
    return path


def summary_text(outcome) -> list[str]:
    """The paragraphs of 复核情况, shared by the .docx and the .html."""
    fixed = outcome.count("fixed")
    units = sorted({i.unit for i in outcome.items if i.unit})
    paras = [
        f"{cn_month(outcome.month)}政府网站检查后，共收到 {len(units)} 个单位报送的整改情况 {len(outcome.items)} 条。"
        f"其中称已整改 {fixed} 条，经 {outcome.as_of} 逐条复核：属实 {outcome.count('fixed', recheck.TRUE)} 条，"
        f"不属实 {outcome.count('fixed', recheck.FALSE)} 条，无法复核 {outcome.count('fixed', recheck.UNKNOWN)} 条；"
        f"申请核减 {outcome.count('appeal')} 条，待审定。",
    ]
    false = [i for i in outcome.items if i.conclusion == recheck.FALSE]
    if false:
        paras.append("经复核，以下问题单位称已整改但实际未整改，请继续整改：")
        for k, i in enumerate(false, 1):
            f = i.finding or {}
            paras.append(f"{k}. {i.unit}“{i.site}”：{history.problem_title(f.get('check', ''))}，{f.get('url', '')}。{i.evidence}。")
    if outcome.problems:
        paras.append(f"另有 {len(outcome.problems)} 处内容未能读取或对应，详见复核结果.xlsx 的“汇总”表。")
    return paras


def write_docx(path: Path, outcome) -> Path:
    from docx import Document

    doc = Document()
    doc.add_heading(f"{cn_month(outcome.month)}政府网站检查整改情况复核情况", level=1)
    for p in summary_text(outcome):
        doc.add_paragraph(p)
    doc.save(str(path))
    return path


def write_html(path: Path, outcome) -> Path:
    title = f"{cn_month(outcome.month)}政府网站检查整改情况复核情况"
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in summary_text(outcome))
    path.write_text(f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
                    f"</head><body><h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n", encoding="utf-8")
    return path


def write(out_dir: Path, outcome, db) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    name = f"{cn_month(outcome.month)}复核情况"
    return {"xlsx": write_xlsx(out_dir / "复核结果.xlsx", outcome, db),
            "docx": write_docx(out_dir / f"{name}.docx", outcome),
            "html": write_html(out_dir / f"{name}.html", outcome)}
