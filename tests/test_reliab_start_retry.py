"""A start URL refused on the first try is tried again after a pause (issue 9, item 2): a server
on loopback that comes up a moment after the audit starts is inspected, not vetoed."""
from __future__ import annotations

import socket
import sqlite3
import sys
import threading
import time

from portal import ROOT, run_cli, write_config

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth_site import make_server  # noqa: E402


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_start_url_refused_at_first_is_retried_after_a_pause(tmp_path):
    port = _free_port()
    servers = []

    def start_later() -> None:
        time.sleep(2.0)
        srv = make_server(30, port=port)
        servers.append(srv)
        srv.serve_forever()

    threading.Thread(target=start_later, daemon=True).start()
    cfg = write_config(tmp_path / "c.yaml", {"start_retry_delay": 4})
    proc = run_cli("audit", f"http://127.0.0.1:{port}/", "--out", str(tmp_path / "out"), "--config", str(cfg),
                   "--as-of", "2026-11-21")
    for s in servers:
        s.shutdown()
    assert proc.returncode == 0, proc.stderr
    assert "无法访问" not in proc.stderr
    pages = sqlite3.connect(tmp_path / "out" / "govaudit.sqlite").execute("SELECT count(*) FROM pages").fetchone()[0]
    assert pages > 10


def test_start_url_that_stays_down_is_reported_after_the_pause(tmp_path):
    port = _free_port()
    cfg = write_config(tmp_path / "c.yaml", {"start_retry_delay": 1.5})
    t0 = time.monotonic()
    proc = run_cli("audit", f"http://127.0.0.1:{port}/", "--out", str(tmp_path / "out"), "--config", str(cfg),
                   "--as-of", "2026-11-21")
    assert time.monotonic() - t0 >= 1.5
    assert proc.returncode == 2 and "无法访问" in proc.stderr and "连接被拒绝" in proc.stderr, proc.stderr
