"""The check registry is the one place a check is known: reports and history never name a check."""
from __future__ import annotations

import re
import types
from pathlib import Path

from govaudit.checks import DEFAULT_CHECKS, CheckSpec, Finding, by_order, registry, spec_for, spec_of
from govaudit.reports import labels, problem_text

ROOT = Path(__file__).resolve().parents[1]


def test_no_check_id_in_reports_or_history():
    ids = set(registry())
    files = sorted((ROOT / "reports").rglob("*.py")) + sorted((ROOT / "reports" / "templates").glob("*.j2"))
    files.append(ROOT / "govaudit" / "history.py")
    for path in files:
        text = path.read_text(encoding="utf-8")
        for check_id in ids:
            assert not re.search(rf"\b{check_id}\b", text), f"{path.relative_to(ROOT)} names the check {check_id}"


def test_every_builtin_declares_one_spec_and_is_listed():
    helpers = {"__init__", "crawl", "spec", "finding", "wording"}  # and *_common / *_rules: shared by several checks
    modules = {p.stem for p in (ROOT / "checks").glob("*.py")
               if p.stem not in helpers and not p.stem.endswith(("_common", "_rules"))}
    assert modules == set(DEFAULT_CHECKS)
    for name in DEFAULT_CHECKS:
        spec = registry()[name]
        assert isinstance(spec, CheckSpec) and spec.id == name and spec.title and spec.hint


def test_report_order_and_veto_come_from_the_specs():
    assert by_order(registry())[:4] == ["site_unreachable", "site_unavailable", "stale_homepage", "column_veto"]
    order = by_order(registry())
    assert order.index("unverifiable_link") > order.index("dead_link")
    vetoes = {c for c, s in registry().items() if s.veto}
    assert vetoes == {"site_unreachable", "site_unavailable", "stale_homepage", "column_veto", "wrong_expression",
                      "unanswered_message", "no_message_channel"}
    assert max(order.index(c) for c in vetoes) < order.index("dead_link")  # vetoes first
    assert labels.check_title("stale_column") == "栏目不更新" and labels.is_veto("column_veto")
    # A check no longer installed keeps its id as its title and goes last.
    assert labels.check_title("retired_check") == "retired_check" and labels.check_rank("retired_check") > 110


def test_where_wording_is_the_checks():
    veto = {"check": "column_veto", "url": "http://a/", "data": {"columns": [{"name": f"栏目{i}"} for i in range(12)]}}
    assert problem_text.where(veto) == "栏目：" + "、".join(f"“栏目{i}”" for i in range(10)) + " 等 12 个"
    assert problem_text.where({"check": "site_unreachable", "url": "http://a/"}) == "网站首页（起始网址）"
    blank = {"check": "blank_column", "url": "http://a/x/", "data": {"name": "通知公告"}}
    assert problem_text.where(blank) == "栏目“通知公告”" and problem_text.short(blank) == "“通知公告”"
    dead = {"check": "dead_link", "url": "http://a/y", "found_on": ["http://a/"], "data": {"status": 404, "anchors": ["关于"]}}
    assert problem_text.error_code(dead) == "404" and problem_text.where(dead) == "链接文字“关于”，位于：\nhttp://a/"
    assert problem_text.error_code(blank) == ""


def test_a_first_style_plugin_module_still_registers():
    legacy = types.ModuleType("legacy_check", "旧式检查项：只定义 ID、TITLE 和 run。")
    legacy.ID, legacy.TITLE, legacy.run = "legacy", "旧式检查", lambda crawl: ()
    spec = spec_of(legacy)
    assert (spec.id, spec.title, spec.hint, spec.veto) == ("legacy", "旧式检查", "旧式检查项：只定义 ID、TITLE 和 run。", False)
    assert spec_for("dead_link") is registry()["dead_link"]


def test_finding_identity_and_contract_shape():
    f = Finding.of({"url": "http://a/", "severity": "veto", "detail": "d", "data": {"rule": "blank_columns"}},
                   check="column_veto", site="甲")
    assert f.identity == "column_veto|http://a/#blank_columns"
    assert list(f.as_dict()) == ["check", "url", "found_on", "severity", "detail", "site", "data"]
    assert Finding.of({"check": "dead_link", "url": "http://a/b"}).identity == "dead_link|http://a/b"
