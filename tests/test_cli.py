"""The command line: clear messages and exit codes for bad input."""
from __future__ import annotations

import socket

from portal import run_cli, write_config


def test_bad_url_is_refused():
    proc = run_cli("audit", "ftp://example/", "--out", "/tmp/never")
    assert proc.returncode == 2
    assert "起始网址无效" in proc.stderr


def test_bad_date_is_refused():
    proc = run_cli("audit", "http://127.0.0.1:9/", "--as-of", "2026-13-01", "--out", "/tmp/never")
    assert proc.returncode == 2
    assert "YYYY-MM-DD" in proc.stderr


def test_unreachable_start_url_exits_nonzero_with_message(tmp_path):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    cfg = write_config(tmp_path / "c.yaml", {"retry_backoff": 0})
    proc = run_cli("audit", f"http://127.0.0.1:{port}/", "--out", str(tmp_path / "out"), "--config", str(cfg))
    assert proc.returncode == 2
    assert "无法访问" in proc.stderr
    assert (tmp_path / "out" / "report.html").exists()


def test_bad_config_names_the_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("crawl:\n  delay: 0\n   concurrency: [\n", encoding="utf-8")
    proc = run_cli("audit", "http://127.0.0.1:9/", "--out", str(tmp_path / "o"), "--config", str(bad))
    assert proc.returncode == 2
    assert "第" in proc.stderr and "行" in proc.stderr


def test_checks_are_listed_by_id():
    proc = run_cli("checks")
    assert proc.returncode == 0
    assert "dead_link" in proc.stdout
