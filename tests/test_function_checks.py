"""功能设计 checks over hand-built stores (no network): site identity marks, 找错入口, required columns."""
from __future__ import annotations

import json

import pytest

from govaudit import store
from govaudit.checks import Crawl, run_checks as _run_checks
from govaudit.config import defaults

HOME = "http://www.example.gov.cn/"
FULL = {"site_code": "3609000002", "site_code_source": "meta", "icp": "赣ICP备06000141号",
        "police": "赣公网安备36090202000004号", "party_badge": "https://bszs.conac.cn/sitename?id=1",
        "error_entry": "https://zfwzgl.www.gov.cn/exposure/jiucuo.js", "search_forms": []}
NAV = ["首页", "走进临川", "机构职能", "领导之窗", "政策文件", "政策解读", "市长信箱", "网上办事", "要闻动态", "通知公告",
       "人事信息", "规划计划", "财政预决算", "统计数据", "专题专栏", "网站地图", "无障碍", "English", "联系我们", "版权声明"]


def crawl_with(tmp_path, marks: dict | None, anchors: list[str], config: dict | None = None) -> Crawl:
    db = store.open_db(tmp_path / "g.sqlite")
    run_id = db["runs"].insert({"site": "临川市", "start_url": HOME, "as_of": "2026-11-21", "status": "complete"}).last_pk
    facts = {"text_len": 3000, **({"marks": marks} if marks is not None else {})}
    db["pages"].insert({"run_id": run_id, "url": HOME, "final_url": HOME, "title": "临川市人民政府", "depth": 0,
                        "is_home": 1, "kind": "home", "meta": "{}", "facts": json.dumps(facts, ensure_ascii=False)})
    db["links"].insert_all([{"run_id": run_id, "source": HOME, "target": f"{HOME}c{i}/", "anchor": a, "tag": "a",
                             "attr": "href", "source_is_home": 1} for i, a in enumerate(anchors)])
    return Crawl(db, run_id, {**defaults(), **(config or {})})


def run_checks(crawl, only):
    return [f.as_dict() for f in _run_checks(crawl, only)]


def ids(findings: list[dict], check: str) -> list:
    return [f for f in findings if f["check"] == check]


def test_a_complete_home_page_raises_nothing(tmp_path):
    c = crawl_with(tmp_path, FULL, NAV)
    got = [f.as_dict() for f in run_checks(c, ["missing_site_identity", "missing_error_report_entry", "missing_required_column"])]
    assert got == []


def test_each_missing_mark_is_one_finding(tmp_path):
    marks = dict(FULL, police=None, party_badge=None, error_entry=None)
    got = run_checks(crawl_with(tmp_path, marks, NAV), ["missing_site_identity", "missing_error_report_entry"])
    assert sorted(f["data"].get("mark", "entry") for f in got) == ["entry", "party_badge", "police"]
    assert all(f["url"] == HOME and f["severity"] == "medium" for f in got)


def test_a_crawl_without_marks_is_not_judged(tmp_path):
    got = run_checks(crawl_with(tmp_path, None, NAV), ["missing_site_identity", "missing_error_report_entry"])
    assert got == []


def test_missing_columns_by_home_links(tmp_path):
    nav = [a for a in NAV if a not in ("领导之窗", "政策解读")]
    got = run_checks(crawl_with(tmp_path, FULL, nav), ["missing_required_column"])
    assert sorted(f["data"]["column"] for f in got) == ["政策解读", "领导信息"]
    assert {f["severity"] for f in got} == {"info"} and all("需人工核实" in f["detail"] for f in got)


def test_script_built_navigation_is_not_judged(tmp_path):
    got = run_checks(crawl_with(tmp_path, FULL, ["首页", "网站地图"]), ["missing_required_column"])
    assert got == []


def test_a_site_without_public_services_is_not_asked_for_them(tmp_path):
    nav = [a for a in NAV if a != "网上办事"]
    assert [f["data"]["column"] for f in run_checks(crawl_with(tmp_path, FULL, nav), ["missing_required_column"])] == ["办事服务"]
    (tmp_path / "x").mkdir()
    c = crawl_with(tmp_path / "x", FULL, nav, {"site": {"public_services": False}})
    assert run_checks(c, ["missing_required_column"]) == []


def test_a_page_read_in_part_is_named_for_a_person(tmp_path):
    c = crawl_with(tmp_path, FULL, NAV)
    c.db["pages"].insert({"run_id": c.run_id, "url": HOME + "deep.html", "final_url": HOME + "deep.html", "title": "x",
                          "depth": 1, "is_home": 0, "kind": "detail", "meta": "{}",
                          "facts": json.dumps({"truncated": "嵌套超过 2048 层"}, ensure_ascii=False)})
    (f,) = run_checks(c, ["page_truncated"])
    assert f["url"] == HOME + "deep.html" and f["severity"] == "info" and "嵌套超过 2048 层" in f["detail"]


def test_an_unreadable_home_page_is_never_a_veto(tmp_path):
    """A home page with (almost) nothing readable — a challenge, an error, a script shell — gets 需人工核实."""
    c = crawl_with(tmp_path, FULL, ["首页"])
    c.db.execute("UPDATE pages SET facts = ? WHERE url = ?", [json.dumps({"text_len": 40}), HOME])
    (f,) = run_checks(c, ["stale_homepage"])
    assert f["severity"] == "info" and "需人工核实" in f["detail"]
    c.db.execute("UPDATE pages SET facts = ? WHERE url = ?", [json.dumps({"text_len": 4000}), HOME])
    (f,) = run_checks(c, ["stale_homepage"])  # read, and no date anywhere: the rule's 按未更新处理
    assert f["severity"] == "veto"
