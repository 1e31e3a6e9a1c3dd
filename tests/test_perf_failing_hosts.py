"""A host that never answers must not stall the healthy crawl (issue 16).

Links to a blackhole (a socket that is listened on and never read) wait for that host's
robots.txt, which takes the full download timeout. Those waiting requests are parked
(crawler/parking.py) instead of holding the crawl's places, another site's robots.txt is not
retried, and links already queued in the dead host's slot are refused from the host's state
when their turn comes (handlers.py → hostbudget.py). Every link still gets its result.
"""
from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from portal import run_cli, write_config

N_PAGES, N_DEAD = 30, 60
TIMEOUT = 3


def _serve(hole: str):
    served: dict[str, float] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            path = self.path
            served[path] = time.monotonic()
            if path == "/":
                links = "".join(f'<a href="{hole}/x{k}.html">外链{k}</a>' for k in range(N_DEAD))
                body = f'<html><head><title>首页</title></head><body><a href="/list.html">列表</a>{links}</body></html>'
            elif path == "/list.html":
                links = "".join(f'<a href="/p/{i}.html">信息{i}</a>' for i in range(N_PAGES))
                body = f"<html><head><title>列表</title></head><body>{links}</body></html>"
            elif path.startswith("/p/"):
                body = f"<html><head><title>信息{path}</title></head><body><p>{'正文。' * 50}</p></body></html>"
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, served


def test_a_host_that_never_answers_costs_one_round_of_timeouts(tmp_path):
    hole = socket.socket()
    hole.bind(("127.0.0.3", 0))
    hole.listen(1024)  # handshakes complete; nobody ever reads
    hole_url = f"http://127.0.0.3:{hole.getsockname()[1]}"
    srv, served = _serve(hole_url)
    try:
        cfg = write_config(tmp_path / "c.yaml", {"timeout": TIMEOUT, "retry_backoff": 1.0, "concurrency": 4})
        proc = run_cli("audit", f"http://127.0.0.1:{srv.server_address[1]}/", "--out", str(tmp_path / "out"),
                       "--config", str(cfg), "--as-of", "2026-11-21", "-q")
    finally:
        srv.shutdown()
        hole.close()
    assert proc.returncode == 0, proc.stderr
    db = sqlite3.connect(tmp_path / "out" / "govaudit.sqlite")
    # Every link has its result: the dead host's links are timeouts (reported dead).
    rows = db.execute("SELECT url, error_class FROM fetches WHERE url LIKE ?", [hole_url + "%"]).fetchall()
    assert len(rows) == N_DEAD and {e for _, e in rows} == {"timeout"}
    dead = {json.loads(line)["url"] for line in (tmp_path / "out" / "findings.jsonl").read_text().splitlines()
            if json.loads(line)["check"] == "dead_link"}
    assert {u for u, _ in rows} <= dead
    # The healthy pages did not wait for the dead host's robots.txt (one TIMEOUT).
    pages = [t for p, t in served.items() if p.startswith("/p/")]
    assert len(pages) == N_PAGES
    assert max(pages) - served["/"] < TIMEOUT * 0.8
    # robots.txt once (not retried) + one slot-full of links: about two timeouts, not four or more.
    stats = json.loads(db.execute("SELECT stats FROM runs").fetchone()[0])
    assert stats["elapsed_s"] < 3.3 * TIMEOUT, stats
