"""IPv6 is measured by the crawl (crawler/ipv6_probe.py), stored in the run's stats and judged by no_ipv6.

What a resolver can establish (no AAAA record) is a finding; an offline lookup, a host mapped by the
hosts table to an IPv4 address, an IPv4 start URL or a machine without an IPv6 route is 未检查 (info)."""
from __future__ import annotations

import json
import socket
import sqlite3

import pytest

from demo.server import PortalServer
from govaudit import store
from govaudit.audit import run_stats
from govaudit.checks import Crawl
from govaudit.checks.no_ipv6 import run as no_ipv6
from govaudit.crawler.ipv6_probe import STATS_KEY, measure, probe_timeout
from portal import run_cli, write_config

HOME = ("<html><head><meta charset='utf-8'><title>测试门户</title></head><body>"
        "<a href='/about.html'>关于本站</a></body></html>")


def _no_aaaa(*args, **kwargs):
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def _stored_run(tmp_path, ipv6: dict) -> Crawl:
    """A run closed the way audit.finish closes it, from Scrapy stats carrying the measurement."""
    db = store.open_db(str(tmp_path / "g.sqlite"))
    run_id = store.create_run(db, site="测试", start_url="http://www.example.gov.cn/", host="www.example.gov.cn",
                              as_of="2026-11-21", month="2026-11")
    store.finish_run(db, run_id, "crawled", run_stats(db, run_id, {"finish_reason": "finished", STATS_KEY: ipv6}))
    return Crawl(db, run_id)


def test_a_real_crawl_stores_ipv6_unchecked_with_offline_hosts(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(HOME, encoding="utf-8")
    (root / "about.html").write_text("<html><body><p>关于本站</p></body></html>", encoding="utf-8")
    server = PortalServer(root).start()
    port = server.server_address[1]
    cfg = write_config(tmp_path / "c.yaml", {"offline_dns": True, "hosts": {"www.ipv6.test": "127.0.0.1"}})
    out = tmp_path / "out"
    proc = run_cli("audit", f"http://www.ipv6.test:{port}/", "--as-of", "2026-11-21", "--out", str(out),
                   "--config", str(cfg), env={"GOVAUDIT_IPV6_TIMEOUT": "2"})
    server.shutdown()
    assert proc.returncode == 0, proc.stderr
    db = sqlite3.connect(out / "govaudit.sqlite")
    stats = json.loads(db.execute("SELECT stats FROM runs").fetchone()[0])
    assert stats["ipv6"]["status"] == "unchecked" and "hosts" in stats["ipv6"]["detail"]
    findings = [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    ipv6 = [f for f in findings if f["check"] == "no_ipv6"]
    assert len(ipv6) == 1
    assert ipv6[0]["severity"] == "info" and "未检查" in ipv6[0]["detail"] and "需人工核实" in ipv6[0]["detail"]
    assert ipv6[0]["url"] == ipv6[0]["found_on"][0] == f"http://www.ipv6.test:{port}/"


def test_offline_resolution_is_unchecked_never_a_deduction(tmp_path):
    measured = measure("http://www.example.gov.cn/", offline=True, lookup=_no_aaaa)
    assert measured["status"] == "unchecked" and "离线" in measured["detail"]
    (finding,) = no_ipv6(_stored_run(tmp_path, measured))
    assert finding["severity"] == "info" and "未检查" in finding["detail"]


def test_no_aaaa_record_from_the_lookup_is_medium(tmp_path):
    measured = measure("https://www.example.gov.cn/index.html", lookup=_no_aaaa)
    assert measured["status"] == "no_aaaa"
    (finding,) = no_ipv6(_stored_run(tmp_path, measured))
    assert finding["severity"] == "medium" and "AAAA" in finding["detail"]
    assert finding["url"] == "http://www.example.gov.cn/"


def test_hosts_table_to_ipv4_is_unchecked_and_to_ipv6_is_probed():
    assert measure("http://intranet.test/", hosts={"intranet.test": "10.0.0.5"}, lookup=_no_aaaa)["status"] == "unchecked"
    try:
        srv = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        srv.bind(("::1", 0))
    except OSError:
        pytest.skip("本机未启用 IPv6 回环地址")
    srv.listen(1)
    port = srv.getsockname()[1]
    try:
        got = measure(f"http://v6.test:{port}/", hosts={"v6.test": "::1"}, route=True, timeout=1)
    finally:
        srv.close()
    assert got["status"] == "supported" and got["addresses"] == ["::1"]


def test_the_timeout_comes_from_the_setting_or_the_environment(monkeypatch):
    monkeypatch.delenv("GOVAUDIT_IPV6_TIMEOUT", raising=False)
    assert probe_timeout({}) == 5.0
    monkeypatch.setenv("GOVAUDIT_IPV6_TIMEOUT", "1.5")
    assert probe_timeout({}) == 1.5
    assert probe_timeout({"GOVAUDIT_IPV6_TIMEOUT": 3}) == 3.0
    monkeypatch.setenv("GOVAUDIT_IPV6_TIMEOUT", "不是数字")
    assert probe_timeout({}) == 5.0


def test_a_run_without_a_measurement_says_nothing(tmp_path):
    db = store.open_db(str(tmp_path / "old.sqlite"))
    run_id = store.create_run(db, site="旧", start_url="http://www.example.gov.cn/", host="www.example.gov.cn",
                              as_of="2026-11-21", month="2026-11")
    store.finish_run(db, run_id, "crawled", run_stats(db, run_id, {"finish_reason": "finished"}))
    assert list(no_ipv6(Crawl(db, run_id))) == []


class _Stats:
    def __init__(self) -> None:
        self.values: dict = {}

    def set_value(self, key, value) -> None:
        self.values[key] = value


class _Crawler:
    stats = _Stats()


def test_a_measurement_that_does_not_finish_is_unchecked_after_the_timeout():
    """The spider's close waits at most GOVAUDIT_IPV6_TIMEOUT seconds for the thread, then says 未检查."""
    from twisted.internet import defer, task

    from govaudit.crawler.ipv6_probe import IPv6Probe

    crawler = _Crawler()
    crawler.stats = _Stats()
    probe = IPv6Probe(crawler, timeout=3, offline=False, hosts={})
    probe.clock = task.Clock()
    hanging = probe.pending = defer.Deferred()  # a lookup that hangs
    hanging.addCallback(probe._done)
    closed = probe.spider_closed(None)
    probe.clock.advance(2.9)
    assert not closed.called
    probe.clock.advance(0.2)
    assert closed.called
    assert crawler.stats.values[STATS_KEY] == {"status": "unchecked", "addresses": [], "detail": "IPv6 检查在 3 秒内未完成"}
    hanging.callback({"status": "supported", "addresses": ["2001:db8::1"], "detail": "late"})
    assert crawler.stats.values[STATS_KEY]["status"] == "unchecked"  # a late answer changes nothing


def test_a_measurement_that_finishes_is_stored_at_close():
    from twisted.internet import defer, task

    from govaudit.crawler.ipv6_probe import IPv6Probe

    crawler = _Crawler()
    crawler.stats = _Stats()
    probe = IPv6Probe(crawler, timeout=3, offline=False, hosts={})
    probe.clock = task.Clock()
    probe.pending = defer.Deferred()
    probe.pending.addCallback(probe._done)
    closed = probe.spider_closed(None)
    probe.pending.callback({"status": "no_aaaa", "addresses": [], "detail": "域名 x 没有 IPv6（AAAA）解析记录"})
    assert closed.called and crawler.stats.values[STATS_KEY]["status"] == "no_aaaa"
    assert not probe.clock.getDelayedCalls()  # the timer is cancelled
