"""A small real HTTP server for the demo portal and the tests.

It serves a folder of pages and, from the folder's ``_routes.yaml``, the misbehaviours that
real government servers show: redirects and redirect loops, 404/410/5xx, a 503 that recovers,
HEAD refused or reset, anti-bot challenges, 429, slow or dripping answers, wrong charsets.
``{{SELF}}`` and ``{{EXT}}`` in served files become this server's and the partner server's
base URLs, so pages can link across hosts whatever ports the OS hands out.

    python -m demo.server demo/portal --port 8088
"""
from __future__ import annotations

import argparse
import gzip
import mimetypes
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

mimetypes.add_type("application/ofd", ".ofd")
mimetypes.add_type("application/vnd.ms-works", ".wps")


class PortalServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0, partner: str = "") -> None:
        self.root = Path(root).resolve()
        routes_file = self.root / "_routes.yaml"
        self.routes: dict[str, dict] = yaml.safe_load(routes_file.read_text(encoding="utf-8")) if routes_file.exists() else {}
        self.routes = self.routes or {}
        self.hits: dict[str, int] = {}
        self.log: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.partner = partner
        super().__init__((host, port), Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        scheme = "https" if hasattr(self.socket, "context") else "http"
        return f"{scheme}://{host}:{port}"

    def handle_error(self, request, client_address) -> None:
        pass  # clients hanging up mid-answer is part of the show

    def start(self) -> "PortalServer":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def count(self, method: str, path: str) -> int:
        with self.lock:
            self.log.append((method, path))
            key = f"{method} {path}"
            self.hits[key] = self.hits.get(key, 0) + 1
            return self.hits[key]


class Handler(BaseHTTPRequestHandler):
    server: PortalServer
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def do_HEAD(self):
        self.respond(head=True)

    def do_GET(self):
        self.respond(head=False)

    def respond(self, head: bool) -> None:
        raw_path = urlsplit(self.path).path
        path = unquote(raw_path)
        n = self.server.count(self.command, path)
        rule = self.server.routes.get(path) or self.server.routes.get(raw_path) or {}
        if rule.get("delay"):
            time.sleep(float(rule["delay"]))
        if head and rule.get("head_reset"):
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if head and rule.get("head_status"):
            return self.send_plain(int(rule["head_status"]), b"", head=True)
        if rule.get("reset"):
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if rule.get("fail_times") and n <= int(rule["fail_times"]):
            return self.send_plain(int(rule.get("fail_status", 503)), "服务繁忙".encode(), head)
        if rule.get("redirect"):
            target = self.expand(rule["redirect"].encode()).decode()
            self.send_response(int(rule.get("code", 302)))
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if rule.get("trap"):
            return self.trap(rule["trap"], head)
        if rule.get("stream_bytes"):
            return self.stream(int(rule["stream_bytes"]), bool(rule.get("no_length")))
        if rule.get("drip"):
            return self.drip(int(rule["drip"]))
        status = int(rule.get("status", 200))
        file_path = rule.get("body") or path
        body, ctype = self.load(file_path)
        if body is None and "status" in rule:
            body, ctype = f"<html><body>HTTP {status}</body></html>".encode(), "text/html; charset=utf-8"
        if body is None:
            body, ctype = self.load("/_404.html")
            status = 404
            if body is None:
                body, ctype = "<h1>404 Not Found</h1>".encode(), "text/html; charset=utf-8"
        if rule.get("content_type"):
            ctype = rule["content_type"]
        if rule.get("gzip_bomb"):
            body = _bomb(int(rule["gzip_bomb"]))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return
        self.send_plain(status, body, head, ctype)

    def expand(self, data: bytes) -> bytes:
        if b"{{" not in data:
            return data
        return data.replace(b"{{SELF}}", self.server.base_url.encode()).replace(
            b"{{EXT}}", (self.server.partner or self.server.base_url).encode()
        )

    def load(self, path: str) -> tuple[bytes | None, str]:
        rel = path.lstrip("/")
        target = (self.server.root / rel).resolve()
        if not str(target).startswith(str(self.server.root)):
            return None, ""
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or target.name.startswith("_routes"):
            return None, ""
        data = self.expand(target.read_bytes())
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype == "text/html":
            charset = "gbk" if ".gbk." in target.name else "utf-8"
            ctype = f"text/html; charset={charset}" if ".nocharset." not in target.name else "text/html"
        return data, ctype

    def send_plain(self, status: int, body: bytes, head: bool, ctype: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def trap(self, kind: str, head: bool) -> None:
        """Pages that make new URLs forever: a calendar, or session ids in every link."""
        import random
        from urllib.parse import parse_qs

        path = urlsplit(self.path).path
        if kind == "calendar":
            n = int((parse_qs(urlsplit(self.path).query).get("d") or ["0"])[0])
            links = f'<a href="{path}?d={n - 1}">上一天</a> <a href="{path}?d={n + 1}">下一天</a>'
        else:
            sid = random.getrandbits(64)
            links = f'<a href="{path};jsessionid={sid:x}">刷新</a> <a href="{path}?PHPSESSID={sid:x}">再次刷新</a>'
        body = f"<html><head><title>日历</title></head><body>{links}</body></html>".encode()
        self.send_plain(200, body, head)

    def stream(self, size: int, no_length: bool) -> None:
        """A huge page, sent in chunks so the server never holds it in memory."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if no_length:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"<p>" + b"x" * 65530 + b"</p>"
        sent = 0
        try:
            while sent < size:
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass

    def drip(self, seconds: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(seconds + 10))
        self.end_headers()
        try:
            for _ in range(seconds):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(1)
        except OSError:
            pass


_BOMBS: dict[int, bytes] = {}


def _bomb(size: int) -> bytes:
    if size not in _BOMBS:
        _BOMBS[size] = gzip.compress(b"\0" * size, compresslevel=9)
    return _BOMBS[size]


def https_server(root: Path, cert_file: Path, key_file: Path, host: str = "127.0.0.1") -> PortalServer:
    """The same server behind TLS with the given (test) certificate."""
    import ssl

    srv = PortalServer(root, host=host, port=0)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_file, key_file)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    return srv


def serve_pair(root: Path, ext_root: Path | None = None, host: str = "127.0.0.1", port: int = 0,
               ext_host: str = "127.0.0.2") -> tuple[PortalServer, PortalServer | None]:
    """The portal and, when given, an 'external' site on another loopback address."""
    ext = None
    if ext_root is not None:
        ext = PortalServer(ext_root, host=ext_host, port=0).start()
    main = PortalServer(root, host=host, port=port, partner=ext.base_url if ext else "").start()
    if ext is not None:
        ext.partner = main.base_url
    return main, ext


def main() -> None:
    ap = argparse.ArgumentParser(description="Serve the demo portal on loopback")
    ap.add_argument("root", type=Path)
    ap.add_argument("--ext", type=Path, help="folder of the external partner site")
    ap.add_argument("--port", type=int, default=8088)
    args = ap.parse_args()
    main_srv, ext = serve_pair(args.root, args.ext, port=args.port)
    print(main_srv.base_url + "/", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        os._exit(0)


if __name__ == "__main__":
    main()
