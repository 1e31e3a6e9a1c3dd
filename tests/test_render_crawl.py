"""Script-filled lists in a real audit: rendered by the system Chromium when it can, 需人工核实 when not.

tests/fixtures/render_site has four columns filled by script and one static column:
/a/ fetch() of JSON (renders), /b/ fetch() of a missing endpoint (the script then shows 暂无信息), /c/ a list
written by a script from another host (the browser may not go there), /d/ an endpoint slower than
the render timeout. Only /a/ can be judged; /b/, /c/, /d/ must be listed as 需人工核实 and never be
called blank or stale. A second audit with a budget of one rendered page shows the budget holds.
"""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from pathlib import Path

import pytest

import portal
from demo.server import serve_pair

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "tests" / "fixtures" / "render_site"
EXT = ROOT / "tests" / "fixtures" / "render_site_ext"
MANUAL = "需人工核实（页面内容由脚本加载）"
SCRIPT_COLUMNS = ("/a/list.html", "/b/list.html", "/c/list.html", "/d/list.html")

needs_chromium = pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="Chromium is not installed")


def _audit(tmp: Path, **crawl):
    server, ext = serve_pair(SITE, EXT)
    cfg = portal.write_config(tmp / "config.yaml", {"render_timeout": 2, **crawl})
    out = tmp / "out"
    env = {k: v for k, v in os.environ.items() if k != "GOVAUDIT_NO_BROWSER"}
    proc = portal.subprocess.run(
        [portal.sys.executable, "-m", "govaudit", "audit", server.base_url + "/", "--as-of", "2026-11-21",
         "--out", str(out), "--config", str(cfg)], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
    # the crawler checks the script link itself (robots.txt, then HEAD); a browser would GET it
    ext_gets = [(m, p) for m, p in ext.log if m == "GET" and p != "/robots.txt"]
    ext.shutdown()
    server.shutdown()
    assert proc.returncode == 0, proc.stderr
    result = portal.AuditResult(proc.returncode, out, proc.stderr, server.base_url, ext.base_url, server)
    return result, ext_gets


def _columns(r) -> dict[str, dict]:
    return {r.path(c["url"]): c for c in r.inventory("columns")}


def _script_facts(r) -> dict[str, dict]:
    db = sqlite3.connect(r.out / "govaudit.sqlite")
    return {r.path(url): json.loads(s) for url, s in db.execute(
        "SELECT url, json_extract(facts, '$.script_loaded') FROM pages WHERE json_extract(facts, '$.script_loaded') IS NOT NULL")}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Chromium is not installed")
    return _audit(tmp_path_factory.mktemp("render_site"))


def test_rendered_list_is_judged_like_a_static_one(rendered):
    r, _ = rendered
    a = _columns(r)["/a/list.html"]
    assert (a["name"], a["item_count"], a["newest_date"], a["verdict"]) == ("部门动态", 2, "2026-11-18", "fresh")
    assert _script_facts(r)["/a/list.html"]["rendered"] is True
    assert _columns(r)["/e/list.html"]["verdict"] == "fresh"  # the static control column


def test_failed_slow_and_foreign_scripts_leave_columns_for_people(rendered):
    r, _ = rendered
    cols = _columns(r)
    facts = _script_facts(r)
    rows = {}
    for row in csv.reader(io.StringIO((r.out / "columns.csv").read_text(encoding="utf-8-sig"))):
        rows[r.path(row[1])] = " | ".join(row)
    for path in ("/b/list.html", "/c/list.html", "/d/list.html"):
        assert cols[path]["verdict"] == "manual", (path, cols[path])
        assert facts[path]["rendered"] is False and facts[path]["note"], facts[path]
        assert MANUAL in rows[path], rows[path]
    assert not set(r.check("blank_column")) & set(SCRIPT_COLUMNS)
    assert not set(r.check("stale_column")) & set(SCRIPT_COLUMNS)
    assert MANUAL in (r.out / "report.html").read_text(encoding="utf-8")


def test_browser_reaches_only_the_audited_site(rendered):
    """/c/'s list comes from a script on another host: the browser is not allowed to fetch it."""
    _, ext_gets = rendered
    assert ext_gets == [], ext_gets


def test_script_endpoints_are_not_links(rendered):
    r, _ = rendered
    assert not [u for u in r.check("dead_link") if "missing.json" in u or "data.json" in u]


@needs_chromium
def test_render_budget_is_kept(tmp_path):
    r, _ = _audit(tmp_path, render_budget=1)
    facts = _script_facts(r)
    assert set(facts) == set(SCRIPT_COLUMNS)
    over = [p for p, f in facts.items() if "上限" in (f["note"] or "")]
    assert len(over) == 3, facts
    cols = _columns(r)
    for path in over:
        assert cols[path]["verdict"] == "manual"
    assert not set(r.check("blank_column")) & set(SCRIPT_COLUMNS)


# ------------------------------------------------------------------------------------ home page

HOME = """<html><head><meta charset="utf-8"><title>某县人民政府</title></head><body>
<div class="nav"><a href="/about.html">概况</a></div>
<div class="news"><h2>政务要闻</h2><ul id="news"></ul></div>
<script>
fetch('/news.json').then(function (r) { return r.json(); }).then(function (d) {
  document.getElementById('news').innerHTML = d.map(function (x) {
    return '<li><a href="' + x.url + '">' + x.title + '</a><span>' + x.date + '</span></li>'; }).join('');
});
</script></body></html>"""
NEWS = [{"url": "/n/1.html", "title": "县政府召开冬季安全生产工作会议", "date": "2026-11-19"},
        {"url": "/n/2.html", "title": "县政府部署秋冬季森林防火工作", "date": "2026-11-12"}]


def _home_audit(tmp: Path, no_browser: bool) -> dict[str, dict]:
    root = tmp / "site"
    (root / "n").mkdir(parents=True)
    (root / "index.html").write_text(HOME, encoding="utf-8")
    (root / "news.json").write_text(json.dumps(NEWS, ensure_ascii=False), encoding="utf-8")
    (root / "about.html").write_text("<html><body><h1>概况</h1><p>" + "县情介绍。" * 50 + "</p></body></html>", encoding="utf-8")
    for n in NEWS:
        (root / n["url"].lstrip("/")).write_text(
            f"<html><body><h1>{n['title']}</h1><p>发布时间：{n['date']}</p><p>{'正文。' * 60}</p></body></html>", encoding="utf-8")
    server = portal.PortalServer(root).start()
    env = {"GOVAUDIT_NO_BROWSER": "1"} if no_browser else {}
    base_env = {k: v for k, v in os.environ.items() if k != "GOVAUDIT_NO_BROWSER"}
    proc = portal.subprocess.run(
        [portal.sys.executable, "-m", "govaudit", "audit", server.base_url + "/", "--as-of", "2026-11-21",
         "--out", str(tmp / "out"), "--config", str(portal.write_config(tmp / "c.yaml"))],
        capture_output=True, text=True, timeout=300, cwd=ROOT, env={**base_env, **env})
    server.shutdown()
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in (tmp / "out" / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    return {f["check"]: f for f in rows}


@needs_chromium
def test_script_filled_home_page_is_read_through_the_browser(tmp_path):
    assert "stale_homepage" not in _home_audit(tmp_path, no_browser=False)


def test_script_filled_home_page_without_browser_is_never_a_veto(tmp_path):
    f = _home_audit(tmp_path, no_browser=True)["stale_homepage"]
    assert f["severity"] == "info" and MANUAL in f["detail"], f


def test_browser_that_cannot_start_leaves_script_columns_for_people(tmp_path):
    """Rendering fails outright (the configured browser does not start): the shells are kept,
    every script column is 需人工核实, the rest of the audit is as usual."""
    r, _ = _audit(tmp_path, scrapy={"GOVAUDIT_CHROMIUM": "/bin/false"})
    facts = _script_facts(r)
    assert set(facts) == set(SCRIPT_COLUMNS)
    for path, f in facts.items():
        assert f["rendered"] is False and "渲染失败" in f["note"], (path, f)
    cols = _columns(r)
    assert {p: cols[p]["verdict"] for p in SCRIPT_COLUMNS} == dict.fromkeys(SCRIPT_COLUMNS, "manual")
    assert cols["/e/list.html"]["verdict"] == "fresh"
    assert not set(r.check("blank_column")) & set(SCRIPT_COLUMNS)
