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
