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


class Silent:
    """A server that accepts every connection, reads the request and never answers (a hung host)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.3", 0))  # another host than the site's (same name = same site)
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.requests: list[bytes] = []
        self.held: list[socket.socket] = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
                self.held.append(conn)
                conn.settimeout(5)
                self.requests.append(conn.recv(65536).split(b"\r\n", 1)[0])
            except OSError:
                return

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


def test_a_hung_host_costs_one_round_of_timeouts_and_every_link_is_reported(tmp_path):
    """40 links to a host that never answers: its robots.txt and one slot-full of links wait a
    timeout; the rest are reported from the host's state, none is sent after the host is proven down."""
    silent = Silent()
    root = tmp_path / "site"
    root.mkdir()
    links = "".join(f"<a href='http://127.0.0.3:{silent.port}/p{i}.html'>外站{i}</a>" for i in range(40))
    (root / "index.html").write_text(f"<html><head><title>门户</title></head><body>{links}</body></html>", encoding="utf-8")
    server = PortalServer(root).start()
    concurrency = 8
    proc = run_cli("audit", server.base_url + "/", "--out", str(tmp_path / "out"), "--as-of", "2026-11-21",
                   "--config", str(write_config(tmp_path / "c.yaml", {"concurrency": concurrency, "timeout": 2})), timeout=120)
    server.shutdown()
    silent.close()
    assert proc.returncode == 0, proc.stderr
    sent = [r for r in silent.requests if not r.startswith(b"GET /robots.txt")]
    assert len(sent) <= concurrency, sent  # one round, never a second slot-full
    db = sqlite3.connect(tmp_path / "out" / "govaudit.sqlite")
    rows = db.execute("SELECT error_class, error FROM fetches WHERE url LIKE ?", [f"%:{silent.port}/p%"]).fetchall()
    assert len(rows) == 40 and {r[0] for r in rows} == {"timeout"}
    refused = [r[1] for r in rows if "次访问均失败" in r[1]]
    assert len(refused) >= 40 - concurrency and all(e.count("次访问均失败") == 1 for e in refused)


def test_a_host_never_gets_more_connections_than_its_concurrency(tmp_path):
    """Politeness: a government server asked for 4 at a time gets at most 4, also in bursts."""
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    state = {"now": 0, "max": 0}
    lock = threading.Lock()
    links = "".join(f"<a href='/p{i}.html'>信息{i}</a>" for i in range(30))

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self):
            with lock:
                state["now"] += 1
                state["max"] = max(state["max"], state["now"])
            try:
                time.sleep(0.2)
                body = (f"<html><head><title>门户</title></head><body>{links}</body></html>" if self.path == "/"
                        else "<html><body>正文</body></html>").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            finally:
                with lock:
                    state["now"] -= 1

        def log_message(self, *a):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    proc = run_cli("audit", f"http://127.0.0.1:{httpd.server_address[1]}/", "--out", str(tmp_path / "out"),
                   "--as-of", "2026-11-21", "--config", str(write_config(tmp_path / "c.yaml", {"concurrency": 4})), timeout=120)
    httpd.shutdown()
    assert proc.returncode == 0, proc.stderr
    assert 2 <= state["max"] <= 4, state
