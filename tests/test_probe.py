"""Availability probes (issue 14): a week of rounds against real local sites, verdicts, alerts.

The sites are real HTTP servers on 127.0.0.1; "down" is a closed listening socket (connection refused),
exactly what a stopped web server gives. Rounds are recorded with `govaudit probe --at` through the real
click command (in-process: 168 rounds as subprocesses would cost minutes of interpreter start-up).
"""
from __future__ import annotations

import email
import json
import socket
import sqlite3
import threading
from datetime import date, datetime, timedelta, timezone
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from govaudit import availability as av
from govaudit import probe as pr
from govaudit.cli import main

TZ = timezone(timedelta(hours=8))
AS_OF = date(2026, 11, 22)  # the week is 2026-11-15 … 2026-11-21
HOME = ("<html><head><title>{name}</title></head><body><h1>{name}</h1>"
        "<ul><li><a href='/a.html'>工作动态</a><span>2026-11-20</span></li></ul></body></html>")


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Site:
    """A tiny site that can be switched off (listener closed → refused) and on again on the same port."""

    def __init__(self, name: str, fail_first: int = 0) -> None:
        self.name, self.port, self.server = name, free_port(), None
        self.fail_first = fail_first  # answer 503 to the first N requests (for --watch)
        self.requests = 0
        self.up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def up(self) -> None:
        if self.server:
            return
        site = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                site.requests += 1
                body = HOME.format(name=site.name).encode()
                status = 503 if site.requests <= site.fail_first else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def write_sites(path: Path, sites: list[dict], store: Path, smtp_port: int | None = None, **extra) -> Path:
    cfg = {"notice": {"issuer": "临川市人民政府办公室"}, "inspect": {"store": str(store)}, "sites": sites, **extra}
    if smtp_port:
        cfg["smtp"] = {"host": "127.0.0.1", "port": smtp_port, "security": "none", "sender": "wzjc@example.gov.cn",
                       "timeout": 10, "retries": 0, "retry_delay": 0}
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    """7 days × 24 rounds: A refused in 10 rounds (5.95 %), B in 6 (3.57 %), C probed only 19 times on one day."""
    tmp = tmp_path_factory.mktemp("probe")
    a, b = Site("临川市甲局网站"), Site("临川市乙局网站")
    store = tmp / "govaudit.sqlite"
    cfg = write_sites(tmp / "sites.yaml", [
        {"name": a.name, "url": a.url, "unit": "甲局"},
        {"name": b.name, "url": b.url, "unit": "乙局", "probe_urls": [b.url + "key.html"]},
    ], store)
    start = datetime(2026, 11, 15, 0, 10, tzinfo=TZ)
    a_down = {5, 6, 7, 30, 31, 80, 81, 82, 83, 150}  # 10 of 168, one outage of 4 rounds
    b_down = {12, 40, 41, 100, 120, 160}  # 6 of 168
    runner = CliRunner()
    for i in range(168):
        (a.down if i in a_down else a.up)()
        (b.down if i in b_down else b.up)()
        at = (start + timedelta(hours=i)).isoformat()
        res = runner.invoke(main, ["probe", "--config", str(cfg), "--at", at, "--timeout", "5"])
        assert res.exit_code == 0, res.output
    a.up(), b.up()
    yield {"cfg": cfg, "store": store, "a": a, "b": b, "tmp": tmp}
    a.down(), b.down()


def test_rounds_are_stored_with_outcome_and_time(week):
    db = sqlite3.connect(week["store"])
    rows = db.execute("SELECT site, kind, outcome, ok, attempts, at, day, elapsed_ms FROM probes ORDER BY id").fetchall()
    assert len(rows) == 168 * 3  # A home, B home, B key URL
    a_rows = [r for r in rows if r[0] == "临川市甲局网站"]
    assert [r[2] for r in a_rows].count("refused") == 10
    assert all(r[4] == 2 for r in a_rows if r[2] == "refused")  # confirmed by one immediate retry
    assert all(r[4] == 1 and r[3] == 1 for r in a_rows if r[2] == "ok")
    assert a_rows[0][5] == "2026-11-15T00:10:00+08:00" and a_rows[0][6] == "2026-11-15"
    assert {r[6] for r in rows} == {f"2026-11-{d}" for d in range(15, 22)}
    key = [r for r in rows if r[1] == "key"]
    assert len(key) == 168 and [r[2] for r in key].count("refused") == 6  # key URLs are probed too…


def test_availability_ratios_and_verdicts(week):
    res = CliRunner().invoke(main, ["availability", "--config", str(week["cfg"]), "--as-of", AS_OF.isoformat(), "--json"])
    assert res.exit_code == 0, res.output
    by = {r["site"]: r for r in json.loads(res.output)}
    a, b = by["临川市甲局网站"], by["临川市乙局网站"]
    assert (a["probes"], a["failures"], a["ratio_text"], a["verdict"]) == (168, 10, "5.95%", "veto")
    assert (b["probes"], b["failures"], b["ratio_text"], b["verdict"]) == (168, 6, "3.57%", "warning")
    assert a["longest_outage_probes"] == 4 and a["longest_outage_min"] == 240.0
    assert a["window"] == ["2026-11-15", "2026-11-21"]
    assert b["outcomes"] == {"refused": 6}  # …but only the home page counts for the rule
    text = CliRunner().invoke(main, ["availability", "--config", str(week["cfg"]), "--as-of", AS_OF.isoformat()]).output
    assert "5.95%" in text and "单项否决" in text and "预警" in text


def test_a_day_under_twenty_probes_gives_no_verdict(week, tmp_path):
    import shutil

    copy = tmp_path / "copy.sqlite"
    shutil.copy(week["store"], copy)
    conn = sqlite3.connect(copy)
    conn.execute("DELETE FROM probes WHERE id IN (SELECT id FROM probes WHERE site = '临川市甲局网站' "
                 "AND kind = 'home' AND day = '2026-11-18' LIMIT 5)")
    conn.commit()
    conn.close()
    res = CliRunner().invoke(main, ["availability", "临川市甲局网站", "--config", str(week["cfg"]), "--db", str(copy),
                                    "--as-of", AS_OF.isoformat(), "--json"])
    (a,) = json.loads(res.output)
    assert a["verdict"] == "insufficient" and a["short_days"] == ["2026-11-18"]
    text = CliRunner().invoke(main, ["availability", "--config", str(week["cfg"]), "--db", str(copy),
                                     "--as-of", AS_OF.isoformat()]).output
    assert "监测次数不足" in text and "单项否决" not in text.split("临川市甲局网站")[1].split("\n")[0]


def test_filed_closure_is_excluded(week, tmp_path):
    cfg = yaml.safe_load(week["cfg"].read_text(encoding="utf-8"))
    # A's outage of 2026-11-18 08:10–11:10 (rounds 80–83) was filed in advance.
    cfg["sites"][0]["closures"] = [{"from": "2026-11-18T08:00", "to": "2026-11-18T11:30", "reason": "机房电力改造"}]
    path = tmp_path / "sites.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    res = CliRunner().invoke(main, ["availability", "--config", str(path), "--as-of", AS_OF.isoformat(), "--json"])
    a = {r["site"]: r for r in json.loads(res.output)}["临川市甲局网站"]
    assert (a["probes"], a["failures"], a["excluded"]) == (164, 6, 4)
    assert a["verdict"] == "warning" and "机房电力改造" in a["closures"][0]


def test_bad_at_and_closure_messages(tmp_path):
    s = Site("临川市丙局网站")
    try:
        cfg = write_sites(tmp_path / "s.yaml", [{"name": s.name, "url": s.url, "unit": "丙局"}], tmp_path / "db.sqlite")
        res = CliRunner().invoke(main, ["probe", "--config", str(cfg), "--at", "昨天"])
        assert res.exit_code == 2 and "--at 时间格式应为 ISO 8601" in res.output
        bad = write_sites(tmp_path / "b.yaml", [{"name": s.name, "url": s.url, "unit": "丙局",
                                                  "closures": [{"from": "2026-11-18", "to": "2026-11-17"}]}],
                          tmp_path / "db.sqlite")
        res = CliRunner().invoke(main, ["probe", "--config", str(bad)])
        assert res.exit_code == 2 and "结束时间早于开始时间" in res.output
    finally:
        s.down()


def test_whole_page_deadline_and_soft_error(tmp_path):
    """A server that accepts and never answers times out at the limit; a 200 error page is not 'open'."""
    hang = socket.socket()
    hang.bind(("127.0.0.1", 0))
    hang.listen(50)  # connections complete in the kernel, nothing ever answers
    try:
        url = f"http://127.0.0.1:{hang.getsockname()[1]}/"
        outcome, status, ms, detail = pr.fetch_once(url, timeout=1.0)
        assert outcome == "timeout" and 900 <= ms < 2500 and "1秒" in detail
    finally:
        hang.close()

    class Err(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            body = "<html><head><title>404 页面不存在</title></head><body>对不起，您访问的页面不存在</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Err)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        outcome, status, _, _ = pr.fetch_once(f"http://127.0.0.1:{srv.server_port}/", timeout=3)
        assert (outcome, status) == ("soft_error", 200)
    finally:
        srv.shutdown()
        srv.server_close()


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content,
                                                      policy=policy.default))
        return "250 OK"


def test_watch_sends_one_outage_and_one_recovery_mail(tmp_path):
    """Rounds 1–4 fail (503, each confirmed by a retry), 5–7 open: one outage mail after round 3, one
    recovery mail after round 5, nothing else — however long the outage lasts."""
    s = Site("临川市丁局网站", fail_first=8)
    box = Mailbox()
    ctl = Controller(box, hostname="127.0.0.1", port=free_port())
    ctl.start()
    try:
        cfg = write_sites(tmp_path / "s.yaml", [{"name": s.name, "url": s.url, "unit": "丁局",
                                                 "contacts": ["dj@example.gov.cn"]}],
                          tmp_path / "db.sqlite", smtp_port=ctl.port)
        res = CliRunner().invoke(main, ["probe", "--config", str(cfg), "--watch", "--interval", "0.001", "--rounds", "7"])
        assert res.exit_code == 0, res.output
    finally:
        ctl.stop()
        s.down()
    subjects = [m["Subject"] for m in box.messages]
    assert subjects == ["【无法访问】临川市丁局网站连续3次监测无法打开", "【已恢复】临川市丁局网站已恢复访问"]
    assert "dj@example.gov.cn" in box.messages[0]["To"]
    assert "单项否决" in box.messages[0].get_content()
    alerts = sqlite3.connect(tmp_path / "db.sqlite").execute("SELECT status, started_at, recovered_at FROM probe_alerts").fetchall()
    assert len(alerts) == 1 and alerts[0][0] == "closed" and alerts[0][2]


def test_jitter_is_added_to_the_interval():
    import random

    rng = random.Random(1)
    delays = [pr.next_delay(1800, 300, rng) for _ in range(50)]
    assert all(1800 <= d <= 2100 for d in delays) and len(set(delays)) == 50


def test_inspect_counts_the_week_in_the_notice(week):
    """The monthly inspection reads the stored week: A is 单项否决 (5.95 %), B is warned (3.57 %), not vetoed."""
    import subprocess
    import sys

    from portal import ROOT, TEST_CRAWL

    cfg = yaml.safe_load(week["cfg"].read_text(encoding="utf-8"))
    cfg["crawl"] = TEST_CRAWL
    path = week["tmp"] / "inspect.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    out = week["tmp"] / "out"
    proc = subprocess.run([sys.executable, "-m", "govaudit", "inspect", "--config", str(path), "--month", "2026-11",
                           "--as-of", AS_OF.isoformat(), "--out", str(out)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    db = sqlite3.connect(week["store"])
    rows = db.execute("SELECT r.site, f.[check], f.severity, f.detail FROM findings f JOIN runs r ON r.id = f.run_id "
                      "WHERE f.[check] IN ('site_unavailable', 'availability_warning')").fetchall()
    by = {(r[0], r[1]): r for r in rows}
    assert set(by) == {("临川市甲局网站", "site_unavailable"), ("临川市乙局网站", "availability_warning")}
    assert by[("临川市甲局网站", "site_unavailable")][2] == "veto" and "5.95%" in by[("临川市甲局网站", "site_unavailable")][3]
    assert "3.57%" in by[("临川市乙局网站", "availability_warning")][3]
    import re

    from docx import Document

    html = (out / next(p.name for p in out.iterdir() if p.suffix == ".html")).read_text(encoding="utf-8")
    doc = Document(str(out / next(p.name for p in out.iterdir() if p.suffix == ".docx")))
    docx = "\n".join([p.text for p in doc.paragraphs] + [" | ".join(c.text for c in row.cells)
                                                        for t in doc.tables for row in t.rows])
    for text in (re.sub(r"<[^>]+>", "", html), docx):
        # 总体情况: the week's verdicts, in words…
        assert "无法访问次数占比达到5%、构成单项否决的1个：甲局“临川市甲局网站”（5.95%）" in text
        assert "占比达到3%预警线、尚未构成单项否决的1个：乙局“临川市乙局网站”（3.57%）" in text
        # …and as the per-site table (probes, failures, ratio, longest outage, verdict).
    assert re.search(r"<td>临川市甲局网站</td>\s*<td class=\"num\">168</td>\s*<td class=\"num\">10</td>\s*"
                     r"<td class=\"num\">5.95%</td>\s*<td>4次（约240分钟）</td>\s*<td>单项否决</td>", html)
    assert re.search(r"<td>临川市乙局网站</td>\s*<td class=\"num\">168</td>\s*<td class=\"num\">6</td>\s*"
                     r"<td class=\"num\">3.57%</td>\s*<td>2次（约120分钟）</td>\s*<td>预警</td>", html)
    assert "临川市甲局网站 | 168 | 10 | 5.95% | 4次（约240分钟） | 单项否决" in docx
    assert "临川市乙局网站 | 168 | 6 | 3.57% | 2次（约120分钟） | 预警" in docx
    # 存在的问题: A fails on the veto; B is not a veto site.
    first = docx.index("（一）不合格网站")
    problems = docx[first:docx.index("（二）其他问题")]
    assert "临川市甲局网站”：站点无法访问" in problems and "单项否决，不合格" in problems
    assert "临川市乙局网站" not in problems
    assert "预警" in docx and "站点无法访问" not in docx.split("临川市乙局网站 | 168")[1].split("\n")[0]
