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


def _list_page(n_pages: int) -> str:
    rows = "".join(f"<li><a href='./202512/t202512{i:02d}_{i}.html'>关于第{i}项重点工作的进展情况通报</a>"
                   f"<span>2025-12-{i:02d}</span></li>" for i in range(1, 6))
    return ("<html><head><meta charset='utf-8'><title>通知公告_某某县人民政府</title></head><body>"
            f"<div class='main'><ul class='list'>{rows}</ul><div class='page'><script>"
            f"createPageHTML({n_pages}, 0, \"index\", \"html\");</script></div></div></body></html>")


def test_fan_out_budgets_are_kept_and_reported(tmp_path):
    import json

    root = tmp_path / "site"
    (root / "col").mkdir(parents=True)
    links = "".join(f"<a href='/p/{i}.html'>第{i}条</a>" for i in range(400))
    imgs = "".join(f"<img src='/a.png?v={i}'>" for i in range(200))
    dead = "".join(f"<a href='http://dead.budget.test/x{i}.html'>外{i}</a>" for i in range(40))
    (root / "index.html").write_text(
        "<html><head><meta charset='utf-8'><title>门户首页</title></head><body>"
        f"<a href='/col/index.html'>通知公告</a>{dead}{imgs}{links}</body></html>", encoding="utf-8")
    (root / "a.png").write_bytes(b"\x89PNG\r\n")
    (root / "col" / "index.html").write_text(_list_page(10000), encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\n" + "Disallow: /private/\n" * 40000, encoding="utf-8")
    server = PortalServer(root).start()
    cfg = write_config(tmp_path / "c.yaml", {
        "max_query_variants": 10, "offline_dns": True, "retry_backoff": 0,
        "hosts": {"www.budget.test": "127.0.0.1"},
        "scrapy": {"GOVAUDIT_MAX_LINKS_PER_PAGE": 300, "GOVAUDIT_MAX_LIST_PAGES": 20,
                   "GOVAUDIT_MAX_HOST_FAILURES": 2, "GOVAUDIT_MAX_ROBOTS_BYTES": 100 * 1024}})
    port = server.server_address[1]
    proc = run_cli("audit", f"http://www.budget.test:{port}/", "--out", str(tmp_path / "out"),
                   "--as-of", "2026-11-21", "--config", str(cfg), timeout=240)
    server.shutdown()
    assert proc.returncode == 0, proc.stderr
    paths = [p for _, p in server.log]
    assert sum(p.startswith("/a.png") for p in paths) <= 10 * 2  # query variants: resources too
    assert sum(p.startswith("/col/index_") for p in paths) <= 20  # pagination pages per column
    assert len(paths) < 300 + 40  # links per page (300 of 640) + the list's pages
    db = sqlite3.connect(tmp_path / "out" / "govaudit.sqlite")
    dead_rows = db.execute("SELECT error_class FROM fetches WHERE url LIKE 'http://dead.budget.test/%'").fetchall()
    assert dead_rows and {c for (c,) in dead_rows} == {"dns"}  # reported from the host's state
    stats = json.loads(db.execute("SELECT stats FROM runs").fetchone()[0])
    assert {"links_per_page", "list_pages", "host_failures", "robots_size", "query_variants"} <= set(stats["budgets"])
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "工作量上限" in report and "栏目分页数超过上限" in report
