"""The loop after a notice, end to end: November's inspection of a real local portal, the unit
edits its 整改清单 in the ways units do, the server fixes two of the three items it claims
fixed, `govaudit review` re-checks them, the office decides the appeal, and December's
inspection leaves the accepted appeal out and escalates what stayed open.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from portal import ROOT, run_cli
from test_inspect import (B_NAME, B_UNIT, BODY, EDU_DETAIL, docx_text, free_port, inspect, problem_rows, workbook_rows,
                          write_sites)
from demo.server import PortalServer

FIXTURES = ROOT / "tests" / "fixtures"


def edit_as_a_unit(src: Path, dst: Path, base: str) -> dict[str, int]:
    """Fill 整改情况 the way a unit does: three claimed fixes, one appeal, rows reordered, an
    extra column, merged cells, an extra sheet and a row that cannot be tied to any problem.
    Returns the Excel row number of the unreadable row."""
    wb = openpyxl.load_workbook(src)
    claims = {
        base + "/about.html": "已整改，已恢复“机构概况”页面",
        base + "/files/plan.pdf": "已修改",
        base + "/zsks/": "已更新，发布招生信息 1 条",
        base + "/tzgg/": "误报，申请核减：该栏目为历史归档栏目，2026年3月起已停止使用",
    }
    out = {}
    for ws in wb.worksheets:
        header = [c.value for c in ws[1]]
        if "整改情况" not in header:
            continue
        url_col = header.index("链接地址") + 1
        fix_col = header.index("整改情况") + 1
        for r in range(2, ws.max_row + 1):
            url = ws.cell(r, url_col).value
            if url in claims:
                ws.cell(r, fix_col).value = claims[url]
        if ws.title == "链接不可用":
            # Rows reordered: the last problem row moved to the top.
            last = [ws.cell(ws.max_row, c).value for c in range(1, ws.max_column + 1)]
            first = [ws.cell(2, c).value for c in range(1, ws.max_column + 1)]
            for c, (a, b) in enumerate(zip(last, first), 1):
                ws.cell(2, c).value, ws.cell(ws.max_row, c).value = a, b
            # An extra column before 问题描述, and the site name merged over the rows.
            ws.insert_cols(5)
            ws.cell(1, 5).value = "整改责任人"
            ws.cell(2, 5).value = "李四"
            rows = ws.max_row
            for r in range(3, rows + 1):
                ws.cell(r, 2).value = None
            ws.merge_cells(start_row=2, start_column=2, end_row=rows, end_column=2)
            # A note row typed below the table: 整改情况 filled, no problem named.
            ws.cell(rows + 2, header.index("整改情况") + 2).value = "其余问题已整改"
            out["junk_row"] = rows + 2
    notes = wb.create_sheet("填报说明", 0)
    notes["A1"] = "本表由临川市教育局填报，联系人李四"
    wb.save(dst)
    return out


def fix_two_of_three(root: Path) -> None:
    """The server really fixes /about.html and fills /zsks/; /files/plan.pdf stays missing."""
    (root / "about.html").write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>机构概况_临川市教育局网站</title>'
                                     f'</head><body><h1>机构概况</h1><p>{BODY}</p></body></html>', encoding="utf-8")
    zsks = root / "zsks/index.html"
    zsks.write_text(zsks.read_text(encoding="utf-8").replace(
        '<p class="empty">暂无信息</p>',
        '<ul class="news-list"><li><a href="/zsks/202611/t20261125_401.html">2027年普通高校招生考试报名须知</a>'
        '<span class="date">2026-11-25</span></li></ul>'), encoding="utf-8")
    page = root / "zsks/202611/t20261125_401.html"
    page.parent.mkdir(parents=True)
    page.write_text(EDU_DETAIL.format(title="2027年普通高校招生考试报名须知", column="招生考试", dir="zsks",
                                      date="2026-11-25", body=BODY), encoding="utf-8")


def review_rows(path: Path) -> list[dict]:
    wb = openpyxl.load_workbook(path)
    ws = wb[B_UNIT]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_review_rechecks_claims_records_the_appeal_and_december_follows(tmp_path):
    root = tmp_path / "edu"
    shutil.copytree(FIXTURES / "edu_portal", root)
    server = PortalServer(root).start()
    base = server.base_url
    store = tmp_path / "store.sqlite"
    cfg = write_sites(tmp_path / "sites.yaml", [
        {"name": B_NAME, "url": base + "/", "unit": B_UNIT, "contacts": ["jyj@linchuan.gov.cn"],
         "columns": {"/xyfc/": "exclude"}}], free_port(), store)
    try:
        nov = tmp_path / "2026-11"
        p = inspect(cfg, "2026-11", "2026-11-21", nov)
        assert p.returncode == 0, p.stderr[-3000:]
        written = nov / "整改清单" / f"{B_UNIT}-2026年11月网站问题整改清单.xlsx"
        returned = tmp_path / "回收" / "教育局整改情况.xlsx"
        returned.parent.mkdir()
        marks = edit_as_a_unit(written, returned, base)
        fix_two_of_three(root)

        out = tmp_path / "复核"
        p = run_cli("review", "--config", str(cfg), "--month", "2026-11", str(returned), "--out", str(out),
                    "--as-of", "2026-11-28")
        assert p.returncode == 0, p.stderr[-3000:]
        # The row that names no problem is reported by file, sheet and row.
        assert f"文件 教育局整改情况.xlsx 工作表“链接不可用”第 {marks['junk_row']} 行" in p.stderr, p.stderr

        rows = {r["链接地址"]: r for r in review_rows(out / "复核结果.xlsx")}
        assert rows[base + "/about.html"]["复核结论"] == "属实"
        assert "HTTP 200" in rows[base + "/about.html"]["复核依据"]
        assert rows[base + "/zsks/"]["复核结论"] == "属实" and "2026-11-25" in rows[base + "/zsks/"]["复核依据"]
        assert rows[base + "/files/plan.pdf"]["复核结论"] == "不属实"
        assert "HTTP 404" in rows[base + "/files/plan.pdf"]["复核依据"]
        appeal = rows[base + "/tzgg/"]
        assert appeal["单位主张"] == "申请核减" and appeal["核减审定"] == "待审定"
        conclusions = sorted(r["复核结论"] for r in rows.values() if r["单位主张"] == "称已整改")
        assert conclusions == ["不属实", "属实", "属实"]
        assert (out / "2026年11月复核情况.docx").is_file()
        text = docx_text(out / "2026年11月复核情况.docx")
        assert "属实 2 条，不属实 1 条，无法复核 0 条；申请核减 1 条" in text

        db = sqlite3.connect(store)
        db.row_factory = sqlite3.Row
        stored = {r["url"]: r for r in db.execute("SELECT * FROM reviews WHERE month = '2026-11'")}
        assert stored[base + "/files/plan.pdf"]["conclusion"] == "不属实"
        assert json.loads(stored[base + "/files/plan.pdf"]["data"])["status"] == 404
        assert stored[base + "/about.html"]["checked_on"] == "2026-11-28"
        ev = db.execute("SELECT * FROM appeal_events").fetchall()
        assert [(e["url"], e["event"]) for e in ev] == [(base + "/tzgg/", "filed")]
        assert "历史归档栏目" in ev[0]["reason"] and "链接不可用" not in ev[0]["source"]

        # Reviewing the same file again replaces, never duplicates.
        p = run_cli("review", "--config", str(cfg), "--month", "2026-11", str(returned), "--out", str(out),
                    "--as-of", "2026-11-28")
        assert p.returncode == 0, p.stderr[-3000:]
        assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 4
        assert db.execute("SELECT count(*) FROM appeal_events").fetchone()[0] == 1

        # The office accepts the appeal by the problem number shown in 复核结果.xlsx.
        p = run_cli("appeal", "accept", str(appeal["问题编号"]), "--reason", "经核实为历史归档栏目", "--by", "张三",
                    "--config", str(cfg))
        assert p.returncode == 0, p.stderr
        assert "同意核减" in p.stderr and "张三" in p.stderr
        ev = db.execute("SELECT * FROM appeal_events ORDER BY id").fetchall()
        assert [e["event"] for e in ev] == ["filed", "accepted"] and ev[1]["actor"] == "张三" and ev[1]["fingerprint"]
        db.close()

        # December: the accepted appeal is left out; the unfixed row is open for 2 months.
        dec = tmp_path / "2026-12"
        p = inspect(cfg, "2026-12", "2026-12-21", dec)
        assert p.returncode == 0, p.stderr[-3000:]
        text = docx_text(dec / "关于2026年12月全市政府网站检查情况的通报.docx")
        assert "同意核减单位申请核减的问题1个" in text
        assert "通知公告" not in text  # the accepted appeal's column is named nowhere
        assert "上次检查发现但仍未整改的问题" in text
        # Named with its 2 months; its address is in the 附件 (整改清单), not in the notice's body.
        still = [line for line in text.splitlines() if "地址见附件整改清单" in line and "链接不可用" in line]
        assert still and still[0].endswith("| 2026年11月21日 | 2"), text
        assert "plan.pdf" not in text
        assert "（单位报称已整改，经复核不属实）" in still[0] and "其中1个问题单位报称已整改，经复核仍未整改" in text
        summary = json.loads((dec / "inspect.json").read_text(encoding="utf-8"))
        assert summary["appealed"] == 1
        sheets = workbook_rows(dec / "整改清单" / f"{B_UNIT}-2026年12月网站问题整改清单.xlsx")
        listed = problem_rows(sheets)
        assert base + "/tzgg/" not in {r["链接地址"] for r in listed}
        dead = sheets["链接不可用"]
        assert (dead[0]["链接地址"], dead[0]["状态"], dead[0]["持续月数"]) == (base + "/files/plan.pdf", "未整改", 2)
        hist = run_cli("history", B_NAME, "--config", str(cfg))
        assert hist.returncode == 0, hist.stderr
        assert "整改情况复核 4 条" in hist.stdout and "称已整改：不属实" in hist.stdout and "申请核减：同意核减" in hist.stdout
        from govaudit import appeals, escalation, history, store as gstore

        gdb = gstore.open_db(store)
        run = [r for r in history.inspection_runs(gdb, B_NAME) if r["month"] == "2026-12"][0]
        kept, omitted = appeals.split(gdb, run["id"], history.run_problems(gdb, run["id"]))
        assert [f["url"] for f in omitted] == [base + "/tzgg/"]
        assert base + "/files/plan.pdf" in {f["url"] for f in kept}
        esc = {r["url"]: r["months_open"] for r in escalation.month_escalations(gdb, "2026-12")}
        assert esc[base + "/files/plan.pdf"] == 2 and base + "/about.html" not in esc
        assert base + "/tzgg/" not in esc  # the appeal covers it in the history too
    finally:
        server.shutdown()
