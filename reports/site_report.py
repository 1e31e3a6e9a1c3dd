"""One site's audit written out: findings.jsonl (the contract), findings.csv, report.html."""
from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from govaudit.checks import Finding
from govaudit.crawler.render import MANUAL_NOTE

from .labels import SEVERITY_ORDER, SEVERITY_TITLES, check_rank, check_title, safe_cell

CSV_FIELDS = ["问题类型", "检查项", "严重程度", "问题地址", "所在页面", "问题描述"]


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("govaudit.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["check_title"] = check_title
    env.filters["severity_title"] = lambda s: SEVERITY_TITLES.get(s, s)
    return env


def sort_findings(findings: list[dict]) -> list[dict]:
    return sorted(findings, key=lambda f: (check_rank(f["check"]), f["check"], SEVERITY_ORDER.get(f.get("severity"), 9), f["url"]))


def public_finding(f: dict) -> dict:
    """The contract's shape: check, url, found_on, severity, detail, plus site and data (Finding.as_dict)."""
    return Finding.of(f).as_dict()


def write_jsonl(path: Path, findings: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for f in findings:
            fh.write(json.dumps(public_finding(f), ensure_ascii=False, default=str) + "\n")


def write_csv(path: Path, findings: list[dict]) -> None:
    # UTF-8 with BOM: Excel on a Chinese Windows desktop opens it without garbling.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_FIELDS)
        for f in findings:
            found_on = f.get("found_on") or []
            count = (f.get("data") or {}).get("found_on_count", len(found_on))
            where = "\n".join(found_on) + (f"\n（共 {count} 个页面）" if count > len(found_on) else "")
            w.writerow([safe_cell(v) for v in (
                check_title(f["check"]), f["check"], SEVERITY_TITLES.get(f.get("severity"), f.get("severity")),
                f["url"], where, f.get("detail", ""),
            )])


COLUMN_FIELDS = [("栏目名称", "name"), ("栏目地址", "url"), ("栏目类型", "type_label"), ("更新要求（天）", "window_days"),
                 ("最新信息日期", "newest_date"), ("最新信息标题", "newest_title"), ("最新信息地址", "newest_url"),
                 ("信息条数", "item_count"), ("结论", "verdict_label"), ("说明", "excluded")]
DOCUMENT_FIELDS = [("标题", "title"), ("文号", "doc_number"), ("发布机构", "publisher"), ("成文日期", "written_date"),
                   ("发布日期", "pub_date"), ("有效性", "validity"), ("有效期至", "valid_until"), ("页面地址", "url"),
                   ("对应解读", "interpretation"), ("解读标题", "interpretation_title"), ("解读日期", "interpretation_date"),
                   ("匹配依据", "evidence")]
VERDICT_LABELS = {"fresh": "正常更新", "stale": "未按期更新", "blank": "空白栏目", "excluded": "不纳入", "manual": "需人工核实"}


def home_site_name(db, run_id: int) -> str | None:
    """The site's own name from its home page: the SiteName meta tag, else the <title> (its
    last "_"/"-" part, where sites put their name), for a report made without --name."""
    import re

    row = next(iter(db.query("SELECT title, meta FROM pages WHERE run_id = ? AND is_home = 1 LIMIT 1", [run_id])), None)
    if row is None:
        return None
    try:
        meta = json.loads(row["meta"] or "{}")
    except ValueError:
        meta = {}
    lowered = {str(k).lower(): v for k, v in (meta.items() if isinstance(meta, dict) else [])}
    name = lowered.get("sitename")
    if isinstance(name, list):
        name = name[0] if name else None
    if isinstance(name, str) and name.strip():
        return name.strip()
    title = (row["title"] or "").strip()
    if not title:
        return None
    parts = [p for p in re.split(r"\s*(?:_|\||｜|-{1,2}|—{1,2})\s*", title) if p]
    return parts[-1] if parts else title


def run_stats(run: dict) -> dict:
    return json.loads(run.get("stats") or "{}") if isinstance(run.get("stats"), str) else (run.get("stats") or {})


def crawl_date(run: dict) -> str:
    """The day the crawl ran (beside the as-of date, which may be set back with --as-of)."""
    when = str(run.get("finished_at") or run.get("started_at") or "")
    return when[:10]


def write_table_csv(path: Path, rows: list[dict], fields: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([label for label, _ in fields])
        for r in rows:
            w.writerow([safe_cell("" if r.get(key) is None else r.get(key)) for _, key in fields])


def score_view(score: Any, previous: dict | None = None) -> dict[str, Any] | None:
    """The score sheet as the report shows it: verdict, score and each deduction with its evidence."""
    if score is None:
        return None
    lines = [ln for ln in score.lines if ln.deduction > 0 or ln.pending]
    change = None
    if previous and previous.get("score") is not None and score.score is not None:
        change = round(score.score - previous["score"], 2)
    return {"verdict": score.verdict, "reason": score.reason, "score": score.score, "base": score.base,
            "bonus": score.bonus, "sheet": score.sheet, "vetoed": score.vetoed, "lines": lines,
            "pending": score.pending, "services": score.services, "previous": previous, "change": change}


def write_site_report(out_dir: Path, run: dict, findings: list[dict], extra: dict[str, Any] | None = None,
                      inventory: dict[str, list[dict]] | None = None, score: Any = None,
                      previous_score: dict | None = None) -> dict[str, Path]:
    """Write findings.jsonl/.csv, report.html, and the column and document tables; return paths.

    ``score`` (a score.SiteScore) adds the 得分与结论 section; the problem count leaves out 提示
    (info) items exactly as the notice, the 整改清单 and the mail do, and names them apart.
    """
    inventory = inventory or {}
    columns = [c | {"verdict_label": VERDICT_LABELS.get(c.get("verdict"), c.get("verdict"))} for c in inventory.get("columns", [])]
    # A 解读 box filled by script that no browser rendered: the table says so where the interpretation goes.
    documents = [d | {"interpretation": MANUAL_NOTE} if d.get("ajax_interpretation") and not d.get("interpretation")
                 else d for d in inventory.get("documents", [])]
    summary = (inventory.get("summary") or [{}])[0]
    out_dir.mkdir(parents=True, exist_ok=True)
    findings = sort_findings(findings)
    paths = {"jsonl": out_dir / "findings.jsonl", "csv": out_dir / "findings.csv", "html": out_dir / "report.html"}
    write_jsonl(paths["jsonl"], findings)
    write_csv(paths["csv"], findings)
    if inventory:
        paths["columns"] = out_dir / "columns.csv"
        paths["documents"] = out_dir / "documents.csv"
        write_table_csv(paths["columns"], columns, COLUMN_FIELDS)
        write_table_csv(paths["documents"], documents, DOCUMENT_FIELDS)
    problems = [f for f in findings if f.get("severity") != "info"]
    counts = Counter(f["check"] for f in problems)
    info_counts = Counter(f["check"] for f in findings if f.get("severity") == "info")
    counts = Counter(dict(sorted(counts.items(), key=lambda kv: check_rank(kv[0]))))
    info_counts = Counter(dict(sorted(info_counts.items(), key=lambda kv: check_rank(kv[0]))))
    veto_titles = list(dict.fromkeys(check_title(f["check"]) for f in problems if f.get("severity") == "veto"))
    veto = bool(veto_titles) or bool((run_stats(run)).get("start_error"))
    groups: dict[str, list[dict]] = {}
    for f in findings:
        groups.setdefault(f["check"], []).append(f)
    stats = json.loads(run.get("stats") or "{}") if isinstance(run.get("stats"), str) else (run.get("stats") or {})
    html = environment().get_template("site_report.html.j2").render(
        run=run, stats=stats, counts=counts, groups=groups, extra=extra or {},
        total=len(problems), info_total=len(findings) - len(problems), info_counts=info_counts, veto=veto,
        veto_titles=veto_titles,
        columns=columns, documents=documents, rate=summary.get("interpretation_rate") or {},
        score=score_view(score, previous_score), crawl_date=crawl_date(run),
    )
    paths["html"].write_text(html, encoding="utf-8")
    return paths
