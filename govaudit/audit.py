"""One site, start to finish: crawl into the store, run the checks, write the reports.

`govaudit audit` is this for one URL; `govaudit inspect` is this for every configured site.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils.db import NotFoundError

from govaudit import store
from govaudit.checks import Crawl, inventories, run_checks
from govaudit.crawler.links import normalize_url
from govaudit.crawler.run import CrawlJob
from govaudit.crawler.budgets import budget_note, hits as budget_hits


@dataclass
class Site:
    name: str
    url: str
    unit: str = ""
    contacts: list[str] = field(default_factory=list)
    extra_hosts: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)  # per-site overrides (columns, …)
    id: str = ""  # stable site id keying its history (sites[].id); "" = the start URL's host


#: A start URL typed without scheme: a host name with a dot (or localhost / an IP) and a path.
_BARE = re.compile(r"^(?:[\w-]+(?:\.[\w-]+)+|localhost|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:/(?!/)\S*)?$")
_HOST = re.compile(r"^(?:[\w-]+(?:\.[\w-]+)*\.?|\[?[0-9A-Fa-f:.]+\]?)$")


def validate_url(url: str) -> str:
    """The start URL, normalised; ValueError with a message for people otherwise.

    A typo here must not become a veto (站点无法访问): `htp//…`, `http:/…` or `http//…` are
    refused, not read as a host called "htp" or "http"."""
    raw = url
    url = (url or "").strip()
    hint = "应为 http:// 或 https:// 开头、含主机名的网址，如 https://www.example.gov.cn/"
    if not url or any(c.isspace() for c in url):
        raise ValueError(f"起始网址无效：“{raw}”（不能为空或包含空白字符；{hint}）")
    if "://" not in url:
        if not _BARE.match(url):
            raise ValueError(f"起始网址无效：“{raw}”（{hint}）")
        url = "http://" + url
    parts = urlsplit(url)
    try:
        parts.port
    except ValueError:
        raise ValueError(f"起始网址无效：“{raw}”（端口号错误；{hint}）") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"起始网址无效：“{raw}”（协议“{parts.scheme}”不受支持；{hint}）")
    if not parts.hostname or not _HOST.match(parts.hostname):
        raise ValueError(f"起始网址无效：“{raw}”（缺少或无法识别主机名；{hint}）")
    return normalize_url(url)


def crawl_overrides(crawl_cfg: dict[str, Any]) -> dict[str, Any]:
    """Scrapy settings from the `crawl:` config section."""
    out: dict[str, Any] = {}
    mapping = {
        "max_pages": "GOVAUDIT_MAX_PAGES",
        "max_depth": "GOVAUDIT_MAX_DEPTH",
        "max_url_length": "GOVAUDIT_MAX_URL_LENGTH",
        "max_query_variants": "GOVAUDIT_MAX_QUERY_VARIANTS",
        "concurrency": "CONCURRENT_REQUESTS_PER_DOMAIN",
        "delay": "DOWNLOAD_DELAY",
        "timeout": "DOWNLOAD_TIMEOUT",
        "check_external": "GOVAUDIT_CHECK_EXTERNAL",
        "allow_private": "GOVAUDIT_ALLOW_PRIVATE",
        "retry_backoff": "GOVAUDIT_RETRY_BACKOFF",
        "obey_robots": "ROBOTSTXT_OBEY",
        "progress_interval": "GOVAUDIT_PROGRESS_INTERVAL",
        "render": "GOVAUDIT_RENDER",
        "render_budget": "GOVAUDIT_RENDER_BUDGET",
        "render_timeout": "GOVAUDIT_RENDER_TIMEOUT",
        "render_allow_hosts": "GOVAUDIT_RENDER_ALLOW_HOSTS",
        "store_timeout": "GOVAUDIT_STORE_TIMEOUT",
        "start_retry_delay": "GOVAUDIT_START_RETRY_DELAY",
        "search": "GOVAUDIT_SEARCH_PROBE",
    }
    for key, setting in mapping.items():
        if crawl_cfg.get(key) is not None:
            out[setting] = crawl_cfg[key]
    if "concurrency" in crawl_cfg:
        out["CONCURRENT_REQUESTS"] = max(16, int(crawl_cfg["concurrency"]) * 4)
    if crawl_cfg.get("hosts"):
        out["GOVAUDIT_HOSTS"] = dict(crawl_cfg["hosts"])
    if crawl_cfg.get("offline_dns"):
        out["TWISTED_DNS_RESOLVER"] = "govaudit.crawler.resolver.HostsResolver"
    if crawl_cfg.get("max_bytes"):
        out["DOWNLOAD_MAXSIZE"] = int(crawl_cfg["max_bytes"])
    for key, value in (crawl_cfg.get("scrapy") or {}).items():
        out[key] = value  # raw Scrapy settings, for experts
    return out


def new_job(db, site: Site, *, db_path: str, as_of: str, month: str, crawl_cfg: dict, job_dir: str | None,
            resume_run: int | None = None, content_cfg: dict | None = None) -> CrawlJob:
    if resume_run is None:
        run_id = store.create_run(
            db, site=site.name, unit=site.unit, start_url=site.url, host=urlsplit(site.url).hostname or "",
            as_of=as_of, month=month, settings={"crawl": crawl_cfg, "extra_hosts": site.extra_hosts},
            site_id=site.id,
        )
    else:
        run_id = resume_run
        db["runs"].update(run_id, {"status": "running"})
    return CrawlJob(
        start_url=site.url, run_id=run_id, db_path=db_path, as_of=as_of, extra_hosts=site.extra_hosts,
        job_dir=job_dir, resume=resume_run is not None,
        # the `content:` section reaches the crawler's content components (crawler/content.py)
        overrides={**crawl_overrides(crawl_cfg), "GOVAUDIT_CONTENT": dict(content_cfg or {})},
    )


def run_stats(db, run_id: int, scrapy_stats: dict | None) -> dict[str, Any]:
    """Figures for the report, from the store (not from what the crawler believed)."""
    one = lambda sql: next(iter(db.query(sql, [run_id])))["n"]  # noqa: E731
    stats: dict[str, Any] = {
        "fetched": one("SELECT count(*) AS n FROM fetches WHERE run_id = ?"),
        "pages": one("SELECT count(*) AS n FROM pages WHERE run_id = ?"),
        "links": one("SELECT count(*) AS n FROM links WHERE run_id = ?"),
        "errors": one("SELECT count(*) AS n FROM fetches WHERE run_id = ? AND error_class IS NOT NULL"),
    }
    s = scrapy_stats or {}
    stats["finish_reason"] = s.get("finish_reason")
    stats["elapsed_s"] = round(float(s.get("elapsed_time_seconds") or 0), 1)
    stats["requests"] = s.get("downloader/request_count", 0)
    stats["retries"] = s.get("retry/count", 0)
    if s.get("govaudit/exception"):
        stats["exception"] = s["govaudit/exception"]
    if budget_hits(s):
        stats["budgets"] = budget_hits(s)
    if isinstance(s.get("govaudit/ipv6"), dict):
        stats["ipv6"] = s["govaudit/ipv6"]  # measured by the crawl (crawler/ipv6_probe.py), read by no_ipv6
    if isinstance(s.get("govaudit/search"), dict):
        stats["search"] = s["govaudit/search"]  # tried by the crawl (crawler/search_probe.py), read by search_broken
    return stats


def start_problem(db, run_id: int, start_url: str) -> str | None:
    """Why the start URL could not be read, or None when it was."""
    try:
        row = db["fetches"].get((run_id, start_url))
    except NotFoundError:
        return "未能获取起始页面"
    if row is None:
        return "未能获取起始页面"
    from govaudit.crawler.errors import ERROR_LABELS

    if row.get("error_class") == "robots":
        return None  # reported as a blocked site, see finish()
    if row.get("error_class"):
        # A classified failure is said in Chinese only: the Twisted text would end up in the 通报.
        if row["error_class"] in ERROR_LABELS and row["error_class"] != "error":
            return ERROR_LABELS[row["error_class"]]
        return f"{ERROR_LABELS['error']}（{(row.get('error') or '')[:120]}）"
    if row.get("status") and row["status"] >= 400:
        return f"起始页面返回 HTTP {row['status']}"
    return None


def finish(db, run_id: int, scrapy_stats: dict | None) -> dict[str, Any]:
    run = store.get_run(db, run_id)
    stats = run_stats(db, run_id, scrapy_stats)
    problem = start_problem(db, run_id, run["start_url"])
    if problem:
        stats["start_error"] = problem
    robots = next(iter(db.query("SELECT error_class FROM fetches WHERE run_id = ? AND url = ?", [run_id, run["start_url"]])), None)
    if robots and robots["error_class"] == "robots":
        stats["truncated"] = "网站 robots.txt 禁止抓取首页，本次未能检查网站内容（可在配置中设置 obey_robots: false 后复查）"
    elif (scrapy_stats or {}).get("robotstxt/forbidden"):
        stats["robots_forbidden"] = scrapy_stats["robotstxt/forbidden"]
    note = budget_note(scrapy_stats)
    if note:  # a bounded crawl says so, or a missing finding reads as "no problem"
        stats["truncated"] = " ".join(x for x in (stats.get("truncated"), note) if x)
    reason = stats.get("finish_reason")
    # "crawled", not "complete": a run only counts once its checks are stored (check_run).
    status = "crawled" if crawl_completed(scrapy_stats) else "interrupted"
    if scrapy_stats is None and stats["fetched"] == 0:
        status = "failed"
    if (scrapy_stats or {}).get("govaudit/store_error"):
        stats["store_error"] = scrapy_stats["govaudit/store_error"]
    if status == "interrupted":
        stats["interrupted"] = interruption_text(reason, stats.get("exception"), stats.get("store_error"))
    store.finish_run(db, run_id, status, stats)
    return stats


def crawl_completed(scrapy_stats: dict | None) -> bool:
    """Whether the crawler ran to its end (or to a configured limit) without an error.

    A signal (finish_reason "shutdown"), a crash or a store write error is not an end: such a
    run never replaces a complete one and is continued with --resume."""
    s = scrapy_stats or {}
    reason = s.get("finish_reason")
    if s.get("govaudit/exception") or s.get("govaudit/store_error"):
        return False
    if s.get("govaudit/store_rows_received", 0) != s.get("govaudit/store_rows_written", 0):
        return False  # rows the crawl produced that are not in the store
    return reason == "finished" or str(reason).startswith("closespider")


def interruption_text(reason: str | None, exception: str | None = None, store_error: str | None = None) -> str:
    """Why a crawl stopped early, for people."""
    if store_error:
        return f"检查被中断（数据库写入失败：{store_error}；未写入的页面不计为已检查，排除故障后可继续）"
    if reason == "shutdown":
        return "检查被中断（收到停止信号）"
    if reason == "not_started":
        return "检查被中断（尚未开始抓取）"
    if reason == "store_error":
        return "检查被中断（数据库写入失败）"
    if exception:
        return f"检查被中断（程序错误：{exception[:120]}）"
    return f"检查被中断（{reason or '原因不明'}）"


def completed(run: dict) -> bool:
    return run.get("status") == "complete"


def check_run(db, run_id: int, config: dict[str, Any]) -> list[dict]:
    """Run the checks over a stored run and keep their findings (atomically)."""
    crawl = Crawl(db, run_id, config)
    findings = run_checks(crawl)
    store.replace_findings(db, run_id, findings)
    store.save_inventory(db, run_id, inventories(crawl))
    if store.get_run(db, run_id)["status"] == "crawled":
        db["runs"].update(run_id, {"status": "complete"})
    return store.run_findings(db, run_id)


def summary_line(findings: list[dict]) -> str:
    from collections import Counter

    from govaudit.reports.labels import check_title

    # Prompts (info, 需人工核实) are not problems: "不支持IPv6访问 1 项" for an IPv6 check that
    # could not be made would read as an accusation.
    counts = Counter(f["check"] for f in findings if f.get("severity") != "info")
    prompts = sum(1 for f in findings if f.get("severity") == "info")
    if not counts and not prompts:
        return "未发现问题"
    parts = [f"{check_title(c)} {n} 项" for c, n in counts.most_common()] or ["未发现确定的问题"]
    if prompts:
        parts.append(f"另有需人工核实的提示 {prompts} 项")
    return "；".join(parts)


def load_stats(run: dict) -> dict:
    return json.loads(run.get("stats") or "{}")
