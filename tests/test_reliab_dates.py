"""Future-dated items are no update and are reported (issue 9, item 7): a real audit of a real
HTTP server on loopback whose lists carry 2027 dates and a list all dated the visit day."""
from __future__ import annotations

import json
import threading

import pytest

from portal import run_cli, write_config
from test_reliab_foreign import Site, article, listing, page

AS_OF = "2026-11-21"


@pytest.fixture
def site():
    news = ["2026-10-01", "2026-09-20", "2027-02-01"]  # stale, with one item "from the future"
    home = ["2027-01-05", "2027-01-06", "2027-01-07"]  # only future dates on the home page
    notices = [AS_OF] * 6  # every item dated the visit day
    srv = Site("127.0.0.1", {
        "/": (200, page("测试市人民政府", listing("/sy/", home) + '<a href="/xwdt/">工作动态</a>')),
        "/xwdt/": (200, page("工作动态_测试市", listing("/xwdt/", news) + '<a href="/tzgg/">通知公告</a>', "工作动态")),
        "/tzgg/": (200, page("通知公告_测试市", listing("/tzgg/", notices), "通知公告")),
        **{f"/sy/{i}.html": (200, page(f"首页信息{i}", article(f"首页信息{i}", d))) for i, d in enumerate(home)},
        **{f"/xwdt/{i}.html": (200, page(f"动态{i}", article(f"动态{i}", d), "工作动态")) for i, d in enumerate(news)},
        **{f"/tzgg/{i}.html": (200, page(f"公告{i}", article(f"公告{i}", d), "通知公告")) for i, d in enumerate(notices)},
    })
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()


def test_future_dates_do_not_count_and_are_reported(tmp_path, site):
    cfg = write_config(tmp_path / "c.yaml")
    out = tmp_path / "out"
    proc = run_cli("audit", site.base + "/", "--as-of", AS_OF, "--out", str(out), "--config", str(cfg))
    assert proc.returncode == 0, proc.stderr
    findings = [json.loads(l) for l in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    by = lambda check: {f["url"].replace(site.base, ""): f for f in findings if f["check"] == check}  # noqa: E731
    # The 2027 item does not make 工作动态 fresh: its newest real item is 2026-10-01.
    stale = by("stale_column")
    assert "/xwdt/" in stale and stale["/xwdt/"]["data"]["newest_date"] == "2026-10-01"
    # The home page's own items are all in the future: its linked column decides, and it is stale.
    home = by("stale_homepage")
    assert "/" in home and home["/"]["severity"] == "veto"
    assert home["/"]["data"]["newest_date"] == "2026-10-01"
    # Both future-dated lists, and the list all dated the visit day, are put to a person.
    future = by("future_date")
    assert set(future) >= {"/", "/xwdt/", "/tzgg/"}, future.keys()
    for f in future.values():
        assert f["severity"] == "info" and "需人工核实" in f["detail"] and "弄虚作假" in f["detail"]
    assert future["/"]["data"]["reason"] == "future" and future["/xwdt/"]["data"]["count"] == 1
    assert future["/tzgg/"]["data"]["reason"] == "all_visit_day"


def test_tolerance_is_configurable(tmp_path, site):
    cfg = write_config(tmp_path / "c.yaml", extra={"dates": {"future_tolerance_days": 400}})
    out = tmp_path / "out"
    proc = run_cli("audit", site.base + "/", "--as-of", AS_OF, "--out", str(out), "--config", str(cfg))
    assert proc.returncode == 0, proc.stderr
    findings = [json.loads(l) for l in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    assert not [f for f in findings if f["check"] in ("stale_homepage", "future_date") and f["data"].get("reason") != "all_visit_day"]
