"""Run one crawl (or several sites one after another) inside this process.

The Twisted/asyncio reactor cannot restart, so the CLI makes exactly one call to
``crawl_sites`` per process, with every site it must crawl.
"""
from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings

from govaudit import store

from . import render
from . import settings as default_settings
from .site import site_hosts as one_site_hosts
from .spider import PortalSpider


@dataclass
class CrawlJob:
    """One site to crawl into one run of the store."""

    start_url: str
    run_id: int
    db_path: str
    as_of: str
    extra_hosts: list[str] = field(default_factory=list)
    job_dir: str | None = None  # where the resume marker lives
    resume: bool = False
    overrides: dict[str, Any] = field(default_factory=dict)


def build_settings(job: CrawlJob) -> Settings:
    s = Settings()
    s.setmodule(default_settings, priority="project")
    s.set("GOVAUDIT_DB", job.db_path, priority="cmdline")
    s.set("GOVAUDIT_RUN_ID", job.run_id, priority="cmdline")
    s.set("GOVAUDIT_AS_OF", job.as_of, priority="cmdline")
    s.set("GOVAUDIT_EXTRA_HOSTS", list(job.extra_hosts), priority="cmdline")
    if job.job_dir:
        # Scrapy's disk queues keep the frontier out of memory on large sites. The folder is
        # scratch: resuming rebuilds the frontier from the store (see _seen_loader).
        queue_dir = Path(job.job_dir) / "scrapy"
        shutil.rmtree(queue_dir, ignore_errors=True)
        s.set("JOBDIR", str(queue_dir), priority="cmdline")
    if job.resume:
        s.set("GOVAUDIT_RESUME_SEEN", _seen_loader(job), priority="cmdline")
    for key, value in job.overrides.items():
        s.set(key, value, priority="cmdline")
    # scrapy-playwright and the system Chromium, only where a browser is there to drive.
    for key, value in render.crawl_settings(s).items():
        s.set(key, value, priority="cmdline")
    delay = job.overrides.get("DOWNLOAD_DELAY")
    if delay is not None and float(delay) == 0:
        s.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
    return s


class ResumeMismatch(ValueError):
    """``--resume`` asked to continue a run that belongs to another site or another day."""


def check_resume(db, run_id: int, start_url: str, as_of: str) -> None:
    """Refuse to merge one site's (or one day's) fetches into another's run.

    A resumed run is continued only by the same start URL and the same --as-of it was
    started with, as stored in its ``runs`` row (not in a marker file that can be copied)."""
    from .links import normalize_url

    run = store.get_run(db, run_id)
    if normalize_url(str(run["start_url"])) != normalize_url(start_url):
        raise ResumeMismatch(
            f"无法继续检查：输出目录中未完成的检查（运行编号 {run_id}）的起始网址是 {run['start_url']}，"
            f"与本次指定的 {start_url} 不同。请使用原网址继续，或去掉 --resume 重新检查。")
    if str(run["as_of"]) != str(as_of):
        raise ResumeMismatch(
            f"无法继续检查：输出目录中未完成的检查（运行编号 {run_id}）的基准日是 {run['as_of']}，"
            f"与本次指定的 {as_of} 不同。请使用原基准日继续，或去掉 --resume 重新检查。")


def _seen_loader(job: CrawlJob):
    """What a resumed run already has, and what its stored pages link to but was not fetched."""

    def load() -> dict:
        import json

        db = store.open_db(job.db_path)
        rid = job.run_id
        check_resume(db, rid, job.start_url, job.as_of)  # never merge another site's fetches
        fetched = {r["url"] for r in db.query("SELECT url FROM fetches WHERE run_id = ?", [rid])}
        # A page counts as read only with its fetch row, which is written after its links:
        # a page row without one may have lost its links in the crash, so it is read again.
        parsed, content = set(), set()
        for r in db.query(
            "SELECT p.final_url, json_extract(p.facts, '$.sha1') AS sha1 FROM pages p"
            " JOIN fetches f ON f.run_id = p.run_id AND f.url = p.url WHERE p.run_id = ?", [rid]):
            parsed.add(r["final_url"])
            if r["sha1"]:
                content.add(r["sha1"])
        home = next(iter(db.query("SELECT final_url FROM pages WHERE run_id = ? AND is_home = 1", [rid])), None)
        pending: list[tuple[str, str, int, bool]] = []
        for r in db.query(
            "SELECT l.target, min(p.depth) + 1 AS depth,"
            " max(CASE WHEN l.tag IN ('a','area','iframe','frame','meta') THEN 1 ELSE 0 END) AS follow"
            " FROM links l JOIN pages p ON p.run_id = l.run_id AND p.url = l.source"
            " LEFT JOIN fetches f ON f.run_id = l.run_id AND f.url = l.target"
            " WHERE l.run_id = ? AND f.url IS NULL GROUP BY l.target ORDER BY depth, l.target", [rid]):
            pending.append((r["target"], "a" if r["follow"] else "img", r["depth"], False))
        for r in db.query("SELECT depth, facts FROM pages WHERE run_id = ?", [rid]):
            for url in (json.loads(r["facts"] or "{}").get("listing") or {}).get("pagination") or []:
                if url not in fetched:
                    pending.append((url, "a", r["depth"], True))
        db.conn.close()
        return {"fetched": fetched, "parsed": parsed, "content": content, "pending": pending,
                "home_final": home["final_url"] if home else None}

    return load


#: Settings the process itself reads (reactor, resolver, logging); one value for all sites.
PROCESS_PREFIXES = ("TWISTED_", "ASYNCIO_", "REACTOR_", "DNS", "LOG_")
PROCESS_KEYS = frozenset({"GOVAUDIT_HOSTS", "GOVAUDIT_ALLOW_PRIVATE", "GOVAUDIT_SITE_HOSTS"})


def process_settings(first: CrawlJob | Settings) -> Settings:
    """The process's settings: project defaults plus the process-wide keys of the first job.

    Scrapy merges the runner's settings into every Crawler it is given, replacing values of
    equal priority; a runner built from the first job's full settings would hand that job's
    GOVAUDIT_RUN_ID, store and limits to every other site (all sites written into run 1).
    """
    full = first if isinstance(first, Settings) else build_settings(first)
    s = Settings()
    s.setmodule(default_settings, priority="project")
    for key in full:
        if key.startswith(PROCESS_PREFIXES) or key in PROCESS_KEYS:
            s.set(key, full[key], priority=full.getpriority(key))
    return s


def site_hosts(sites) -> list[str]:
    """Every audited site's hosts (start host, extra hosts, each with and without www.).

    The resolver is one per process, so it must know all of them to tell a site's own
    intranet address from a link into someone else's."""
    hosts: set[str] = set()
    for start_url, extra_hosts in sites:
        hosts |= one_site_hosts(start_url, extra_hosts)
    return sorted(hosts)


def crawl_sites(jobs: list[CrawlJob], *, log_level: str = "WARNING", concurrent_sites: int = 4) -> dict[int, dict]:
    """Crawl every job, at most ``concurrent_sites`` at once; return Scrapy's stats per run id."""
    base = process_settings(jobs[0]) if jobs else Settings()
    base.set("LOG_LEVEL", log_level, priority="cmdline")
    base.set("GOVAUDIT_SITE_HOSTS", site_hosts((j.start_url, j.extra_hosts) for j in jobs), priority="cmdline")
    process = AsyncCrawlerProcess(base, install_root_handler=True)
    logging.getLogger("scrapy").setLevel(log_level)
    # A dead external host fails its robots.txt first; that failure is the dead_link finding, not a log error.
    logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
    results: dict[int, dict] = {}
    pending = list(jobs)

    def start_next() -> None:
        if not pending:
            return
        job = pending.pop(0)
        settings = build_settings(job)
        settings.set("LOG_LEVEL", log_level, priority="cmdline")
        crawler = Crawler(PortalSpider, settings)
        task = process.crawl(crawler, url=job.start_url)

        def done(_task, job=job, crawler=crawler) -> None:
            results[job.run_id] = dict(crawler.stats.get_stats() or {}) if crawler.stats else {}
            if not _task.cancelled() and _task.exception() is not None:
                results[job.run_id]["govaudit/exception"] = repr(_task.exception())
            if results[job.run_id].get("finish_reason") == "shutdown":
                pending.clear()  # stopped by a signal: start no other site (they stay resumable)
            start_next()  # joins before process.join() looks again: callbacks run in order

        task.add_done_callback(done)

    for _ in range(max(1, min(concurrent_sites, len(pending)))):
        start_next()
    process.start()
    for job in jobs:
        if job.job_dir:
            shutil.rmtree(Path(job.job_dir) / "scrapy", ignore_errors=True)
    return results
