"""Distributed crawling on scrapy-redis: many workers, one frontier, one writer.

Design (see README, "分布式检查"):

- The *coordinator* (`govaudit audit/inspect --redis`) registers each run as a job in Redis,
  seeds its start URL, starts local workers if asked, and is the only process that writes the
  SQLite store: workers push rows as JSON into a Redis list, the coordinator pops and writes
  them. One writer keeps SQLite simple and the store identical to a single-process run.
- *Workers* (`govaudit worker --redis …`, on any machine) run the portal spider with the
  scrapy-redis scheduler and duplicate filter, so requests are shared and fetched once. The
  spider's own memory (scheduled targets, parsed pages, trap counters) lives in Redis too.
  Workers exit after MAX_IDLE_TIME_BEFORE_CLOSE seconds without work.
- A worker killed mid-crawl loses the requests it held. When the workers are gone, the
  coordinator looks in the store for links nobody fetched (as `--resume` does) and seeds them
  again, until nothing is missing.

Requests are pickled into Redis by scrapy-redis: Redis must be private and password-protected.
The password may be given in the URL (redis://:secret@host:6379/0) or as GOVAUDIT_REDIS_PASSWORD;
it is never logged or stored.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis
from scrapy import Request
from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings
from scrapy_redis.connection import get_redis
from scrapy_redis.spiders import RedisMixin


from .ipv6_probe import STATS_KEY as IPV6_STATS_KEY, failed as ipv6_failed, measure as measure_ipv6
from .ipv6_probe import probe_timeout, resolver_is_offline, timed_out as ipv6_timed_out
from . import settings as default_settings
from .pipeline import StorePipeline
from .run import CrawlJob, _seen_loader, build_settings, process_settings, site_hosts
from .scope import scope_of
from .spider import PortalSpider

JOBS_KEY = "govaudit:jobs"


def key(run_id: int, name: str) -> str:
    return f"govaudit:{run_id}:{name}"


def connect(url: str) -> redis.Redis:
    """scrapy-redis's own connection helper (the one its scheduler uses), with the password
    from GOVAUDIT_REDIS_PASSWORD when the URL has none."""
    password = os.environ.get("GOVAUDIT_REDIS_PASSWORD")
    kwargs = {"password": password} if password and not urlsplit(url).password else {}
    return get_redis(url=url, **kwargs)


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


class RedisState:
    """LocalState's interface on Redis sets and counters, shared by every worker of a run.

    A member once in a set stays there while workers run (the coordinator resets the sets only
    between sweeps, and then sends seeds: ``forget_local``), so each worker remembers what it
    has seen claimed and asks Redis only about the rest. Navigation links repeat on every page:
    without this, every link of every page cost a round trip."""

    def __init__(self, server: redis.Redis, run_id: int) -> None:
        self.server = server
        self.prefix = key(run_id, "state")
        self.known: dict[str, set[str]] = {}
        self.leases: dict[str, list[int]] = {}  # counter -> [next, last] numbers this worker holds
        self.seen_count: dict[str, int] = {}
        self._claim_then = server.register_script(self.CLAIM_THEN)
        server.script_load(self.CLAIM_THEN)  # loaded now: the first page would otherwise cost a refused EVALSHA

    def forget_local(self) -> None:
        """The coordinator may have reset the sets and the page count (a sweep re-seeds lost work):
        ask Redis again."""
        self.known = {}
        self.leases = {}

    def claim(self, name: str, member: str) -> bool:
        known = self.known.setdefault(name, set())
        if member in known:
            return False
        known.add(member)
        return bool(self.server.sadd(f"{self.prefix}:{name}", member))

    #: SADD the second member only when the first was new: -1 when it was not, else SADD's answer.
    CLAIM_THEN = """if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then return redis.call('SADD', KEYS[2], ARGV[2]) end
return -1"""

    def claim_then(self, name: str, member: str, then: str, then_member: str) -> bool:
        """LocalState.claim_then in one round trip: every page read asks this."""
        known = self.known.setdefault(name, set())
        if member in known:
            return False
        known.add(member)
        answer = int(self._claim_then(keys=[f"{self.prefix}:{name}", f"{self.prefix}:{then}"], args=[member, then_member]))
        if answer != -1:
            self.known.setdefault(then, set()).add(then_member)
        return answer == 1

    def add_all(self, name: str, members) -> None:
        members = list(members)
        for i in range(0, len(members), 1000):
            self.server.sadd(f"{self.prefix}:{name}", *members[i : i + 1000])

    #: Numbers a worker takes at once for a counter with a limit (pages, checks), while far from it.
    LEASE = 16

    def incr(self, name: str, by: int = 1, limit: int | None = None) -> int:
        """The counter's next value, unique among the workers. For a counter compared with a
        ``limit`` (the page and link budgets) the worker takes ``LEASE`` numbers per round trip
        while the counter is far below the limit, one at a time near it: every URL cost a
        round trip, and a budget still ends where it would (no number is given twice; at most
        a few unused numbers per worker are left when the crawl ends, never near the limit)."""
        if limit is None or by != 1:
            return int(self.server.incrby(f"{self.prefix}:c:{name}", by))
        lease = self.leases.get(name)
        if lease and lease[0] <= lease[1]:
            value = lease[0]
            lease[0] += 1
            return value
        size = self.LEASE if self.seen_count.get(name, 0) + 8 * self.LEASE < limit else 1
        end = int(self.server.incrby(f"{self.prefix}:c:{name}", size))
        self.seen_count[name] = end
        self.leases[name] = [end - size + 2, end]
        return end - size + 1

    def claim_many(self, name: str, members: list[str]) -> set[str]:
        known = self.known.setdefault(name, set())
        ask = [m for m in dict.fromkeys(members) if m not in known]
        if not ask:
            return set()
        known.update(ask)
        with self.server.pipeline(transaction=False) as pipe:
            for m in ask:
                pipe.sadd(f"{self.prefix}:{name}", m)
            return {m for m, added in zip(ask, pipe.execute()) if added}


class DistributedPortalSpider(RedisMixin, PortalSpider):
    """The portal spider fed from a Redis list of seeds (JSON), sharing state through Redis."""

    name = "portal_redis"

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        run_id = crawler.settings.getint("GOVAUDIT_RUN_ID")
        spider.redis_key = key(run_id, "seeds")
        spider.setup_redis(crawler)
        spider.memory = RedisState(spider.server, run_id)
        spider.items_key = key(run_id, "items")
        home = spider.server.get(key(run_id, "home_final"))
        if home:
            spider.home_final = home.decode()
            spider.internal_hosts.add(urlsplit(spider.home_final).hostname or "")
        return spider

    async def start(self):
        for request in self.next_requests():
            yield request

    def make_request_from_data(self, data: bytes) -> list[Request]:
        """A seed is JSON: {"url", "tag", "depth", "pagination", "home"}; items it makes go
        straight to the writer, requests to the shared scheduler."""
        seed = json.loads(data)
        self.memory.forget_local()  # seeds come at the start and after a sweep reset the sets
        if seed.get("home"):
            self.memory.claim("scheduled", seed["url"])
            return [self.page_request(seed["url"], depth=0, home=True)]
        out = []
        proposed = self.propose(seed["url"], seed.get("tag", "a"), int(seed.get("depth", 1)),
                                pagination=bool(seed.get("pagination")))
        for thing in scope_of(self.crawler).decide_all(proposed):
            if isinstance(thing, Request):
                out.append(thing)
            else:
                self.server.rpush(self.items_key, json.dumps(thing, ensure_ascii=False, default=str))
        return out

    def on_response(self, response):
        for out in super().on_response(response):
            yield out
        if response.meta["ga"].get("home") and self.home_final:
            self.server.set(key(self.crawler.settings.getint("GOVAUDIT_RUN_ID"), "home_final"), self.home_final)


class RedisItemsPipeline:
    """Rows to the coordinator, in order, as JSON (not pickles: the writer trusts no code).

    Rows are pushed in small batches; a fetch row is always pushed with the rows before it,
    so the coordinator never sees a fetch whose page's links are still on their way."""

    BATCH = 50

    def __init__(self, server: redis.Redis, items_key: str) -> None:
        self.server = server
        self.items_key = items_key
        self.buffer: list[str] = []
        self.last = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(connect(s.get("REDIS_URL")), key(s.getint("GOVAUDIT_RUN_ID"), "items"))

    def process_item(self, item: dict, spider=None) -> dict:
        self.buffer.append(json.dumps(item, ensure_ascii=False, default=str))
        if len(self.buffer) >= self.BATCH or time.monotonic() - self.last > 0.5:
            self.flush()
        return item

    def flush(self) -> None:
        if self.buffer:
            self.server.rpush(self.items_key, *self.buffer)
            self.buffer = []
        self.last = time.monotonic()

    def close_spider(self, spider=None) -> None:
        self.flush()


def worker_settings(job: dict, redis_url: str, idle: int) -> Settings:
    crawl_job = CrawlJob(**{k: job[k] for k in ("start_url", "run_id", "db_path", "as_of", "extra_hosts", "overrides")})
    s = build_settings(crawl_job)
    run_id = job["run_id"]
    s.setdict({
        "SCHEDULER": "govaudit.crawler.redisqueue.FilteringScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_KEY": key(run_id, "requests"),
        "SCHEDULER_DUPEFILTER_KEY": key(run_id, "dupefilter"),
        "SCHEDULER_PERSIST": True,  # the coordinator clears the keys when the run is done
        "SCHEDULER_QUEUE_CLASS": "govaudit.crawler.redisqueue.CallbackNamePriorityQueue",
        "REDIS_URL": redis_url,
        "REDIS_PARAMS": {"password": os.environ["GOVAUDIT_REDIS_PASSWORD"]} if os.environ.get("GOVAUDIT_REDIS_PASSWORD") and not urlsplit(redis_url).password else {},
        "MAX_IDLE_TIME_BEFORE_CLOSE": idle,
        "GOVAUDIT_IPV6_PROBE": False,  # measured once, by the coordinator
        "GOVAUDIT_SEARCH_PROBE": False,  # not tried in distributed runs: no stats.search, no finding
        "ITEM_PIPELINES": {"govaudit.crawler.attachment_scan.AttachmentScanPipeline": 200,
                           "govaudit.crawler.distributed.RedisItemsPipeline": 300},
    }, priority="cmdline")
    return s


def run_worker(redis_url: str, idle: int = 5, wait: int = 30, log_level: str = "ERROR") -> int:
    """Join every registered job; return how many were crawled. Waits up to ``wait`` s for jobs."""
    server = connect(redis_url)
    deadline = time.monotonic() + wait
    jobs: list[dict] = []
    while time.monotonic() < deadline:
        jobs = [json.loads(v) for v in server.hvals(JOBS_KEY)]
        if jobs:
            break
        time.sleep(0.5)
    if not jobs:
        return 0
    # Only process-wide keys: Scrapy merges these into every crawler (one per job).
    base = process_settings(worker_settings(jobs[0], redis_url, idle))
    base.set("LOG_LEVEL", log_level, priority="cmdline")
    base.set("GOVAUDIT_SITE_HOSTS", site_hosts((j["start_url"], j["extra_hosts"]) for j in jobs), priority="cmdline")
    process = AsyncCrawlerProcess(base, install_root_handler=True)
    for job in jobs:
        settings = worker_settings(job, redis_url, idle)
        settings.set("LOG_LEVEL", log_level, priority="cmdline")
        process.crawl(Crawler(DistributedPortalSpider, settings), url=job["start_url"])
    process.start()
    return len(jobs)


# -- coordinator ------------------------------------------------------------------------------


def _seed(server: redis.Redis, run_id: int, seeds: list[dict]) -> None:
    for i in range(0, len(seeds), 500):
        server.rpush(key(run_id, "seeds"), *[json.dumps(s, ensure_ascii=False) for s in seeds[i : i + 500]])


class WorkersFailed(RuntimeError):
    """Local workers keep dying before they write anything: stop, and say where to look."""


def without_password(url: str) -> tuple[str, str | None]:
    """(the URL with its password removed, the password): the password travels by environment,
    never on a command line (any local user can read /proc/PID/cmdline)."""
    parts = urlsplit(url)
    if not parts.password:
        return url, os.environ.get("GOVAUDIT_REDIS_PASSWORD")
    user = f"{parts.username}@" if parts.username else ""
    netloc = f"{user}{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), parts.password


def _spawn(redis_url: str, n: int, idle: int, log_dir: Path | None = None) -> list[subprocess.Popen]:
    """Start ``n`` local workers that cannot pick up a source folder from the working directory.

    ``python -I`` (isolated: no cwd or script folder on sys.path, no PYTHON* variables) run in
    a fresh temporary folder imports the installed govaudit, whatever folder the coordinator
    was started from. Each worker's stderr goes to its own log file in ``log_dir``.
    """
    url, password = without_password(redis_url)
    env = dict(os.environ)
    if password:
        env["GOVAUDIT_REDIS_PASSWORD"] = password
    cmd = [sys.executable, "-I", "-m", "govaudit", "worker", "--redis", url, "--idle", str(idle)]
    log_dir = Path(log_dir or tempfile.mkdtemp(prefix="govaudit-workers-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    procs = []
    for _ in range(n):
        cwd = tempfile.mkdtemp(prefix="govaudit-worker-")
        log = open(log_dir / f"worker-{time.strftime('%Y%m%d-%H%M%S')}-{len(list(log_dir.iterdir()))}.log", "wb")
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log)
        proc.log_path = log.name  # type: ignore[attr-defined]
        log.close()
        procs.append(proc)
    return procs


class _Writer:
    """The single writer: rows popped from Redis go through the same pipeline code as a local crawl."""

    def __init__(self, jobs: list[CrawlJob]) -> None:
        self.pipelines: dict[int, StorePipeline] = {}
        for job in jobs:
            p = StorePipeline(job.db_path, job.run_id, _NullCrawler())
            p.open_spider()
            self.pipelines[job.run_id] = p

    def drain(self, server: redis.Redis, block: float) -> int:
        """Write what is waiting; return how many rows."""
        n = 0
        for run_id, pipeline in self.pipelines.items():
            k = key(run_id, "items")
            while True:
                batch = server.lpop(k, 500)
                if not batch:
                    break
                for raw in batch:
                    pipeline.process_item(json.loads(raw))
                n += len(batch)
            pipeline.flush()
        if not n and block:
            time.sleep(block)
        return n

    def close(self) -> None:
        for p in self.pipelines.values():
            p.close_spider()


class _NullCrawler:
    """Just enough of a crawler for StorePipeline outside Scrapy."""

    class settings:  # noqa: N801
        @staticmethod
        def get(name, default=None):
            return default

    class stats:  # noqa: N801
        @staticmethod
        def inc_value(*a, **k):
            pass

        @staticmethod
        def set_value(*a, **k):
            pass


def pending_seeds(job: CrawlJob) -> list[dict]:
    state = _seen_loader(job)()
    seeds = []
    if job.start_url not in state["fetched"]:
        seeds.append({"url": job.start_url, "home": True})
    for target, tag, depth, pagination in state["pending"]:
        seeds.append({"url": target, "tag": tag, "depth": depth, "pagination": pagination})
    return seeds


def coordinate(jobs: list[CrawlJob], redis_url: str, workers: int, idle: int = 3, max_sweeps: int = 3,
               say=lambda msg: None, max_failed_starts: int = 3) -> dict[int, dict]:
    """Run jobs on Redis workers; return per-run stats (as crawl_sites does)."""
    server = connect(redis_url)
    server.ping()
    for job in jobs:
        for name in ("seeds", "items", "requests", "dupefilter", "home_final"):
            server.delete(key(job.run_id, name))
        for k in server.scan_iter(key(job.run_id, "state") + "*"):
            server.delete(k)
        server.hset(JOBS_KEY, job.run_id, json.dumps({
            "start_url": job.start_url, "run_id": job.run_id, "db_path": job.db_path, "as_of": job.as_of,
            "extra_hosts": job.extra_hosts, "overrides": job.overrides}, ensure_ascii=False))
        if job.resume:
            state = _seen_loader(job)()
            RedisState(server, job.run_id).add_all("scheduled", state["fetched"])
            RedisState(server, job.run_id).add_all("parsed", state["parsed"])
            RedisState(server, job.run_id).add_all("content", state["content"])
            _seed(server, job.run_id, pending_seeds(job))
        else:
            _seed(server, job.run_id, [{"url": job.start_url, "home": True}])
    writer = _Writer(jobs)
    started = time.monotonic()
    ipv6 = _IPv6Measurements(jobs)
    log_dir = Path(jobs[0].db_path).resolve().parent / "worker-logs" if jobs else None
    procs = _spawn(redis_url, workers, idle, log_dir)
    failed_starts, written_at_spawn = 0, 0
    say(f"已启动本机工作进程 {workers} 个，Redis：{redacted(redis_url)}")
    sweeps = 0
    last_rows = time.monotonic()
    last_say = time.monotonic()
    written = 0
    try:
        while True:
            n = writer.drain(server, block=0.2)
            if n:
                last_rows = time.monotonic()
                written += n

            if time.monotonic() - last_say > 10:
                last_say = time.monotonic()
                say(f"[分布式抓取中] 用时 {last_say - started:.0f} 秒，已写入记录 {written} 条，"
                    f"工作进程 {sum(1 for p in procs if p.poll() is None)} 个在运行")
            alive = [p for p in procs if p.poll() is None]
            queued = sum(server.llen(key(j.run_id, "seeds")) + server.zcard(key(j.run_id, "requests")) for j in jobs)
            # Remote workers cannot be seen: rows arriving recently mean someone is still crawling.
            busy = time.monotonic() - last_rows < idle + 3
            if alive or (not workers and (queued or busy)):
                continue
            if queued:  # seeds nobody took: start one more local worker
                failed_starts = failed_starts + 1 if written == written_at_spawn else 0
                if workers and failed_starts >= max_failed_starts:
                    logs = "、".join(getattr(p, "log_path", "") for p in procs)
                    raise WorkersFailed(
                        f"本机工作进程连续 {failed_starts} 次启动后未写入任何记录即退出，已停止分布式检查"
                        f"（已抓取的记录均已保存）。请查看工作进程日志：{logs}")
                written_at_spawn = written
                procs = _spawn(redis_url, 1, idle, log_dir)
                continue
            while writer.drain(server, block=0):
                pass
            missing = {j.run_id: pending_seeds(j) for j in jobs}
            if not any(missing.values()) or sweeps >= max_sweeps:
                break
            sweeps += 1
            say(f"补抓未完成的网址（第 {sweeps} 轮）：{sum(len(v) for v in missing.values())} 个")
            for job in jobs:
                if missing[job.run_id]:
                    # The lost requests are marked scheduled and seen: forget them, keep what was fetched.
                    # What they parsed but never delivered is not parsed either.
                    prefix = key(job.run_id, "state")
                    server.delete(f"{prefix}:scheduled", f"{prefix}:parsed", f"{prefix}:content", key(job.run_id, "dupefilter"))
                    state = _seen_loader(job)()
                    RedisState(server, job.run_id).add_all("scheduled", state["fetched"])
                    RedisState(server, job.run_id).add_all("parsed", state["parsed"])
                    RedisState(server, job.run_id).add_all("content", state["content"])
                    server.set(f"{prefix}:c:pages", len(state["parsed"]))
                    _seed(server, job.run_id, missing[job.run_id])
            procs = _spawn(redis_url, max(1, workers), idle, log_dir)
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        writer.close()
        for job in jobs:
            server.hdel(JOBS_KEY, job.run_id)
            for k in list(server.scan_iter(f"govaudit:{job.run_id}:*")):
                server.delete(k)
    elapsed = time.monotonic() - started
    measured = ipv6.results()
    return {job.run_id: {"finish_reason": "finished", "elapsed_time_seconds": elapsed, "govaudit/sweeps": sweeps,
                         IPV6_STATS_KEY: measured[job.run_id]} for job in jobs}


class _IPv6Measurements:
    """The coordinator measures each run's IPv6 status once (workers do not), in threads started
    with the crawl, with the crawl's resolver settings (crawler/ipv6_probe.py)."""

    def __init__(self, jobs: list[CrawlJob]) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.timeouts: dict[int, float] = {}
        self.futures = {}
        self.pool = ThreadPoolExecutor(max_workers=max(1, min(4, len(jobs))), thread_name_prefix="govaudit-ipv6")
        for job in jobs:
            s = Settings()  # the job's own settings, without build_settings' side effects (queue folder)
            s.setmodule(default_settings, priority="project")
            s.setdict(job.overrides, priority="cmdline")
            timeout = probe_timeout(s)
            self.timeouts[job.run_id] = timeout
            self.futures[job.run_id] = self.pool.submit(
                measure_ipv6, job.start_url, hosts=dict(s.getdict("GOVAUDIT_HOSTS") or {}),
                offline=resolver_is_offline(s), timeout=timeout)
        self.pool.shutdown(wait=False)

    def results(self) -> dict[int, dict]:
        from concurrent.futures import TimeoutError as FutureTimeout

        out = {}
        for run_id, future in self.futures.items():
            try:
                out[run_id] = future.result(timeout=self.timeouts[run_id])
            except FutureTimeout:
                out[run_id] = ipv6_timed_out(self.timeouts[run_id])
            except Exception as exc:  # noqa: BLE001 - a probe error is 未检查, never a crash of the run
                out[run_id] = ipv6_failed(exc)
        return out
