"""The monthly 通报: figures from the store, written as .html (with the chart) and .docx.

`notice_data` computes every number once and notice_blocks writes every sentence once (as
typed blocks); the HTML and Word writers only lay the blocks out, so the two documents can
never disagree. The .docx follows the
usual layout of official documents (GB/T 9704: A4, 仿宋三号 body, 小标宋二号 title,
28-point lines), because offices edit and print that one.
"""
from __future__ import annotations

import inspect as pyinspect
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from govaudit.history import NEW, OPEN, SiteMonth, problem_title
from govaudit.workdays import add_working_days, cn_date, cn_month

from . import problem_text
from .labels import SEVERITY_ORDER, is_veto
from .site_report import environment

#: Still-open problems listed in the notice itself (the longest-open first); the rest are in the lists.
OPEN_LISTED = 30


def title(month: str, scope: str = "全市") -> str:
    return f"关于{cn_month(month)}{scope}政府网站检查情况的通报"


def doc_number(template: str, month: str, seq: int | None) -> str:
    """The 文号 from notice.number; without --seq the number is left blank to fill in by hand."""
    if not template:
        return ""
    y, m = month.split("-")
    return template.format(seq=seq if seq is not None else "　　", year=y, month=int(m))


def safe_name(text: str) -> str:
    """A file name from a unit or site name (no path separators or characters Windows refuses)."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .") or "未命名"


def unit_site(sm: SiteMonth) -> str:
    return f"{sm.unit}“{sm.name}”" if sm.unit else f"“{sm.name}”"


def _type_order(counter: Counter) -> list[str]:
    return sorted(counter, key=lambda c: (-counter[c], c))


def _problem_line(sm: SiteMonth, items: list[dict]) -> str:
    """One site's problems of one type, in the words the notice uses (the check's summary)."""
    return unit_site(sm) + problem_text.summary(items)


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def score_info(sm: SiteMonth) -> dict[str, Any]:
    """The site's verdict for every document: the score sheet's once scored, else the veto rule alone."""
    s = sm.score
    if s is None:
        verdict = "不合格" if sm.veto else "合格"
        return {"scored": False, "score": None, "base": None, "verdict": verdict, "reason": "", "score_text": "—",
                "change": None, "change_text": "—", "previous": None, "pending": []}
    prev = sm.previous_score or {}
    change = None
    if s.score is not None and prev.get("score") is not None:
        change = round(s.score - prev["score"], 2)
    change_text = "—" if change is None else ("持平" if change == 0 else f"{change:+g}")
    return {"scored": True, "score": s.score, "base": s.base, "verdict": s.verdict, "reason": s.reason,
            "score_text": "单项否决" if s.vetoed else _num(s.score), "change": change, "change_text": change_text,
            "previous": prev.get("score"), "previous_month": prev.get("month"),
            "pending": [p.item for p in s.pending]}


def ranking(report: list[SiteMonth]) -> list[dict[str, Any]]:
    """Sites best first by score once scored (vetoed sites last); unscored: worst first by vetoes and problems."""
    rows = []
    for sm in report:
        counts = sm.counts()
        rows.append({
            "name": sm.name, "unit": sm.unit, "url": sm.url, "veto": sm.veto,
            "veto_text": "是" if sm.veto else "否", "total": len(sm.problems),
            "new": len(sm.by_status(NEW)), "open": len(sm.by_status(OPEN)), "fixed": len(sm.fixed),
            "unverified": len(sm.unverified), "counts": dict(counts),
            "start_error": sm.start_error, **score_info(sm),
        })
    if rows and all(r["scored"] for r in rows):
        rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["veto"], r["total"], r["name"]))
    else:
        rows.sort(key=lambda r: (not r["veto"], -r["total"], r["name"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    return rows


def availability_rows(report: list[SiteMonth]) -> list[dict[str, Any]]:
    """The week's availability per probed site, for the 通报 and the 整改清单."""
    rows = []
    for sm in report:
        a = sm.availability
        if a is None or a.verdict == "none":
            continue
        note = []
        if a.short_days:
            note.append("监测次数不足（" + "、".join(cn_date(d) for d in a.short_days) + "每天少于规定次数），不作结论")
        if a.closures:
            note.append("已剔除报备关停期间：" + "；".join(a.closures))
        outage = f"{a.longest_outage_probes}次（约{a.longest_outage_min:g}分钟）" if a.longest_outage_probes else "无"
        rows.append({"name": sm.name, "unit": sm.unit, "label": unit_site(sm), "probes": a.probes, "failures": a.failures,
                     "ratio": a.ratio_text, "outage": outage, "verdict": a.verdict, "verdict_text": a.verdict_text,
                     "window": a.window, "closures": list(a.closures), "short_days": list(a.short_days),
                     "note": "；".join(note)})
    return rows


def notice_data(report: list[SiteMonth], trend: list[dict], cfg: dict[str, Any], *, month: str, as_of: str,
                seq: int | None = None, holidays: list[str] | None = None, escalate_months: int = 2) -> dict[str, Any]:
    """Every figure and sentence of the notice, from the month's store-backed comparison.

    ``escalate_months`` (review.escalate_months): still-open problems at least this many
    consecutive months old are named in the 仍未整改 part (govaudit.escalation).
    """
    all_types: Counter = Counter()
    for sm in report:
        all_types.update(sm.counts())
    # 落款, 印发日期 and the deadline run from the day the notice is issued: --as-of, or today when the
    # inspector gave none (the CLI sets notice.issued), never a day before the 检查基准日.
    issued = max(cfg.get("issued") or as_of, as_of)
    deadline = add_working_days(date.fromisoformat(issued), int(cfg.get("deadline_days", 10)),
                                list(cfg.get("holidays") or []) + list(holidays or []), cfg.get("workdays") or [])
    veto_sites = []
    for sm in report:
        if not sm.veto:
            continue
        items = [{"title": problem_title(f["check"]), "detail": f.get("detail", ""), "status": f["status"],
                  "months_open": f.get("months_open", 1)} for f in sm.veto_items]
        veto_sites.append({"name": sm.name, "unit": sm.unit, "label": unit_site(sm), "problems": items})
    sections = []
    for check in _type_order(all_types):
        if is_veto(check):  # told above, as 单项否决
            continue
        lines = []
        for sm in sorted(report, key=lambda s: (-s.counts().get(check, 0), s.name)):
            items = [f for f in sm.problems if f["check"] == check]
            if items:
                lines.append(_problem_line(sm, items))
        sites_n = sum(1 for sm in report if sm.counts().get(check))
        sections.append({"check": check, "title": problem_title(check), "total": all_types[check],
                         "sites": sites_n, "lines": lines})
    long_open = []
    for sm in report:
        for f in sm.problems:
            if f["status"] == OPEN and f.get("months_open", 1) >= escalate_months:
                long_open.append({"label": unit_site(sm), "unit": sm.unit, "site": sm.name, "title": problem_title(f["check"]),
                                  "what": problem_text.short(f) + ("（单位报称已整改，经复核不属实）" if f.get("review") else ""),
                                  "months_open": f["months_open"], "first_seen": f["first_seen"], "review_false": bool(f.get("review")),
                                  "severity": f.get("severity")})
    long_open.sort(key=lambda r: (-r["months_open"], SEVERITY_ORDER.get(r["severity"], 9), r["site"]))
    baselines = Counter(sm.baseline_month for sm in report if sm.baseline_month)
    base_month = baselines.most_common(1)[0][0] if baselines else None
    new = sum(len(sm.by_status(NEW)) for sm in report)
    still = sum(len(sm.by_status(OPEN)) for sm in report)
    fixed = sum(len(sm.fixed) for sm in report)
    unverified = sum(len(sm.unverified) for sm in report)
    scope = cfg.get("scope") or "全市"
    ranks = ranking(report)
    scored = bool(ranks) and all(r["scored"] for r in ranks)
    failed = [r for r in ranks if r["verdict"] == "不合格"]
    failed_sites = []
    for r in sorted(failed, key=lambda r: (not r["veto"], r["score"] if r["score"] is not None else -1, r["name"])):
        sm = next(x for x in report if x.name == r["name"])
        vetoed = next((v for v in veto_sites if v["name"] == r["name"]), None)
        lost = [] if sm.score is None else sorted((ln for ln in sm.score.lines if ln.deduction > 0),
                                                 key=lambda ln: (-ln.deduction, ln.item))
        failed_sites.append({"name": r["name"], "unit": r["unit"], "label": unit_site(sm), "reason": r["reason"],
                             "veto": r["veto"], "problems": (vetoed or {}).get("problems", []),
                             "vetoed_items": [v.item for v in (sm.score.vetoed if sm.score else [])],
                             "deductions": [(ln.item, ln.deduction) for ln in lost], "score": r["score"]})
    pending: dict[tuple, list[str]] = {}
    for r in ranks:
        if r["pending"]:
            pending.setdefault(tuple(r["pending"]), []).append(r["name"])
    info_total = sum(1 for sm in report for f in sm.info)
    number = doc_number(cfg.get("number") or "", month, seq)
    form = cfg.get("format") or "auto"
    if form == "auto":
        form = "letter" if "函" in (cfg.get("number") or "") else "file"
    return {
        "form": form, "cc": cfg.get("cc") or "", "printer": cfg.get("printer") or cfg["issuer"],
        "issued": issued, "issued_cn": cn_date(issued),
        "month": month, "month_cn": cn_month(month), "as_of": as_of, "as_of_cn": cn_date(as_of),
        "title": title(month, scope), "scope": scope, "number": doc_number(cfg.get("number") or "", month, seq),
        "issuer": cfg["issuer"], "addressees": cfg.get("addressees") or "各有关单位", "contact": cfg.get("contact") or "",
        "deadline": deadline.isoformat(), "deadline_cn": cn_date(deadline), "deadline_days": int(cfg.get("deadline_days", 10)),
        "sites_checked": len(report), "units": len({sm.unit for sm in report}),
        "veto_count": len(veto_sites), "veto_sites": veto_sites, "scored": scored,
        "pass_count": len(report) - len(failed), "fail_count": len(failed), "failed_sites": failed_sites,
        "pass_rate": f"{(len(report) - len(failed)) / len(report) * 100:.1f}%" if report else "—",
        "pending": [{"items": list(k), "sites": v} for k, v in pending.items()], "info_total": info_total,
        "availability": availability_rows(report),
        "total": sum(all_types.values()),
        "by_type": [{"check": c, "title": problem_title(c), "count": all_types[c],
                     "sites": sum(1 for sm in report if sm.counts().get(c))} for c in _type_order(all_types)],
        "types": _type_order(all_types), "type_titles": {c: problem_title(c) for c in all_types},
        "new": new, "open": still, "fixed": fixed, "unverified": unverified,
        "baseline_month": base_month, "baseline_month_cn": cn_month(base_month) if base_month else None,
        "baseline_total": still + fixed + unverified, "has_baseline": any(sm.baseline_month for sm in report),
        "sections": sections, "long_open": long_open[:OPEN_LISTED], "long_open_total": len(long_open), "ranking": ranks, "trend": trend,
        "attachments": [], "appealed": sum(len(sm.appealed) for sm in report), "escalate_months": escalate_months,
        "review_false": sum(1 for r in long_open if r["review_false"]),
    }


def write_notice(out_dir: Path, data: dict[str, Any], png: bytes | None) -> dict[str, Path]:
    """The notice as .html (chart embedded) and .docx, named after its title."""
    from . import notice_blocks, notice_html
    from .rectification import unit_file_names
    from .notice_docx import write_docx

    base = out_dir / unit_file_names([data["title"]], ".docx")[data["title"]].removesuffix(".docx")
    html_path, docx_path = base.with_suffix(".html"), base.with_suffix(".docx")
    blocks = notice_blocks.blocks(data, png)  # the sentences, once; each writer only lays them out
    html = environment().get_template("notice.html.j2").render(d=data, body=notice_html.render(blocks))
    html_path.write_text(html, encoding="utf-8")
    write_docx(docx_path, blocks)
    return {"html": html_path, "docx": docx_path}


def write_site_reports(out_dir: Path, db, report: list[SiteMonth]) -> dict[str, Path]:
    """Each site's full report (the `govaudit audit` templates), beside the notice."""
    from govaudit import store

    from .site_report import write_site_report

    accepts_inventory = "inventory" in pyinspect.signature(write_site_report).parameters
    from .rectification import unit_file_names

    paths = {}
    folders = unit_file_names([sm.name for sm in report], "")
    for sm in report:
        target = out_dir / "网站检查报告" / folders[sm.name]
        findings = store.run_findings(db, sm.run["id"])
        shots = {f["identity"]: f["evidence"] for f in sm.problems if f.get("evidence")}
        if shots:  # screenshots live in the site's folder (govaudit.evidence): link them relative to report.html
            from govaudit.history import identity

            for f in findings:
                rel = shots.get(identity(f))
                if rel:
                    f["evidence"] = rel.split("/", 2)[2]
        kwargs = {}
        if accepts_inventory and hasattr(store, "load_inventory"):
            kwargs["inventory"] = store.load_inventory(db, sm.run["id"])
        kwargs.update(score=sm.score, previous_score=sm.previous_score)
        paths[sm.name] = write_site_report(target, sm.run, findings, **kwargs)["html"]
    return paths


def summary_json(data: dict[str, Any], outcome: Any) -> dict[str, Any]:
    """The month in machine-readable form (inspect.json): the notice's figures and the files."""
    keep = ("month", "as_of", "title", "number", "issuer", "deadline", "sites_checked", "veto_count", "pass_count",
            "fail_count", "pass_rate", "scored", "info_total", "availability", "pending", "issued",
            "total", "by_type", "new", "open", "fixed", "unverified", "baseline_month", "baseline_total", "ranking", "trend",
            "appealed")
    out = {k: data[k] for k in keep}
    out["files"] = {k: (str(v) if isinstance(v, Path) else {kk: str(vv) for kk, vv in v.items()} if isinstance(v, dict) else v)
                    for k, v in outcome.files.items()}
    if data.get("evidence"):
        ev = data["evidence"]
        out["evidence"] = {"note": ev.get("note", ""), "files": [{"url": i["url"], "path": i["path"]} for i in ev.get("items") or []]}
    out["deliveries"] = outcome.deliveries
    out["missing_sites"] = outcome.missing
    return out
