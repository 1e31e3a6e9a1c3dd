"""`--resume` continues only the run it was started as (issue 9 item 15)."""
from __future__ import annotations

import sqlite3

from demo.server import PortalServer
from portal import run_cli, write_config


def _site(tmp_path, name: str) -> PortalServer:
    root = tmp_path / name
    root.mkdir()
    (root / "index.html").write_text(f"<html><head><title>{name}</title></head><body><a href='/a.html'>甲</a></body></html>",
                                     encoding="utf-8")
    return PortalServer(root).start()


def test_resume_with_another_url_or_as_of_is_refused(tmp_path):
    a, b = _site(tmp_path, "a"), _site(tmp_path, "b")
    out, cfg = tmp_path / "out", write_config(tmp_path / "c.yaml")
    first = run_cli("audit", a.base_url + "/", "--out", str(out), "--config", str(cfg), "--as-of", "2026-11-21")
    assert first.returncode == 0, first.stderr
    other_url = run_cli("audit", b.base_url + "/", "--out", str(out), "--config", str(cfg), "--as-of", "2026-11-21", "--resume")
    other_day = run_cli("audit", a.base_url + "/", "--out", str(out), "--config", str(cfg), "--as-of", "2026-11-22", "--resume")
    same = run_cli("audit", a.base_url + "/", "--out", str(out), "--config", str(cfg), "--as-of", "2026-11-21", "--resume")
    a.shutdown()
    b.shutdown()
    assert other_url.returncode != 0 and "起始网址" in other_url.stderr and b.base_url in other_url.stderr
    assert other_day.returncode != 0 and "基准日" in other_day.stderr and "2026-11-22" in other_day.stderr
    assert same.returncode == 0, same.stderr
    db = sqlite3.connect(out / "govaudit.sqlite")
    assert not any(u.startswith(b.base_url) for (u,) in db.execute("SELECT url FROM fetches"))
    assert b.log == []
