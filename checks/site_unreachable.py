"""站点无法访问: the start URL could not be read during a monthly inspection.

Nothing of the site was read, so the inspection keeps only this finding (the other checks
would only echo it). A plain ``govaudit audit`` says so on the console instead and keeps its
findings as they were; only runs of ``govaudit inspect`` (settings carry ``inspect``) yield it.
"""
from __future__ import annotations

import json
from typing import Iterable

from .crawl import Crawl
from .spec import CheckSpec
from .wording import fixed


def finding(site: str, start_url: str, problem: str) -> dict:
    """The finding for a site whose start URL failed with `problem` (audit.start_problem)."""
    return {
        "site": site,
        "check": CHECK.id,
        "url": start_url,
        "found_on": [start_url],
        "severity": "veto",
        "detail": f"检查期间网站无法访问（{problem.split('（')[0]}）",
        "data": {"start_error": problem},
    }


def run(crawl: Crawl) -> Iterable[dict]:
    run = crawl.run
    stats = json.loads(run.get("stats") or "{}") if isinstance(run.get("stats"), str) else (run.get("stats") or {})
    settings = json.loads(run.get("settings") or "{}") if isinstance(run.get("settings"), str) else (run.get("settings") or {})
    if stats.get("start_error") and settings.get("inspect"):
        yield finding(crawl.site, run["start_url"], stats["start_error"])


CHECK = CheckSpec(
    id="site_unreachable", title="站点无法访问", run=run, order=10, veto=True,
    hint="月度检查时起始网址无法访问（域名无法解析、连接被拒绝、超时、返回错误等）；`veto`。",
    where=fixed("网站首页（起始网址）"), needs_full_run=False,
)
