"""Which hosts are the site: www and bare domain are one site; other hosts are only checked."""
from __future__ import annotations

import sqlite3

from demo.server import PortalServer
from portal import run_cli, write_config


def test_www_and_bare_domain_are_one_site(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    server = PortalServer(root).start()
    port = server.server_address[1]
    (root / "index.html").write_text(
        f"<html><head><meta charset='utf-8'><title>首页</title></head><body>"
        f"<a href='http://www.example.gov.test:{port}/a.html'>甲</a><a href='http://other.gov.test:{port}/b.html'>乙</a></body></html>",
        encoding="utf-8")
    (root / "a.html").write_text("<html><body><a href='/c.html'>丙</a></body></html>", encoding="utf-8")
    (root / "b.html").write_text("<html><body><a href='/d.html'>丁</a></body></html>", encoding="utf-8")
    (root / "c.html").write_text("<html><body>丙</body></html>", encoding="utf-8")
    hosts = {"example.gov.test": "127.0.0.1", "www.example.gov.test": "127.0.0.1", "other.gov.test": "127.0.0.1"}
    cfg = write_config(tmp_path / "c.yaml", {"hosts": hosts})
    proc = run_cli("audit", f"http://example.gov.test:{port}/", "--out", str(tmp_path / "out"), "--config", str(cfg))
    server.shutdown()
    assert proc.returncode == 0, proc.stderr
    db = sqlite3.connect(tmp_path / "out" / "govaudit.sqlite")
    pages = {u for (u,) in db.execute("SELECT url FROM pages")}
    assert f"http://www.example.gov.test:{port}/a.html" in pages  # crawled: same site
    assert f"http://www.example.gov.test:{port}/c.html" in pages
    fetched = {u for (u,) in db.execute("SELECT url FROM fetches")}
    assert f"http://other.gov.test:{port}/b.html" in fetched  # checked ...
    assert f"http://other.gov.test:{port}/b.html" not in pages  # ... but not crawled
    assert not any(u.endswith("/d.html") for u in fetched)


def test_one_page_under_two_urls_is_read_once(tmp_path):
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    home = ("<html><head><meta charset='utf-8'><title>首页</title></head><body><a href='/index.html'>首页</a>"
            "<a href='/news/'>新闻</a><a href='/news/index.html'>新闻中心</a><a href='/gone.html'>失效</a></body></html>")
    (root / "index.html").write_text(home, encoding="utf-8")
    (root / "news" / "index.html").write_text("<html><body><a href='/gone.html'>失效</a></body></html>", encoding="utf-8")
    server = PortalServer(root).start()
    proc = run_cli("audit", server.base_url + "/", "--out", str(tmp_path / "out"), "--config", str(write_config(tmp_path / "c.yaml")))
    server.shutdown()
    assert proc.returncode == 0, proc.stderr
    db = sqlite3.connect(tmp_path / "out" / "govaudit.sqlite")
    sources = {s for (s,) in db.execute("SELECT DISTINCT source FROM links WHERE target LIKE '%/gone.html'")}
    base = server.base_url
    assert len(sources) == 2 and base + "/" in sources  # not also /index.html
    assert sources - {base + "/"} <= {base + "/news/", base + "/news/index.html"}  # whichever came first
