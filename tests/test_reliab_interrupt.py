"""Interrupting an inspection or an audit (issue 9, item 1): a real `govaudit` subprocess, a real
signal, a real HTTP server on loopback. A stopped rerun must never replace the month's finished
run, must not write a notice or send mail, and `--resume` must finish it."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
import yaml

from portal import ROOT, TEST_CRAWL, run_cli, write_config
from test_inspect import Mailbox, smtp_server

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth_site import make_server  # noqa: E402

PAGES = 250


def _serve(delay: float):
    srv = make_server(PAGES, delay=delay)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}/"


def _sites(path, url: str, store, smtp_port: int):
    cfg = {"notice": {"issuer": "合成市人民政府办公室"},
           "smtp": {"host": "127.0.0.1", "port": smtp_port, "security": "none", "sender": "wzjc@hecheng.gov.cn",
                    "timeout": 5, "retries": 0, "retry_delay": 0},
           "inspect": {"store": str(store)}, "crawl": {**TEST_CRAWL, "concurrency": 4, "max_pages": 1000},
           "sites": [{"id": "hecheng", "name": "合成市门户", "url": url, "unit": "合成市人民政府办公室", "contacts": ["a@hecheng.gov.cn"]}]}
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path


def _wait_fetches(db_path, run_id: int, n: int, child) -> int:
    deadline = time.monotonic() + 90
    stored = 0
    while time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.2)
        try:
            stored = sqlite3.connect(db_path).execute("SELECT count(*) FROM fetches WHERE run_id = ?", [run_id]).fetchone()[0]
        except sqlite3.Error:
            continue
        if stored >= n:
            break
    return stored


def _problems(db, run_id):
    """(check, site-relative URL): the two servers have different ports."""
    rows = db.execute("SELECT [check], url FROM findings WHERE run_id = ? AND severity != 'info'", [run_id]).fetchall()
    return sorted((c, u.split("/", 3)[-1]) for c, u in rows)


def _crawled(problems):
    """A resumed crawl does not read the home page again, so it tries no site search (README 抓取规则)."""
    return [p for p in problems if p[0] != "search_broken"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_rerun_keeps_the_month_and_resume_finishes_it(tmp_path, sig):
    box = Mailbox()
    smtp = smtp_server(box)
    store = tmp_path / "g.sqlite"
    try:
        srv, url = _serve(0.0)
        cfg = _sites(tmp_path / "sites.yaml", url, store, smtp.port)
        args = ["inspect", "--config", str(cfg), "--month", "2026-11", "--as-of", "2026-11-21"]
        first = run_cli(*args, "--out", str(tmp_path / "o1"), "--send")
        srv.shutdown()
        assert first.returncode == 0, first.stderr
        db = sqlite3.connect(store)
        (run1, status1), = db.execute("SELECT id, status FROM runs").fetchall()
        assert status1 == "complete"
        month_problems = _problems(db, run1)
        assert month_problems
        sent = len(box.messages)
        assert sent == 1

        srv, url2 = _serve(0.03)
        _sites(cfg, url2, store, smtp.port)  # same site, same name: a rerun of the month
        out2 = tmp_path / "o2"
        child = subprocess.Popen([sys.executable, "-m", "govaudit", *args, "--out", str(out2), "--send"], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        stored = _wait_fetches(store, run1 + 1, 40, child)
        assert child.poll() is None and stored >= 40, "the rerun must be stopped mid-crawl"
        os.kill(child.pid, sig)
        _, err = child.communicate(timeout=120)
        assert child.returncode not in (0, None), err
        assert "检查未完成" in err and "--resume" in err
        runs = dict(db.execute("SELECT id, status FROM runs").fetchall())
        assert runs[run1] == "complete", "the finished month must survive an interrupted rerun"
        assert runs[run1 + 1] == "interrupted"
        assert _problems(db, run1) == month_problems
        assert not list(out2.glob("**/*.docx")) and not (out2 / "inspect.json").exists(), "no notice from a partial crawl"
        assert len(box.messages) == sent, "no mail from a partial crawl"
        # The month's report still reads the complete run.
        nc = run_cli("inspect", "--config", str(cfg), "--month", "2026-11", "--no-crawl", "--out", str(tmp_path / "o3"))
        assert nc.returncode == 0, nc.stderr
        assert json.loads((tmp_path / "o3" / "inspect.json").read_text(encoding="utf-8"))["total"] == len(month_problems)

        resumed = run_cli(*args, "--out", str(out2), "--resume")
        srv.shutdown()
        assert resumed.returncode == 0, resumed.stderr
        runs = dict(db.execute("SELECT id, status FROM runs").fetchall())
        assert runs == {run1 + 1: "complete"}, "the resumed run completes and replaces the old one"
        assert _crawled(_problems(db, run1 + 1)) == _crawled(month_problems)
        assert (out2 / "inspect.json").exists()
    finally:
        smtp.stop()


def test_interrupted_audit_says_unfinished_first(tmp_path):
    cfg = write_config(tmp_path / "c.yaml", {"concurrency": 4, "max_pages": 1000})
    srv, url = _serve(0.03)
    out = tmp_path / "out"
    child = subprocess.Popen([sys.executable, "-m", "govaudit", "audit", url, "--out", str(out), "--config", str(cfg),
                              "--as-of", "2026-11-21", "-q"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stored = _wait_fetches(out / "govaudit.sqlite", 1, 40, child)
    assert child.poll() is None and stored >= 40
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=120)
    srv.shutdown()
    assert child.returncode not in (0, None), err
    assert "检查完成" not in err
    lines = [l for l in err.splitlines() if l.strip() and not l.startswith(("开始检查", " ")) and "Warning" not in l]
    assert lines[0].startswith("检查未完成"), err
    html = (out / "report.html").read_text(encoding="utf-8")
    body = html[html.index("<body"):]
    assert "检查未完成" in html[:html.index("<body")], "the page title says it"
    first_text = body.index("检查未完成")
    assert first_text < body.index("网站检查报告") and "检查完成" not in html
    assert sqlite3.connect(out / "govaudit.sqlite").execute("SELECT status FROM runs").fetchone()[0] == "interrupted"


def test_signal_stops_the_sites_not_yet_started(tmp_path):
    srv, url = _serve(0.03)
    store = tmp_path / "g.sqlite"
    cfg = _sites(tmp_path / "sites.yaml", url, store, 25)
    data = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    data["inspect"]["concurrent_sites"] = 1
    data["sites"].append({"id": "hecheng-jyj", "name": "合成市第二站", "url": url, "unit": "合成市教育局"})
    cfg.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-m", "govaudit", "inspect", "--config", str(cfg), "--month", "2026-11",
                              "--as-of", "2026-11-21", "--out", str(tmp_path / "o")], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _wait_fetches(store, 1, 40, child) >= 40
    t0 = time.monotonic()
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=120)
    srv.shutdown()
    assert child.returncode == 3, err
    assert time.monotonic() - t0 < 30, "one signal stops the whole inspection, not only the site being crawled"
    db = sqlite3.connect(store)
    statuses = dict(db.execute("SELECT site, status FROM runs").fetchall())
    assert statuses == {"合成市门户": "interrupted", "合成市第二站": "interrupted"}
    assert db.execute("SELECT count(*) FROM fetches WHERE run_id = 2").fetchone()[0] == 0
    assert not (tmp_path / "o" / "inspect.json").exists()
