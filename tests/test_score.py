"""The score sheet (issue 13) over hand-built findings: veto, deductions with caps, services, bonus, manual."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from govaudit import score as sc
from govaudit import store
from govaudit.cli import main


def dead(on_home: bool, n: int = 1) -> list[dict]:
    return [{"check": "dead_link", "url": f"http://x/{on_home}/{i}", "severity": "high" if on_home else "medium",
             "data": {"on_home": on_home}} for i in range(n)]


def stale(name: str, type_: str) -> dict:
    return {"check": "stale_column", "url": f"http://x/{name}", "severity": "medium", "data": {"name": name, "type": type_}}


@pytest.fixture(scope="module")
def sheet() -> sc.Sheet:
    return sc.load_sheet()


def line(result: sc.SiteScore, item: str) -> sc.Line:
    return next(ln for ln in result.lines if ln.item == item)


def test_default_sheet_adds_up(sheet):
    assert sum(i.points for i in sheet.items) == 100
    cats = {}
    for i in sheet.items:
        cats[i.category] = cats.get(i.category, 0) + i.points
    assert cats == {"发布解读": 45, "办事服务": 25, "互动交流": 15, "功能设计": 15}
    assert [v.item for v in sheet.veto][:5] == ["站点无法访问", "首页不更新", "栏目不更新", "严重表述错误", "互动回应差"]


def test_veto_fails_and_nothing_else_is_scored(sheet):
    r = sc.score_site("甲", dead(True, 3) + [{"check": "stale_homepage", "url": "http://x/", "severity": "veto"}], sheet)
    assert r.verdict == "不合格" and r.score is None and r.base is None
    assert [v.item for v in r.vetoed] == ["首页不更新"] and "单项否决：首页不更新" == r.reason


def test_info_findings_and_non_veto_severities_never_veto(sheet):
    findings = [{"check": "hidden_link", "url": "http://e/", "severity": "high"},
                {"check": "site_unavailable", "url": "http://x/", "severity": "info"}]
    r = sc.score_site("甲", findings, sheet)
    assert not r.vetoed and r.verdict == "合格"


def test_link_deductions_home_and_other_and_the_cap(sheet):
    r = sc.score_site("甲", dead(True, 2) + dead(False, 13), sheet)
    assert line(r, "链接可用性").deduction == 3.3  # 2 × 1 + 13 × 0.1
    r = sc.score_site("甲", dead(True, 9), sheet)
    assert line(r, "链接可用性").deduction == 5  # one indicator never loses more than its points
    assert r.base == 95 and r.score == 95 and r.verdict == "合格"


def test_policy_column_six_months_is_minus_five_once(sheet):
    f = [stale("政策文件", "notice"), stale("规范性文件", "notice"), stale("通知公告", "notice")]
    r = sc.score_site("甲", f, sheet)
    assert line(r, "政策文件").deduction == 5 and line(r, "栏目更新").deduction == 1
    assert len(line(r, "政策文件").evidence) == 2


def test_below_sixty_fails(sheet):
    f = (dead(True, 5) + [stale(f"动态{i}", "dynamic") for i in range(4)]
         + [{"check": "blank_column", "url": f"http://x/b{i}", "severity": "high", "data": {"type": "other"}} for i in range(4)]
         + [{"check": "missing_interpretation", "url": f"http://x/d{i}", "severity": "medium"} for i in range(8)]
         + [{"check": "missing_validity", "url": f"http://x/v{i}", "severity": "medium"} for i in range(16)]
         + [stale("政策文件", "notice")] + [stale(f"公告{i}", "notice") for i in range(10)]
         + [{"check": "missing_required_column", "url": "http://x/", "severity": "high", "data": {"column": c}}
            for c in ("概况信息", "机构职能", "领导信息", "办事服务", "互动交流")]
         + [{"check": "stale_replies", "url": "http://x/", "severity": "medium"},
            {"check": "search_broken", "url": "http://x/", "severity": "medium"}])
    r = sc.score_site("乙", f, sheet)
    # 5 + 4 + 4 + 8 + (5 + 3 capped at 8) + 10 + 2 + 3 + 2 + 5 + 4 + 3 + 3 = 61 lost
    assert r.base == 39 and r.verdict == "不合格" and "低于60分" in r.reason


def test_no_public_services_is_scaled_from_75(sheet):
    r = sc.score_site("丙", dead(True, 3), sheet, services=False)
    assert all(ln.category != "办事服务" for ln in r.lines)
    assert r.base == 96.0  # (75 − 3) × 100 / 75


def test_manual_verdicts_count_and_pending_items_are_listed(sheet):
    r = sc.score_site("丁", [], sheet)
    assert {"服务不实用", "弄虚作假", "办事指南"} <= {p.item for p in r.pending}
    r = sc.score_site("丁", [], sheet, manual=[{"item": "服务不实用", "veto": True, "note": "办事指南缺少办理时限", "by": "张三"}])
    assert r.verdict == "不合格" and r.vetoed[0].note == "办事指南缺少办理时限；张三"
    r = sc.score_site("丁", [], sheet, manual=[{"item": "办事指南", "deduct": 4}, {"item": "加分指标", "points": 12}],
                      portal=True)
    assert r.base == 96 and r.bonus == 12 and r.score == 108


def test_bonus_only_above_eighty_and_only_for_portals(sheet):
    f = dead(True, 5) + [{"check": "blank_column", "url": f"http://x/{i}", "severity": "high", "data": {}} for i in range(5)] \
        + [{"check": "missing_interpretation", "url": f"http://x/m{i}", "severity": "medium"} for i in range(8)] \
        + [{"check": "search_broken", "url": "http://x/", "severity": "medium"}]
    bonus = [{"item": "加分指标", "points": 50}]
    r = sc.score_site("戊", f, sheet, manual=bonus, portal=True)
    assert r.base == 79 and r.bonus == 0  # 79 is not above 80
    r = sc.score_site("戊", dead(True, 1), sheet, manual=bonus, portal=True)
    assert r.bonus == 30 and r.score == 129  # capped at bonus_max
    assert sc.score_site("戊", dead(True, 1), sheet, manual=bonus, portal=False).bonus == 0


def test_a_local_variant_by_config_alone(tmp_path, sheet):
    raw = yaml.safe_load(sc.DEFAULT_SHEET.read_text(encoding="utf-8"))
    raw.update(total=120, fail_below=72, bonus_max=40)
    raw["items"][0]["points"] += 20  # 概况信息 carries the extra 20 in this fictional variant
    path = tmp_path / "luzhou.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    variant = sc.load_sheet(path)
    r = sc.score_site("己", dead(True, 2), variant)
    assert r.base == 118 and r.verdict == "合格"
    # Changing one point value changes exactly that score.
    raw["items"] = [dict(i, feeds=[dict(fd, deduct=2) if fd.get("check") == "dead_link" and
                                   (fd.get("when") or {}).get("data.on_home") else fd for fd in i.get("feeds") or []])
                    for i in raw["items"]]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    r2 = sc.score_site("己", dead(True, 2), sc.load_sheet(path))
    assert r2.base == 116 and [ln.deduction for ln in r2.lines if ln.item != "链接可用性"] == \
        [ln.deduction for ln in r.lines if ln.item != "链接可用性"]


def test_bad_sheets_are_named(tmp_path):
    raw = yaml.safe_load(sc.DEFAULT_SHEET.read_text(encoding="utf-8"))
    raw["items"][3]["feeds"][0]["how"] = "each"
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(sc.SheetError, match="动态要闻.*how 取值“each”无效"):
        sc.load_sheet(p)
    raw = yaml.safe_load(sc.DEFAULT_SHEET.read_text(encoding="utf-8"))
    raw["items"][0]["points"] = 7
    p.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(sc.SheetError, match="各项分值之和为 105"):
        sc.load_sheet(p)


def test_score_command_prints_and_stores_the_sheet(tmp_path):
    db_path = tmp_path / "g.sqlite"
    db = store.open_db(db_path)
    run_id = db["runs"].insert({"site": "临川市甲局网站", "start_url": "http://x/", "as_of": "2026-11-21",
                                "month": "2026-11", "status": "complete"}).last_pk
    store.replace_findings(db, run_id, [dict(f, site="临川市甲局网站", detail="", found_on=[]) for f in dead(True, 2) + dead(False, 3)])
    res = CliRunner().invoke(main, ["score", "临川市甲局网站", "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    assert "链接可用性：分值5，扣2.3（分值待核实）" in res.output and "总分：97.7；结论：合格" in res.output
    out = json.loads(CliRunner().invoke(main, ["score", "--run", str(run_id), "--db", str(db_path), "--json"]).output)
    assert out["score"] == 97.7 and out["verdict"] == "合格"
    rows = {r["item"]: r for r in store.open_db(db_path).query("SELECT * FROM scores WHERE run_id = ?", [run_id])}
    assert rows["链接可用性"]["deduction"] == 2.3 and len(json.loads(rows["链接可用性"]["evidence"])) == 5
    assert rows["总分"]["score"] == 97.7 and rows["总分"]["verdict"] == "合格"
    res = CliRunner().invoke(main, ["score", "不存在的网站", "--db", str(db_path)])
    assert res.exit_code == 2 and "没有网站“不存在的网站”已完成的检查" in res.output
