"""The content facts of a stored crawl (issue 12), read once for the content checks.

The crawler (crawler/content.py) stores, per HTML page, ``facts["content"]``: a dict with only
the kinds it found on that page —

    privacy   [PrivacyFinding.as_dict()]  masked samples only, never a full number
    wording   [WordingHit.as_dict()]      found without a date; reform dates are applied here
    hidden    [HiddenLink.as_dict()]
    messages  [Message.as_dict()]
    channels  [[anchor text, url]]        links into a consultation channel

— and an empty dict on pages where nothing was found, so "was this crawl read for content" has an
answer (old crawls have no ``content`` key at all: the checks then say nothing rather than "none
found"). Attachments read for personal data are rows of the ``attachments`` table.

Pages are selected in SQL by a plain substring test on the facts text (``instr``), which costs a
memchr per row; only the few matching rows are decoded.
"""
from __future__ import annotations

import json
from typing import Any, Iterator

from .crawl import Crawl

RULE_2019 = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"

KEYS = ("privacy", "wording", "hidden", "messages", "channels")

#: Work budgets (crawler/budgets.py) whose hits leave some of the site's own pages unread.
PAGE_BUDGETS = {"pages": "页面数", "list_pages": "栏目分页数", "links_per_page": "单页链接数", "query_variants": "查询参数组合"}


def content_pages(crawl: Crawl, key: str) -> Iterator[dict[str, Any]]:
    """Pages whose content facts hold ``key``: url, final_url, title, is_home, kind, pub_date, meta,
    breadcrumb and ``value`` (the decoded list), in crawl order."""
    assert key in KEYS
    fields = ("url, final_url, title, is_home, kind, meta, json_extract(facts, '$.pub_date') AS pub_date, "
              "json_extract(facts, '$.breadcrumb') AS breadcrumb, "
              f"json_extract(facts, '$.content.{key}') AS value")
    where = f"instr(facts, '\"{key}\": ') > 0 AND json_extract(facts, '$.content.{key}') IS NOT NULL"
    for row in crawl.pages(where=where, fields=fields):
        row["value"] = json.loads(row["value"] or "[]")
        row["breadcrumb"] = json.loads(row["breadcrumb"] or "[]") if isinstance(row.get("breadcrumb"), str) else (row.get("breadcrumb") or [])
        if row["value"]:
            yield row


def scanned(crawl: Crawl) -> bool:
    """True when the crawl stored content facts (a crawl of an older version has none)."""
    row = next(iter(crawl.db.query(
        "SELECT 1 AS x FROM pages WHERE run_id = ? AND instr(facts, '\"content\": ') > 0 LIMIT 1", [crawl.run_id])), None)
    return row is not None


def attachments(crawl: Crawl) -> list[dict[str, Any]]:
    """Rows of the ``attachments`` table for this run (privacy decoded); [] for older stores."""
    if "attachments" not in crawl.db.table_names():
        return []
    out = []
    for r in crawl.db.query("SELECT * FROM attachments WHERE run_id = ? ORDER BY rowid", [crawl.run_id]):
        r["privacy"] = json.loads(r["privacy"] or "[]")
        out.append(r)
    return out


def setting(crawl: Crawl, section: str, key: str, default: Any) -> Any:
    """``content.<section>.<key>`` from the run's config, with the shipped default."""
    value = crawl.setting("content", section, key, default=None)
    return default if value is None else value


def found_on(crawl: Crawl, url: str, limit: int = 20) -> tuple[list[str], int]:
    """Pages linking ``url`` (home pages first), at most ``limit``, and how many there are."""
    rows = crawl.links_to([url]).get(url, [])
    pages = list(dict.fromkeys(r["source"] for r in rows))
    return pages[:limit], len(pages)


def run_complete(crawl: Crawl) -> tuple[bool, str]:
    """(complete, why not): the crawl finished normally and hit no page limit, so an absence
    (no message channel anywhere) can be stated."""
    run = crawl.run
    stats = run.get("stats")
    stats = json.loads(stats) if isinstance(stats, str) and stats else (stats or {})
    if run.get("status") not in ("crawled", "complete"):
        return False, "本次抓取未正常完成"
    if stats.get("start_error") or "robots.txt" in str(stats.get("truncated") or ""):
        return False, "本次未能完整检查网站内容"
    cut = [b for b in (stats.get("budgets") or {}) if b in PAGE_BUDGETS]
    if cut:  # some of the site's own pages were not read (a failing external host does not matter here)
        return False, f"抓取触及页面工作量上限（{'、'.join(PAGE_BUDGETS[b] for b in cut)}）"
    reason = stats.get("finish_reason")
    if reason not in (None, "finished"):
        return False, f"抓取提前结束（{reason}）"
    max_pages = crawl.setting("crawl", "max_pages", default=None)
    if max_pages and int(stats.get("pages") or 0) >= int(max_pages):
        return False, f"抓取达到页面数上限（{max_pages}）"
    return True, ""
