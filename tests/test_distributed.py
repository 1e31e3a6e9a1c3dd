"""Distributed mode on a real redis-server: same findings as one process, and a killed worker."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from demo.server import serve_pair
from portal import DEMO, ROOT, run_cli, write_config

PASSWORD = "test-secret-42"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    exe = shutil.which("redis-server")
    if not exe:
        pytest.fail("redis-server is not installed (make test installs it)")
    port = free_port()
    tmp = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--requirepass", PASSWORD,
                             "--save", "", "--appendonly", "no", "--dir", str(tmp)], stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://:{PASSWORD}@127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait()


def normalized(out: Path, bases: list[str]) -> set[tuple]:
    def strip(u: str) -> str:
        for b in bases:
            u = u.replace(b, "")
        return u

    rows = [json.loads(l) for l in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    # 搜索功能 is tried by a single-process crawl only (crawler/search_probe.py): a distributed run
    # stores no stats.search and the check says nothing, so it is left out of the comparison.
    return {(f["check"], strip(f["url"]), tuple(sorted(strip(p) for p in f["found_on"])), f["severity"]) for f in rows
            if f["check"] != "search_broken"}


def test_two_workers_find_what_one_process_finds(demo_audit, redis_url, tmp_path):
    server, ext = serve_pair(DEMO / "portal", DEMO / "external")
    cfg = write_config(tmp_path / "c.yaml")
    out = tmp_path / "out"
    proc = run_cli("audit", server.base_url + "/", "--as-of", "2026-11-21", "--out", str(out), "--config", str(cfg),
                   "--redis", redis_url, "--workers", "2")
    server.shutdown()
    ext.shutdown()
    assert proc.returncode == 0, proc.stderr
    assert PASSWORD not in proc.stderr + proc.stdout
    distributed = normalized(out, [server.base_url, ext.base_url])
    single = normalized(demo_audit.out, [demo_audit.base, demo_audit.ext])
    assert distributed == single
    # every target fetched once across both workers (retries and HEAD->GET fallbacks aside)
    gets = [p for m, p in server.log if m == "GET"]
    assert gets.count("/") == 1 and gets.count("/about.html") == 1
    db = sqlite3.connect(out / "govaudit.sqlite")
    assert PASSWORD not in "".join(str(r) for r in db.execute("SELECT settings, stats FROM runs"))
    # IPv6 is measured once, by the coordinator (workers leave it out): stored as in a single-process run
    (stats,) = db.execute("SELECT stats FROM runs").fetchone()
    assert json.loads(stats)["ipv6"]["status"] == "unchecked"


def test_a_killed_worker_leaves_the_site_to_the_others(redis_url, tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth_site import make_server

    srv = make_server(300, delay=0.02)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_address[1]}/"
    cfg = write_config(tmp_path / "c.yaml", {"concurrency": 4, "max_pages": 1000})

    single = tmp_path / "single"
    proc = run_cli("audit", url, "--out", str(single), "--config", str(cfg), "--as-of", "2026-11-21")
    assert proc.returncode == 0, proc.stderr

    out = tmp_path / "dist"
    coordinator = subprocess.Popen([sys.executable, "-m", "govaudit", "audit", url, "--out", str(out), "--config", str(cfg),
                                    "--as-of", "2026-11-21", "--redis", redis_url, "--workers", "0", "-q"],
                                   cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers = [subprocess.Popen([sys.executable, "-m", "govaudit", "worker", "--redis", redis_url, "--idle", "3"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    db_path = out / "govaudit.sqlite"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.3)
        try:
            if sqlite3.connect(db_path).execute("SELECT count(*) FROM fetches").fetchone()[0] >= 60:
                break
        except sqlite3.Error:
            pass
    os.kill(workers[0].pid, signal.SIGKILL)
    stdout, stderr = coordinator.communicate(timeout=180)
    workers[1].wait(timeout=60)
    srv.shutdown()
    assert coordinator.returncode == 0, stderr
    assert normalized(out, [url.rstrip("/")]) == normalized(single, [url.rstrip("/")])
    a, b = sqlite3.connect(db_path), sqlite3.connect(single / "govaudit.sqlite")
    for table in ("pages", "fetches", "links"):
        assert a.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == b.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table


def test_inspect_two_sites_on_redis_workers(redis_url, tmp_path):
    """Each site's rows land in its own run, with workers serving both jobs at once."""
    import yaml

    servers = []
    sites = []
    for i, title in enumerate(("甲县人民政府", "乙县人民政府")):
        root = tmp_path / f"site{i}"
        (root / "news").mkdir(parents=True)
        items = "".join(f'<li><a href="/news/{d}.html">{title}{d}工作动态</a><span>{d}</span></li>' for d in ("2026-11-18", "2026-11-02"))
        (root / "index.html").write_text(f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><ul>{items}</ul>"
                                         f"<a href='/missing-{i}.html'>失效链接</a></body></html>", encoding="utf-8")
        for d in ("2026-11-18", "2026-11-02"):
            (root / "news" / f"{d}.html").write_text(f"<html><head><meta charset='utf-8'><title>{d}</title></head><body><p>发布时间：{d}</p><p>{'正文。' * 50}</p></body></html>", encoding="utf-8")
        from demo.server import PortalServer

        srv = PortalServer(root).start()
        servers.append(srv)
        sites.append({"name": title, "url": srv.base_url + "/", "unit": f"{title}办公室", "contacts": [f"s{i}@example.gov.cn"]})
    cfg = {"notice": {"issuer": "临川市人民政府办公室"}, "sites": sites,
           "crawl": {"delay": 0, "timeout": 2, "retry_backoff": 0.05, "offline_dns": True, "progress_interval": 0}}
    (tmp_path / "sites.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    proc = run_cli("inspect", "--config", str(tmp_path / "sites.yaml"), "--month", "2026-11", "--as-of", "2026-11-21",
                   "--out", str(tmp_path / "out"), "--redis", redis_url, "--workers", "2")
    for srv in servers:
        srv.shutdown()
    assert proc.returncode == 0, proc.stderr
    db = sqlite3.connect(tmp_path / "govaudit.sqlite")
    runs = dict(db.execute("SELECT site, id FROM runs"))
    assert len(runs) == 2
    for i, (name, run_id) in enumerate(sorted(runs.items(), key=lambda kv: kv[0] != "甲县人民政府")):
        urls = {u for (u,) in db.execute("SELECT url FROM fetches WHERE run_id = ?", [run_id])}
        assert urls and all(u.startswith(sites[i]["url"].rstrip("/")) for u in urls), name
        dead = [u for (u,) in db.execute("SELECT url FROM findings WHERE run_id = ? AND [check] = 'dead_link'", [run_id])]
        assert dead == [sites[i]["url"] + f"missing-{i}.html"]


def test_workers_share_claims_and_ask_redis_once_per_member(redis_url):
    """Each member is claimed by exactly one worker, a worker asks Redis about a member once,
    and after a sweep resets the sets (then sends seeds) the members can be claimed again."""
    from govaudit.crawler.distributed import RedisState, connect

    server = connect(redis_url)
    server.delete(RedisState(server, 9901).prefix + ":scheduled")
    a, b = RedisState(server, 9901), RedisState(server, 9901)
    nav = [f"http://x/c{i}/" for i in range(5)]
    got_a = a.claim_many("scheduled", nav + nav[:2])
    got_b = b.claim_many("scheduled", nav[3:] + ["http://x/new"])
    assert got_a == set(nav) and got_b == {"http://x/new"}
    assert not a.claim("scheduled", "http://x/new") and not b.claim("scheduled", nav[0])
    sent = server.info("commandstats").get("cmdstat_sadd", {}).get("calls", 0)
    assert a.claim_many("scheduled", nav) == set() and not a.claim("scheduled", nav[1])
    assert server.info("commandstats").get("cmdstat_sadd", {}).get("calls", 0) == sent  # answered locally
    server.delete(a.prefix + ":scheduled")  # the coordinator's sweep
    a.forget_local()
    assert a.claim("scheduled", nav[0])


def test_a_page_is_claimed_then_its_content_in_one_round_trip_as_locally(redis_url):
    """claim_then answers as LocalState does (the content is claimed only for a page that was
    new), whichever worker asks, with one command per page."""
    from govaudit.crawler.distributed import RedisState, connect
    from govaudit.crawler.spider import LocalState

    server = connect(redis_url)
    for name in ("parsed", "content"):
        server.delete(RedisState(server, 9902).prefix + ":" + name)
    a, b, local = RedisState(server, 9902), RedisState(server, 9902), LocalState()
    asks = [(a, "/x", "h1"), (b, "/x", "h2"), (b, "/y", "h1"), (a, "/z", "h3"), (b, "/z2", "h3"), (a, "/w", "h2")]
    before = server.info("commandstats")
    remote = [state.claim_then("parsed", page, "content", sha) for state, page, sha in asks]
    after = server.info("commandstats")
    assert remote == [local.claim_then("parsed", page, "content", sha) for _, page, sha in asks]
    assert remote == [True, False, False, True, False, True]  # /x's second copy does not claim h2
    calls = sum(after.get(k, {}).get("calls", 0) - before.get(k, {}).get("calls", 0) for k in ("cmdstat_evalsha", "cmdstat_eval"))
    assert calls <= len(asks) and after.get("cmdstat_sadd", {}).get("calls", 0) - before.get("cmdstat_sadd", {}).get("calls", 0) <= 2 * len(asks)


def test_the_scheduler_sends_its_requests_with_the_next_pop_and_drops_a_duplicate(redis_url):
    """The duplicate check and the push are one script per request, sent together with the next
    pop in one pipeline; a request whose fingerprint is known (the same query in another order) is
    not queued; a new one is, and pops back intact; a pop takes a few requests at once."""
    from scrapy import Request, Spider
    from scrapy.utils.test import get_crawler

    from govaudit.crawler.redisqueue import FilteringScheduler

    class S(Spider):
        name = "sched"

        def on_response(self, response):
            pass

    settings = {"REDIS_URL": redis_url, "SCHEDULER_QUEUE_KEY": "govaudit:9903:requests",
                "SCHEDULER_DUPEFILTER_KEY": "govaudit:9903:dupefilter",
                "SCHEDULER_QUEUE_CLASS": "govaudit.crawler.redisqueue.CallbackNamePriorityQueue",
                "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter", "SCHEDULER_PERSIST": True}
    crawler = get_crawler(S, settings)
    spider = S.from_crawler(crawler)
    crawler.spider = spider
    scheduler = FilteringScheduler.from_crawler(crawler)
    scheduler.open(spider)
    scheduler.flush()
    server = scheduler.server
    before = server.info("commandstats")
    assert scheduler.enqueue_request(Request("http://127.0.0.1/a?x=1&y=2", callback=spider.on_response, priority=-3))
    scheduler.enqueue_request(Request("http://127.0.0.1/a?y=2&x=1", callback=spider.on_response))  # the same page
    assert scheduler.enqueue_request(Request("http://127.0.0.1/a?y=2&x=1", callback=spider.on_response, dont_filter=True))
    assert len(scheduler) == 3 and scheduler.has_pending_requests()  # two still in the outbox
    assert server.zcard("govaudit:9903:requests") == 1  # only the forced one went out at once
    first = scheduler.next_request()  # sends the outbox and pops, one round trip
    after = server.info("commandstats")
    assert first.url == "http://127.0.0.1/a?y=2&x=1" and first.dont_filter  # priority 0 before -3
    assert server.scard("govaudit:9903:dupefilter") == 1 and len(scheduler) == 1
    calls = lambda k: after.get(k, {}).get("calls", 0) - before.get(k, {}).get("calls", 0)  # noqa: E731
    assert calls("cmdstat_evalsha") == 2 and calls("cmdstat_sadd") == 2 and calls("cmdstat_zpopmin") == 1
    assert calls("cmdstat_script|exists") == 0
    second = scheduler.next_request()  # taken by the first pop: no round trip
    assert second.url == "http://127.0.0.1/a?x=1&y=2" and second.priority == -3 and second.callback == spider.on_response
    assert server.info("commandstats").get("cmdstat_zpopmin", {}).get("calls", 0) - before.get("cmdstat_zpopmin", {}).get("calls", 0) == 1
    assert scheduler.next_request() is None and not scheduler.has_pending_requests()
    # popped and never fetched when the worker stops: back in the queue for the others
    scheduler.enqueue_request(Request("http://127.0.0.1/b", callback=spider.on_response))
    scheduler.enqueue_request(Request("http://127.0.0.1/c", callback=spider.on_response))
    assert scheduler.next_request().url.endswith(("/b", "/c"))
    scheduler.close("finished")
    assert server.zcard("govaudit:9903:requests") == 1
    scheduler.flush()


def test_budget_counters_are_leased_far_from_the_limit_and_exact_near_it(redis_url):
    """Workers take page numbers 16 at a time while far below the budget, one at a time near it:
    no number is given twice, and the budget admits exactly ``limit`` numbers."""
    from govaudit.crawler.distributed import RedisState, connect

    server = connect(redis_url)
    server.delete(RedisState(server, 9904).prefix + ":c:pages")
    a, b = RedisState(server, 9904), RedisState(server, 9904)
    before = server.info("commandstats").get("cmdstat_incrby", {}).get("calls", 0)
    got = [s.incr("pages", limit=10_000) for _ in range(100) for s in (a, b)]
    trips = server.info("commandstats").get("cmdstat_incrby", {}).get("calls", 0) - before
    assert len(set(got)) == len(got) and trips <= 200 // 16 + 2
    # near the budget one number at a time: exactly up to it (a worker's unused lease ends far below)
    server.set(a.prefix + ":c:pages", 9_700)
    a.forget_local(), b.forget_local()
    admitted = sum(1 for _ in range(400) for s in (a, b) if s.incr("pages", limit=10_000) <= 10_000)
    assert admitted == 300
