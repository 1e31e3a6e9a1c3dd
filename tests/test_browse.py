"""`govaudit browse`: the store in Datasette, read-only on 127.0.0.1, queried over its JSON API,
and one page rendered in real headless Chromium."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from datasette.utils import tilde_encode

from portal import ROOT
from test_inspect import _seed_run, free_port

CHROMIUM = os.environ.get("GOVAUDIT_CHROMIUM", "/usr/bin/chromium")


def seeded_store(path: Path) -> Path:
    from govaudit import history, review, store

    db = store.open_db(path)
    dead = {"check": "dead_link", "url": "http://x.example/a", "severity": "high", "detail": "HTTP 404（页面不存在）"}
    stale = {"check": "stale_column", "url": "http://x.example/tzgg/", "severity": "high", "detail": "栏目“通知公告”未更新"}
    _seed_run(db, "甲网站", "2026-10", [dead, stale])
    _seed_run(db, "甲网站", "2026-11", [dead])
    history.rebuild(db, "甲网站")
    review.ensure_schema(db)
    db["reviews"].insert({"month": "2026-11", "site": "甲网站", "unit": "单位", "identity": "甲网站|dead_link|http://x.example/a",
                          "check": "dead_link", "url": "http://x.example/a", "claim": "fixed", "claim_text": "已整改",
                          "conclusion": "不属实", "evidence": "2026-11-28 复核：链接目标仍不可用（HTTP 404）",
                          "data": "{}", "checked_on": "2026-11-28", "recorded_at": "", "source": "文件 a.xlsx"})
    db.conn.close()
    return path


@pytest.fixture
def browser_server(tmp_path):
    db = seeded_store(tmp_path / "store.sqlite")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "govaudit", "browse", "--db", str(db), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=2).read()
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise AssertionError(f"browse did not start: {proc.communicate()[1][-2000:]}")
            time.sleep(0.3)
    try:
        yield base, db
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=20) as resp:
        return json.loads(resp.read().decode("utf-8"))


def query(base: str, name: str, **params) -> list[dict]:
    qs = urllib.parse.urlencode({**params, "_shape": "array"})
    return get_json(f"{base}/store/{tilde_encode(name)}.json?{qs}")


def test_browse_serves_canned_queries_read_only(browser_server):
    base, db = browser_server
    rows = query(base, "本月问题")  # default: the latest inspected month
    assert [(r["责任单位"], r["网站名称"], r["问题类型"], r["检查月份"]) for r in rows] == [("单位", "甲网站", "链接不可用", "2026-11")]
    assert len(query(base, "本月问题", month="2026-10")) == 2
    open_rows = query(base, "未整改问题及持续月数")
    assert [(r["链接地址"], r["持续月数"]) for r in open_rows] == [("http://x.example/a", 2)]
    assert query(base, "复核结果")[0]["复核结论"] == "不属实"
    trend = {(r["网站名称"], r["检查月份"]): r["问题数"] for r in query(base, "各网站得分趋势")}
    assert trend == {("甲网站", "2026-10"): 2, ("甲网站", "2026-11"): 1}
    meta = get_json(base + "/-/metadata.json")
    assert meta["databases"]["store"]["tables"]["finding_history"]["title"] == "问题历史"
    # Read-only: a write through the SQL API is refused and nothing changes.
    qs = urllib.parse.urlencode({"sql": "DELETE FROM runs", "_shape": "array"})
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{base}/store.json?{qs}", timeout=20).read()
    assert len(query(base, "本月问题", month="2026-10")) == 2


def test_browse_page_renders_chinese_titles_in_chromium(browser_server):
    from playwright import sync_api as playwright

    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is required for this test (apt-get install chromium); not found at {CHROMIUM}")
    base, _ = browser_server
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            page.goto(f"{base}/store/{tilde_encode('未整改问题及持续月数')}", wait_until="load")
            assert page.locator("h1").first.inner_text().strip() == "未整改问题及持续月数"
            headers = [h.strip() for h in page.locator("table.rows-and-columns th").all_inner_texts()]
            assert "持续月数" in headers and "问题类型" in headers, headers
            assert "链接不可用" in page.locator("table.rows-and-columns").inner_text()
        finally:
            browser.close()


def test_score_trend_reads_the_scores_table_when_it_exists(tmp_path):
    from govaudit import browse, score, store

    db_path = seeded_store(tmp_path / "store.sqlite")
    db = store.open_db(db_path)
    score.ensure_table(db)
    run_id = next(iter(db.query("SELECT id FROM runs WHERE month = '2026-11'")))["id"]
    db["scores"].insert({"run_id": run_id, "site": "甲网站", "kind": "total", "item": "总分", "score": 87.5, "verdict": "合格",
                         "note": "得分87.5分"})
    db.conn.close()
    _, meta = browse.prepare(db_path)
    sql = meta["databases"]["store"]["queries"]["各网站得分趋势"]["sql"]
    import sqlite3

    conn = sqlite3.connect(db_path)
    rows = conn.execute(sql).fetchall()
    assert rows == [("甲网站", "2026-11", 87.5, "合格", "得分87.5分")]
