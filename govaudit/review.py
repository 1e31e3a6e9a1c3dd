"""复核: read the 整改清单 units send back, re-check what they claim fixed, record appeals.

Each returned row is tied to the stored finding it was written from (site + problem type +
链接地址 in that month's inspection), never trusted by its own text: only URLs the
inspection stored are fetched again. A row whose 整改情况 claims a fix is re-checked now
(govaudit.recheck) and gets 属实 / 不属实 / 无法复核 with its evidence; a row saying the
finding is wrong (误报, 申请核减 + reason) becomes an appeal (govaudit.appeals) for the office
to accept or reject; anything else is recorded as no claim. Results go to the ``reviews``
table (one row per month and finding identity, replaced when the month is reviewed again).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from govaudit import appeals, history, recheck, returned, store

FIXED_CLAIM, APPEAL_CLAIM, NO_CLAIM = "fixed", "appeal", "none"
CLAIM_TITLES = {FIXED_CLAIM: "称已整改", APPEAL_CLAIM: "申请核减", NO_CLAIM: "未说明整改"}
#: Words that claim a fix; free text around them is allowed ("已于11月25日删除该链接").
FIXED_WORDS = re.compile(r"已(?:经)?(?:整改|修改|删除|更新|修复|处理|完成|恢复|替换|补充|标注|发布|解读|撤下|下线|更正|纠正|关闭|屏蔽|调整|上传|链接)"
                         r"|整改(?:完毕|完成|到位)|修复完成|完成整改|已于")
#: Words that dispute the finding: an appeal (核减) with the text as its reason.
APPEAL_WORDS = re.compile(r"误报|误判|申请核减|请求核减|建议核减|核减|不属实|不存在该问题|非本(?:单位|网站)|不属于本")
#: Words that deny a fix even when a fixed-word appears ("正在整改", "尚未更新").
NOT_YET = re.compile(r"未整改|尚未|暂未|还未|正在|整改中|无法整改|不能整改|待整改|待更新|待修改|待处理|计划于|计划在|将于|拟于")

Echo = Callable[[str], None]


def classify_claim(text: str) -> tuple[str, str]:
    """(claim, reason) for a 整改情况 cell: fixed, appeal (reason = the unit's words) or none."""
    t = re.sub(r"\s+", "", text or "")
    if not t:
        return NO_CLAIM, ""
    m = APPEAL_WORDS.search(t)
    if m:
        reason = re.sub(r"^[：:，,。；;、\s]+", "", t[m.end():]) or t
        return APPEAL_CLAIM, reason
    if FIXED_WORDS.search(t) and not NOT_YET.search(t):
        return FIXED_CLAIM, ""
    return NO_CLAIM, ""


def ensure_schema(db) -> None:
    """The ``reviews`` table: one row per reviewed month and finding identity."""
    if "reviews" not in db.table_names():
        db["reviews"].create(
            {
                "id": int,
                "month": str,  # the inspection month whose list was returned
                "site_id": str,  # the stable site id
                "site": str,  # display name
                "unit": str,
                "identity": str,  # the finding's stable identity (history.identity)
                "finding_id": int,  # findings.id in that month's run (changes if the month is rerun)
                "check": str,
                "url": str,
                "claim": str,  # fixed | appeal | none
                "claim_text": str,  # the unit's 整改情况 (and 备注) as written
                "conclusion": str,  # 属实 | 不属实 | 无法复核 | '' (appeal or no claim)
                "evidence": str,
                "data": str,  # JSON: status codes, dates found
                "checked_on": str,  # the re-check's as-of date
                "recorded_at": str,
                "source": str,  # file / sheet / row
            },
            pk="id",
        )
        db["reviews"].create_index(["month", "site_id", "identity"], unique=True)
        db["reviews"].create_index(["site"])
    appeals.ensure_schema(db)


def check_ids_by_title() -> dict[str, str]:
    """问题类型 as the lists print it (the registry's titles) -> check id."""
    from govaudit.checks import registry

    return {spec.title: check_id for check_id, spec in registry().items()}


def _norm_url(url: str) -> str:
    return (url or "").strip().rstrip("/").lower()


@dataclass
class Reviewed:
    """One returned row with its finding and what the review made of it."""

    row: returned.ReturnedRow
    site: str = ""
    unit: str = ""
    site_id: str = ""
    finding: dict | None = None
    claim: str = NO_CLAIM
    reason: str = ""
    conclusion: str = ""
    evidence: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def identity(self) -> str:
        return (self.finding or {}).get("identity", "")


@dataclass
class ReviewOutcome:
    month: str
    as_of: str
    items: list[Reviewed] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)

    def count(self, claim: str | None = None, conclusion: str | None = None) -> int:
        return sum(1 for i in self.items if (claim is None or i.claim == claim)
                   and (conclusion is None or i.conclusion == conclusion))


def month_problems(db, site, month: str) -> tuple[dict | None, list[dict]]:
    """The site's (audit.Site) inspection run of the month and its problems (with identities)."""
    run = next((r for r in history.inspection_runs(db, history.site_key(site)) if r["month"] == month), None)
    return run, (history.run_problems(db, run["id"]) if run else [])


def match(row: returned.ReturnedRow, problems: list[dict], titles: dict[str, str]) -> dict | None:
    """The stored finding a returned row was written from: type + 链接地址, else 链接地址 alone."""
    url = _norm_url(row.get("链接地址"))
    check = titles.get(row.get("问题类型").strip())
    if not url:
        return None
    same = [f for f in problems if _norm_url(f["url"]) == url]
    typed = [f for f in same if check and f["check"] == check]
    cands = typed or (same if not check else [])
    if len(cands) > 1 and row.get("问题描述"):
        exact = [f for f in cands if f.get("detail") == row.get("问题描述")]
        cands = exact or cands
    return cands[0] if cands else None


def review(cfg, db, *, month: str, files: list[str | Path], as_of: str, out_dir: Path | None = None,
           echo: Echo = print) -> ReviewOutcome:
    """Read the returned lists, re-check the claims, record reviews and appeals, write the outputs."""
    ensure_schema(db)
    outcome = ReviewOutcome(month=month, as_of=as_of)
    read = returned.read_all(list(files))
    outcome.problems.extend(read.problems)
    titles = check_ids_by_title()
    sites = {s.name: s for s in cfg.sites}
    cache: dict[str, tuple[dict | None, list[dict]]] = {}
    fetchers: dict[str, recheck.Fetcher] = {}
    timeout = float((cfg.config.get("review") or {}).get("timeout", 20))
    allow_private = str((cfg.config.get("crawl") or {}).get("allow_private", "auto")).lower() in ("true", "1", "yes")
    seen: dict[str, Reviewed] = {}
    day = date.fromisoformat(as_of)
    for row in read.rows:
        item = Reviewed(row=row, site=row.get("网站名称"))
        item.claim, item.reason = classify_claim(" ".join(filter(None, [row.get("整改情况"), row.get("备注")])))
        if item.claim == NO_CLAIM and not row.get("整改情况"):
            continue  # the unit said nothing about this row
        site = sites.get(item.site)
        if site is None:
            outcome.problems.append(f"{row.where}：网站名称“{item.site}”不在配置的网站中，未复核")
            continue
        item.unit = site.unit
        if item.site not in cache:
            cache[item.site] = month_problems(db, site, month)
        run, problems = cache[item.site]
        if run is None:
            outcome.problems.append(f"{row.where}：数据库中没有“{item.site}”{month} 的检查结果，未复核")
            continue
        item.site_id = run.get("site_id") or ""
        item.finding = match(row, problems, titles)
        if item.finding is None:
            item.conclusion = recheck.UNKNOWN if item.claim == FIXED_CLAIM else ""
            item.evidence = f"未在 {month} 检查结果中找到对应问题（{row.get('问题类型')} {row.get('链接地址')}）"
            outcome.problems.append(f"{row.where}：{item.evidence}")
            outcome.items.append(item)
            continue
        if item.claim == FIXED_CLAIM:
            hosts = {urlsplit(site.url).hostname or ""} | set(site.extra_hosts or [])
            fetcher = fetchers.get(site.name)
            if fetcher is None:
                fetcher = fetchers[site.name] = recheck.Fetcher(hosts, timeout=timeout, allow_private=allow_private)
            res = recheck.recheck(item.finding, fetcher, day, cfg.site_config(site))
            item.conclusion, item.evidence, item.data = res.conclusion, res.evidence, res.data
        elif item.claim == APPEAL_CLAIM:
            item.evidence = "单位申请核减，待审定"
        key = f"{item.site_id}|{item.identity}"
        if key in seen:
            outcome.problems.append(f"{row.where}：与 {seen[key].row.where} 为同一问题，以后者为准")
            outcome.items.remove(seen[key])
        seen[key] = item
        outcome.items.append(item)
    save(db, outcome)
    for item in outcome.items:
        if item.claim == APPEAL_CLAIM and item.finding is not None:
            appeals.file(db, item.finding, month=month, reason=item.reason, source=item.row.where)
    echo(f"读取整改清单 {len(files)} 份，填报整改情况 {len(outcome.items)} 条：称已整改 {outcome.count(FIXED_CLAIM)} 条"
         f"（属实 {outcome.count(FIXED_CLAIM, recheck.TRUE)}、不属实 {outcome.count(FIXED_CLAIM, recheck.FALSE)}、"
         f"无法复核 {outcome.count(FIXED_CLAIM, recheck.UNKNOWN)}），申请核减 {outcome.count(APPEAL_CLAIM)} 条")
    if out_dir is not None:
        from govaudit import review_report

        outcome.files = review_report.write(out_dir, outcome, db)
    return outcome


def save(db, outcome: ReviewOutcome) -> None:
    """Upsert the month's reviews by identity in one transaction."""
    now = store.now_iso()
    rows = []
    for item in outcome.items:
        if item.finding is None:
            continue
        f = item.finding
        rows.append({
            "month": outcome.month, "site_id": item.site_id, "site": item.site, "unit": item.unit, "identity": item.identity,
            "finding_id": f.get("id"), "check": f["check"], "url": f["url"], "claim": item.claim,
            "claim_text": " ".join(filter(None, [item.row.get("整改情况"), item.row.get("备注")])),
            "conclusion": item.conclusion, "evidence": item.evidence,
            "data": json.dumps(item.data, ensure_ascii=False, default=str), "checked_on": outcome.as_of,
            "recorded_at": now, "source": item.row.where,
        })
    if not rows:
        return
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany(
            "INSERT INTO reviews (month, site_id, site, unit, identity, finding_id, [check], url, claim, claim_text, conclusion, "
            "evidence, data, checked_on, recorded_at, source) VALUES (:month, :site_id, :site, :unit, :identity, :finding_id, "
            ":check, :url, :claim, :claim_text, :conclusion, :evidence, :data, :checked_on, :recorded_at, :source) "
            "ON CONFLICT(month, site_id, identity) DO UPDATE SET claim = excluded.claim, claim_text = excluded.claim_text, "
            "conclusion = excluded.conclusion, evidence = excluded.evidence, data = excluded.data, "
            "checked_on = excluded.checked_on, recorded_at = excluded.recorded_at, source = excluded.source, "
            "finding_id = excluded.finding_id", rows)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def site_reviews(db, site: str) -> list[dict]:
    """A site's (id or name) reviews, newest month first, for `govaudit history`."""
    if "reviews" not in db.table_names():
        return []
    return list(db.query("SELECT * FROM reviews WHERE site_id = ? ORDER BY month DESC, id", [history.resolve_site(db, site)]))


def annotate(db, report) -> int:
    """Mark each still-open problem that a unit claimed fixed and the 复核 found 不属实.

    The next notice says so beside the problem (``review`` on the SiteMonth problem dict: the
    reviews row); returns how many were marked.
    """
    if "reviews" not in db.table_names():
        return 0
    n = 0
    for sm in report:
        rows = {r["identity"]: r for r in db.query(
            "SELECT * FROM reviews WHERE site_id = ? AND month < ? AND claim = 'fixed' ORDER BY month",
            [sm.run.get("site_id") or "", sm.run["month"]])}
        for f in sm.problems:
            r = rows.get(f.get("identity"))
            if r is not None and r["conclusion"] == recheck.FALSE and f.get("status") == history.OPEN:
                f["review"] = r
                n += 1
    return n
