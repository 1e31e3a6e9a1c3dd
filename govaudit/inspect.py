"""The monthly inspection: audit every configured site, keep one run per site per month,
then write the month's 通报, 整改清单 and chart, and mail each unit its list.

All sites are crawled in one ``crawl_sites`` call (the reactor cannot restart), a few at a
time (inspect.concurrent_sites), each with the polite per-host limits of the crawl settings.
A month's new run replaces the month's old one only after it is finished and checked, so an
aborted rerun never loses the month's results.
"""
from __future__ import annotations

import calendar
import json
import re
import signal
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from govaudit import history, store
from govaudit.audit import Site, check_run, completed, finish, new_job
from govaudit.config.sites import SitesConfig

Echo = Callable[[str], None]


def parse_month(value: str) -> str:
    """'2026-11' (also 2026-1, 2026/11); ValueError with a message for people otherwise."""
    m = re.fullmatch(r"\s*(\d{4})[-/.](\d{1,2})\s*", value or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"月份格式应为 YYYY-MM，收到“{value}”")
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def default_as_of(month: str, today: date | None = None) -> date:
    """Today within the month; the month's last day for a past month."""
    today = today or date.today()
    y, m = map(int, month.split("-"))
    first, last = date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    if today < first:
        raise ValueError(f"{month} 尚未开始，无法检查；请用 --as-of 指定基准日")
    return min(today, last)


def select_sites(cfg: SitesConfig, only: list[str]) -> list[Site]:
    """The sites named by --only (names may be comma separated), or all."""
    names = [n.strip() for item in only for n in re.split(r"[,，、]", item) if n.strip()]
    if not names:
        return list(cfg.sites)
    by_name = {s.name: s for s in cfg.sites}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise ValueError(f"配置中没有网站：{'、'.join(unknown)}（已配置：{'、'.join(by_name)}）")
    return [by_name[n] for n in dict.fromkeys(names)]


def unreachable_finding(site: Site, run: dict, problem: str) -> dict:
    from govaudit.checks import site_unreachable

    return site_unreachable.finding(site.name, run["start_url"], problem)


def supersede(db, site: str, month: str, keep: int) -> list[int]:
    """Delete the site's other inspection runs of the month: a rerun replaces, never adds."""
    old = [r["id"] for r in db.query(
        "SELECT id FROM runs WHERE site = ? AND month = ? AND id != ? AND json_extract(settings, '$.inspect') IS NOT NULL",
        [site, month, keep])]
    for run_id in old:
        store.delete_run(db, run_id)
    return old


def crawl_config(cfg: SitesConfig, site: Site) -> dict[str, Any]:
    crawl = cfg.crawl_config(site)
    if "progress_interval" not in (cfg.config.get("crawl") or {}) | (site.config.get("crawl") or {}):
        crawl["progress_interval"] = 0  # progress lines do not name the site; several run at once
    return crawl


class InspectionInterrupted(Exception):
    """The month's inspection did not complete: no notice, no mail; `inspect --resume` goes on."""

    def __init__(self, sites: list[str], reason: str = "") -> None:
        self.sites, self.reason = sites, reason
        super().__init__(reason or "、".join(sites))


class Signalled(BaseException):
    """SIGINT/SIGTERM outside the crawl (Scrapy handles them during it)."""


def _raise_on_signal(signum, frame) -> None:  # noqa: ARG001
    raise Signalled(signum)


def install_signal_handlers() -> None:
    """Make SIGINT/SIGTERM stop the inspection outside the crawl too.

    Scrapy's own handlers stay installed after its loop has ended and then do nothing, so a
    SIGTERM while the notice is written or mail is sent would otherwise be swallowed."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(sig, _raise_on_signal)
        except ValueError:  # not the main thread (tests calling inspect() directly)
            pass


def resumable_run(db, site: str, month: str) -> tuple[dict | None, dict | None]:
    """The site's newest complete inspection run of the month, and a newer unfinished one."""
    complete = unfinished = None
    for r in db.query("SELECT * FROM runs WHERE site = ? AND month = ? AND json_extract(settings, '$.inspect') IS NOT NULL"
                      " ORDER BY id", [site, month]):
        if r["status"] == "complete":
            complete, unfinished = r, None
        else:
            unfinished = r
    return complete, unfinished


def queue_dir(db_path: str, month: str, n: int) -> Path:
    """Scratch space for a site's crawl queue: in the temp dir, never the user's current folder, under a
    name fixed by the store and month so that `inspect --resume` finds the interrupted queue again."""
    import hashlib

    key = hashlib.sha1(str(Path(db_path).resolve()).encode("utf-8")).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / "govaudit-queues" / key / f"{month}-{n}"


def audit_sites(db, db_path: str, cfg: SitesConfig, sites: list[Site], *, month: str, as_of: str,
                echo: Echo, redis_url: str | None = None, workers: int = 2, resume: bool = False) -> dict[str, int]:
    """Crawl and check the sites; return the new run id per site name.

    A site's new run replaces the month's older runs only when it completed: an interrupted
    rerun leaves the finished month as it was. With ``resume`` a site's unfinished run is
    continued, and a site already complete this month is not crawled again.
    """
    from govaudit.crawler.run import crawl_sites

    jobs = {}
    for site in sites:
        crawl = crawl_config(cfg, site)
        resume_run, site_as_of = None, as_of
        if resume:
            complete, unfinished = resumable_run(db, site.name, month)
            if unfinished is None and complete is not None:
                echo(f"  {site.name}：本月检查已完成，不再重复抓取")
                continue
            if unfinished is not None:
                resume_run, site_as_of = unfinished["id"], unfinished["as_of"]
                if site_as_of != as_of:
                    echo(f"  {site.name}：按中断检查的基准日 {site_as_of} 继续")
        job = new_job(db, site, db_path=db_path, as_of=site_as_of, month=month,
                      crawl_cfg=crawl, resume_run=resume_run,
                      job_dir=str(queue_dir(db_path, month, len(jobs))),
                      content_cfg=cfg.config.get("content"))
        settings = json.loads(store.get_run(db, job.run_id)["settings"] or "{}")
        settings["inspect"] = month
        db["runs"].update(job.run_id, {"settings": json.dumps(settings, ensure_ascii=False, default=str)})
        jobs[site.name] = job
    if not jobs:
        return {}
    n = int(cfg.inspect.get("concurrent_sites", 4))
    echo(f"{'继续' if resume else '开始'}检查 {len(jobs)} 个网站（{month}，基准日 {as_of}，同时检查 {min(n, len(jobs))} 个）")
    if redis_url:
        from govaudit.crawler.distributed import coordinate

        results = coordinate(list(jobs.values()), redis_url, workers, say=echo)
    else:
        results = crawl_sites(list(jobs.values()), log_level="ERROR", concurrent_sites=n)
    install_signal_handlers()
    unfinished_sites = []
    for site in sites:
        if site.name not in jobs:
            continue
        run_id = jobs[site.name].run_id
        # A site without a result never ran (the crawl was stopped before its turn).
        stats = finish(db, run_id, results.get(run_id) or {"finish_reason": "not_started"})
        findings = check_run(db, run_id, cfg.site_config(site))
        run = store.get_run(db, run_id)
        if not completed(run):
            unfinished_sites.append(site.name)
            echo(f"  {site.name}：{stats.get('interrupted') or '检查未完成'}，已抓取的内容已保存；本月原有结果保留不变")
            continue
        if stats.get("start_error"):
            # Nothing of the site was read: the other checks would only echo that.
            findings = [unreachable_finding(site, run, stats["start_error"])]
            store.replace_findings(db, run_id, findings)
        supersede(db, site.name, month, run_id)
        history.rebuild(db, site.name)
        problems = [f for f in findings if f.get("severity") != "info"]
        note = f"无法访问：{stats['start_error']}" if stats.get("start_error") else f"发现问题 {len(problems)} 个"
        echo(f"  {site.name}：本站页面 {stats.get('pages', 0)} 个，{note}")
    if unfinished_sites:
        raise InspectionInterrupted(unfinished_sites)
    return {name: job.run_id for name, job in jobs.items()}


@dataclass
class Outcome:
    month: str
    as_of: str
    out_dir: Path
    files: dict[str, Any] = field(default_factory=dict)
    deliveries: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # selected sites without a run this month

    @property
    def failed_deliveries(self) -> list[dict]:
        return [d for d in self.deliveries if d["status"] == "failed"]


def inspect(cfg: SitesConfig, *, month: str, as_of: str, out_dir: Path, db_path: Path, only: list[str],
            send: bool, crawl: bool = True, seq: int | None = None, echo: Echo = print,
            env: dict[str, str] | None = None, redis_url: str | None = None, workers: int = 2,
            resume: bool = False) -> Outcome:
    """The whole monthly run; see the module docstring.

    Raises InspectionInterrupted, before any notice is written or mail sent, when a site's
    crawl did not complete or the process is signalled (SIGINT/SIGTERM) at any point."""
    from govaudit.reports import chart, mailer, notice, rectification

    sites = select_sites(cfg, only)
    install_signal_handlers()
    try:
        return _inspect(cfg, sites, month=month, as_of=as_of, out_dir=out_dir, db_path=db_path, send=send, crawl=crawl,
                        seq=seq, echo=echo, env=env, redis_url=redis_url, workers=workers, resume=resume,
                        modules=(chart, mailer, notice, rectification))
    except Signalled:
        raise InspectionInterrupted([], "检查被中断（收到停止信号）") from None


def _inspect(cfg: SitesConfig, sites: list[Site], *, month: str, as_of: str, out_dir: Path, db_path: Path, send: bool,
             crawl: bool, seq: int | None, echo: Echo, env: dict[str, str] | None, redis_url: str | None, workers: int,
             resume: bool, modules) -> Outcome:
    from govaudit import escalation, review

    chart, mailer, notice, rectification = modules
    db = store.open_db(db_path)
    if crawl:
        audit_sites(db, str(db_path), cfg, sites, month=month, as_of=as_of, echo=echo, redis_url=redis_url,
                    workers=workers, resume=resume)
    report = history.month_report(db, cfg.sites, month)
    if not report:
        raise ValueError(f"数据库 {db_path} 中没有 {month} 的检查结果；请先不带 --no-crawl 运行")
    from govaudit import month_score

    month_score.attach(db, cfg, report)  # score sheet and availability week, read by every document below
    have = {sm.name for sm in report}
    if not crawl:
        as_of = max(sm.run["as_of"] for sm in report)  # the stored runs decide, not today
    outcome = Outcome(month=month, as_of=as_of, out_dir=out_dir, missing=[s.name for s in sites if s.name not in have])
    out_dir.mkdir(parents=True, exist_ok=True)
    trend = history.trend(db, cfg.sites, month)
    holidays = (cfg.config.get("documents") or {}).get("holidays") or []
    review.annotate(db, report)  # claimed fixed, found not fixed on 复核: the notice says so
    data = notice.notice_data(report, trend, cfg.notice, month=month, as_of=as_of, seq=seq, holidays=holidays,
                              escalate_months=escalation.threshold(cfg.config))
    png = chart.summary_chart(report, trend, month)
    outcome.files["chart"] = chart.write_chart(out_dir, png, month)
    if (cfg.config.get("evidence") or {}).get("enabled"):
        from govaudit import evidence

        data["evidence"] = evidence.month_evidence(cfg, report, out_dir, echo)  # before the lists: they link it
        data["evidence_limit"] = int(cfg.config["evidence"].get("notice_limit", 10))
    outcome.files["lists"] = rectification.write_lists(out_dir, report, data)
    data["attachments"] = [{"unit": u, "file": p.name} for u, p in outcome.files["lists"].items()]
    outcome.files.update(notice.write_notice(out_dir, data, png))
    if cfg.inspect.get("site_reports", True):
        outcome.files["site_reports"] = notice.write_site_reports(out_dir, db, report)
    messages = mailer.unit_messages(report, data, outcome.files["lists"], cfg, sites_selected={s.unit for s in sites})
    sender = (cfg.smtp or {}).get("sender", "")
    if send:
        outcome.deliveries = mailer.deliver(db, cfg.smtp or {}, messages, month=month, issuer=cfg.notice["issuer"],
                                            env=env, echo=echo)
    else:
        outcome.files["mail"] = mailer.write_drafts(out_dir / "mail", messages, sender=sender, sender_name=cfg.notice["issuer"])
    summary = notice.summary_json(data, outcome)
    (out_dir / "inspect.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    outcome.files["json"] = out_dir / "inspect.json"
    return outcome
