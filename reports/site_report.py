"""One site's audit written out: findings.jsonl (the contract), findings.csv, report.html."""
from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from .labels import SEVERITY_ORDER, SEVERITY_TITLES, check_title, safe_cell

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
    return sorted(findings, key=lambda f: (f["check"], SEVERITY_ORDER.get(f.get("severity"), 9), f["url"]))


def public_finding(f: dict) -> dict:
    """The contract's shape: check, url, found_on, severity, detail, plus site and data."""
    return {
        "check": f["check"],
        "url": f["url"],
        "found_on": list(f.get("found_on") or []),
        "severity": f.get("severity", ""),
        "detail": f.get("detail", ""),
        "site": f.get("site", ""),
        "data": f.get("data") or {},
    }


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


def write_site_report(out_dir: Path, run: dict, findings: list[dict], extra: dict[str, Any] | None = None) -> dict[str, Path]:
    """Write the three files; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    findings = sort_findings(findings)
    paths = {"jsonl": out_dir / "findings.jsonl", "csv": out_dir / "findings.csv", "html": out_dir / "report.html"}
    write_jsonl(paths["jsonl"], findings)
    write_csv(paths["csv"], findings)
    counts = Counter(f["check"] for f in findings)
    groups: dict[str, list[dict]] = {}
    for f in findings:
        groups.setdefault(f["check"], []).append(f)
    stats = json.loads(run.get("stats") or "{}") if isinstance(run.get("stats"), str) else (run.get("stats") or {})
    html = environment().get_template("site_report.html.j2").render(
        run=run, stats=stats, counts=counts, groups=groups, extra=extra or {},
        total=len(findings),
    )
    paths["html"].write_text(html, encoding="utf-8")
    return paths
