"""首页不更新 on small portals: a forwarding start page, a frozen home, a navigation-only home."""
from __future__ import annotations

import json
from pathlib import Path

from demo.server import PortalServer
from portal import run_cli, write_config

ITEM = '<li><a href="/news/{d}.html">关于{d}工作情况的通报</a><span>{d}</span></li>'
ARTICLE = "<html><head><meta charset='utf-8'><title>文章</title></head><body><h1>文章</h1><p>发布时间：{d}</p><p>{body}</p></body></html>"


def build(root: Path, home: str, dates: list[str]) -> None:
    (root / "news").mkdir(parents=True)
    (root / "index.html").write_text(home, encoding="utf-8")
    for d in dates:
        (root / "news" / f"{d}.html").write_text(ARTICLE.format(d=d, body="正文内容。" * 40), encoding="utf-8")


def audit(tmp: Path, root: Path) -> dict[str, dict]:
    server = PortalServer(root).start()
    proc = run_cli("audit", server.base_url + "/", "--as-of", "2026-11-21", "--out", str(tmp / "out"),
                   "--config", str(write_config(tmp / "c.yaml")))
    server.shutdown()
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(l) for l in (tmp / "out" / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    return {f["check"]: f for f in rows}


def home_page(dates: list[str]) -> str:
    items = "".join(ITEM.format(d=d) for d in dates)
    return f"<html><head><meta charset='utf-8'><title>某县人民政府</title></head><body><div class='news'><ul>{items}</ul></div></body></html>"


def test_forwarding_start_page_is_not_the_home(tmp_path):
    root = tmp_path / "site"
    dates = ["2026-11-18", "2026-11-10", "2026-10-01"]
    build(root, "<html><head><meta http-equiv='refresh' content='0;url=/portal/index.html'></head><body></body></html>", dates)
    (root / "portal").mkdir()
    (root / "portal" / "index.html").write_text(home_page(dates), encoding="utf-8")
    assert "stale_homepage" not in audit(tmp_path, root)


def test_script_forward_too(tmp_path):
    root = tmp_path / "site"
    dates = ["2026-11-19", "2026-11-02"]
    build(root, "<html><head><script>window.location.href='/portal/';</script></head><body></body></html>", dates)
    (root / "portal").mkdir()
    (root / "portal" / "index.html").write_text(home_page(dates), encoding="utf-8")
    assert "stale_homepage" not in audit(tmp_path, root)


def test_frameset_home(tmp_path):
    root = tmp_path / "site"
    dates = ["2026-11-20", "2026-11-01"]
    build(root, "<html><frameset rows='100%'><frame src='/portal/main.html'></frameset></html>", dates)
    (root / "portal").mkdir()
    (root / "portal" / "main.html").write_text(home_page(dates), encoding="utf-8")
    assert "stale_homepage" not in audit(tmp_path, root)


def test_frozen_home_is_a_veto_naming_its_newest_date(tmp_path):
    root = tmp_path / "site"
    build(root, home_page(["2026-10-30", "2026-09-15", "2026-08-01"]), ["2026-10-30", "2026-09-15", "2026-08-01"])
    f = audit(tmp_path, root)["stale_homepage"]
    assert f["severity"] == "veto"
    assert f["data"]["newest_date"] == "2026-10-30"
    assert "22 天未更新" in f["detail"]
