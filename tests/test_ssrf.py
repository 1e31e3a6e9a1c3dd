"""SSRF (issue 9 item 8): every connection is judged as it will be made, per site.

Real loopback servers: the audited site is www.ssrf.test (hosts table → 127.0.0.1, named by the
operator, so allowed); 127.0.0.1 spelled any other way is "someone else's private address"."""
from __future__ import annotations

import asyncio
import json
import os
import sqlite3

import pytest
from scrapy import Request
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from demo.server import PortalServer
from govaudit.crawler.errors import PolicyRefused
from govaudit.crawler.guard import AddressGuardMiddleware
from portal import run_cli, write_config


def _site(tmp_path, pages: dict[str, str], routes: dict[str, dict]) -> PortalServer:
    root = tmp_path / "site"
    root.mkdir()
    for name, body in pages.items():
        (root / name).write_text(body, encoding="utf-8")
    (root / "_routes.yaml").write_text(json.dumps(routes), encoding="utf-8")
    return PortalServer(root).start()


def _audit(tmp_path, url: str, env: dict | None = None):
    cfg = write_config(tmp_path / "c.yaml", {"allow_private": False, "obey_robots": False,
                                              "hosts": {"www.ssrf.test": "127.0.0.1", "intranet.ssrf.test": "10.0.0.5"}})
    return run_cli("audit", url, "--out", str(tmp_path / "out"), "--config", str(cfg), "--as-of", "2026-11-21", env=env)


def test_unicode_spellings_and_redirects_into_private_addresses_are_never_requested(tmp_path):
    page = ("<html><head><meta charset='utf-8'><title>门户首页</title></head><body>"
            "<a href='http://１２７．０．０．１:{port}/fullwidth.html'>全角</a>"
            "<a href='http://127。0。0。1:{port}/ideographic.html'>句号</a>"
            "<a href='http://①②⑦.0.0.1:{port}/circled.html'>圈码</a>"
            "<a href='http://2130706433:{port}/decimal.html'>十进制</a>"
            "<a href='/go.html'>跳转</a><a href='/ok.html'>正常</a></body></html>")
    server = _site(tmp_path, {"index.html": "x", "ok.html": "<html><body>正常</body></html>"},
                   {"/go.html": {"redirect": "{{SELF}}/secret.html"}})
    port = server.server_address[1]
    (server.root / "index.html").write_text(page.replace("{port}", str(port)), encoding="utf-8")
    proc = _audit(tmp_path, f"http://www.ssrf.test:{port}/")
    server.shutdown()
    assert proc.returncode == 0, proc.stderr
    paths = {p for _, p in server.log}
    assert "/ok.html" in paths and "/go.html" in paths
    assert not paths & {"/fullwidth.html", "/ideographic.html", "/circled.html", "/decimal.html", "/secret.html"}
    db = sqlite3.connect(tmp_path / "out" / "govaudit.sqlite")
    classes = dict(db.execute("SELECT url, error_class FROM fetches"))
    assert classes[f"http://www.ssrf.test:{port}/go.html"] == "blocked_private"
    assert "secret" not in json.dumps([r for r in db.execute("SELECT title FROM pages")])


def test_a_start_page_redirecting_into_a_private_host_is_not_crawled(tmp_path):
    server = _site(tmp_path, {"admin.html": "<html><body><a href='/admin/delete.html'>删除全部</a></body></html>"},
                   {"/": {"redirect": "{{SELF}}/admin.html"}})
    port = server.server_address[1]
    proc = _audit(tmp_path, f"http://www.ssrf.test:{port}/")
    server.shutdown()
    paths = {p for _, p in server.log}
    assert "/admin.html" not in paths and "/admin/delete.html" not in paths, proc.stderr


def test_a_proxy_never_carries_a_refused_target(tmp_path):
    (tmp_path / "p").mkdir()
    proxy = _site(tmp_path / "p", {"index.html": "<html><body>proxy</body></html>"}, {})
    server = _site(tmp_path, {"index.html": "<html><head><title>门户</title></head><body>"
                              "<a href='http://intranet.ssrf.test/admin'>内网</a><a href='/ok.html'>正常</a></body></html>",
                              "ok.html": "<html><body>正常</body></html>"}, {})
    port = server.server_address[1]
    env = {"http_proxy": proxy.base_url, "HTTP_PROXY": proxy.base_url, "no_proxy": "www.ssrf.test", "NO_PROXY": "www.ssrf.test"}
    proc = _audit(tmp_path, f"http://www.ssrf.test:{port}/", env=env)
    server.shutdown()
    proxy.shutdown()
    assert proc.returncode == 0, proc.stderr
    assert ("GET", "/ok.html") in server.log
    assert proxy.log == [], proxy.log
    db = sqlite3.connect(tmp_path / "out" / "govaudit.sqlite")
    assert dict(db.execute("SELECT url, error_class FROM fetches"))["http://intranet.ssrf.test/admin"] == "blocked_private"


class _Spider:
    def __init__(self, start_url: str) -> None:
        self.start_url = start_url


def _guard(start_url: str, allow="auto") -> AddressGuardMiddleware:
    crawler = get_crawler(settings_dict={"GOVAUDIT_ALLOW_PRIVATE": allow})
    crawler.spider = _Spider(start_url)
    return build_from_crawler(AddressGuardMiddleware, crawler)


def _refused(mw: AddressGuardMiddleware, url: str) -> bool:
    try:
        asyncio.run(mw.process_request(Request(url)))
    except PolicyRefused:
        return True
    return False


def test_the_private_policy_is_per_site_not_per_process():
    intranet = _guard("http://10.0.0.5/")       # an intranet audit: its links may be private
    public = _guard("http://8.8.8.8/")          # built in the same process, after it
    assert not _refused(intranet, "http://10.0.0.9/oa")
    assert _refused(public, "http://10.0.0.9/oa")
    assert _refused(public, "http://１０．０．０．９/oa")
    assert _refused(public, "http://[::ffff:10.0.0.9]/oa")
    assert not _refused(public, "http://8.8.8.8/own")
    assert _refused(_guard("http://10.0.0.5/", allow=False), "http://10.0.0.9/oa")
    assert not _refused(_guard("http://10.0.0.5/", allow=False), "http://10.0.0.5/own")
