"""A synthetic N-page portal served from memory: pages, images, attachments, a few dead links.

    python benchmarks/synth_site.py --pages 20000 --port 8765
"""
from __future__ import annotations

import argparse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TEMPLATE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>第{i}号信息_合成门户</title>
<meta name="ColumnName" content="工作动态"><link rel="stylesheet" href="/css/site.css"></head><body>
<div class="nav"><a href="/">首页</a> <a href="/p/1.html">工作动态</a> <a href="/p/2.html">通知公告</a></div>
<div class="position">您的位置：<a href="/">首页</a> &gt; <a href="/p/1.html">工作动态</a></div>
<h1>关于第{i}号事项的通知</h1><div class="TRS_Editor"><p>{body}</p></div>
<ul class="list">{items}</ul>
<img src="/img/{img}.png" alt="图片"><a href="/f/{att}.pdf">附件下载</a>{dead}
<div class="footer">主办：合成市人民政府办公室 <a href="/wzdt.html">网站地图</a></div></body></html>"""


class Handler(BaseHTTPRequestHandler):
    pages = 1000
    delay = 0.0  # seconds per answer, to make a crawl last long enough to interrupt
    log: list[tuple[str, str]] | None = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_HEAD(self):
        self.answer(head=True)

    def do_GET(self):
        self.answer(head=False)

    def answer(self, head: bool) -> None:
        path = self.path.split("?")[0]
        if self.log is not None:
            self.log.append((self.command, path))
        if self.delay:
            import time

            time.sleep(self.delay)
        n = self.pages
        status, ctype, body = 200, "text/html; charset=utf-8", b""
        if path in ("/", "/index.html"):
            i = 0
        elif path.startswith("/p/") and path.endswith(".html"):
            try:
                i = int(path[3:-5])
            except ValueError:
                i = -1
            if not 0 <= i < n:
                status = 404
        elif path.startswith(("/img/", "/f/", "/css/")):
            ctype = "image/png" if path.startswith("/img/") else ("application/pdf" if path.startswith("/f/") else "text/css")
            body = b"x" * 2048
            i = None
        elif path == "/robots.txt":
            ctype, body, i = "text/plain", b"User-agent: *\nAllow: /\n", None
        elif path == "/wzdt.html":
            i = 1
        else:
            status, i = 404, None
        if status == 404:
            body = "<html><head><title>404 页面不存在</title></head><body>页面不存在</body></html>".encode()
        elif i is not None:
            items = "".join(
                f'<li><a href="/p/{(i * 7 + k * 13 + 1) % n}.html">第{(i * 7 + k * 13 + 1) % n}号信息标题</a><span>2026-11-{1 + k:02d}</span></li>'
                for k in range(10)
            )
            dead = f'<a href="/dead/{i}.html">失效链接</a>' if i % 100 == 5 else ""
            body = TEMPLATE.format(i=i, body="正文内容。" * 60, items=items, img=i % 50, att=i % 200, dead=dead).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


def make_server(pages: int, port: int = 0, delay: float = 0.0, log: list | None = None) -> ThreadingHTTPServer:
    handler = type("SynthHandler", (Handler,), {"pages": pages, "delay": delay, "log": log})
    srv = ThreadingHTTPServer(("127.0.0.1", port), handler)
    srv.daemon_threads = True
    return srv


def serve(pages: int, port: int) -> None:
    Handler.pages = pages
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 256
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"http://127.0.0.1:{srv.server_address[1]}/", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--port", type=int, default=0)
    a = ap.parse_args()
    serve(a.pages, a.port)
