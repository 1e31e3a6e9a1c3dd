"""Bounded work (issue 9 items 10 and 12): one page or one server must not take the crawl down."""
from __future__ import annotations

import socket
import sqlite3
import threading

from demo.server import PortalServer
from portal import run_cli, write_config


class EndlessHeaders:
    """A server whose header section never ends (new header lines, forever)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.sent = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.drip, args=(conn,), daemon=True).start()

    def drip(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
            line = b"X-Filler: " + b"a" * 1000 + b"\r\n"
            for _ in range(2_000_000):  # 2 GB of headers if nobody stops reading
                conn.sendall(line)
                self.sent += len(line)
        except OSError:
            pass
        finally:
            conn.close()


def test_a_never_ending_header_is_cut_off_and_reported(tmp_path):
    endless = EndlessHeaders()
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(
        f"<html><head><title>门户</title></head><body><a href='http://127.0.0.1:{endless.port}/x.html'>无尽</a>"
        "<a href='/ok.html'>正常</a></body></html>", encoding="utf-8")
    (root / "ok.html").write_text("<html><body>正常</body></html>", encoding="utf-8")
    server = PortalServer(root).start()
    proc = run_cli("audit", server.base_url + "/", "--out", str(tmp_path / "out"), "--as-of", "2026-11-21",
                   "--config", str(write_config(tmp_path / "c.yaml", {"obey_robots": False, "retry_backoff": 0})), timeout=120)
    server.shutdown()
    endless.sock.close()
    assert proc.returncode == 0, proc.stderr
    db = sqlite3.connect(tmp_path / "out" / "govaudit.sqlite")
    row = db.execute("SELECT error_class, error FROM fetches WHERE url LIKE ?", [f"%:{endless.port}/x.html"]).fetchone()
    assert row[0] == "too_large", row
    assert "响应头" in row[1]
    assert endless.sent < 50 * 1024 * 1024  # stopped reading long before the 2 GB
