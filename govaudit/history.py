"""What became of each problem from one monthly inspection to the next.

A finding's identity is ``Finding.identity`` (check + url, plus the verdict's rule when one URL
carries several verdicts), the same key the store writes; a site's history is kept under its
stable site id, not its display name. Comparing a month's identities with the
previous inspection's says which problems are 新增 (new), 未整改 (still open, and for how many
months) and 已整改 (gone). A run that could not reach the site, or did not finish, proves
nothing about old problems: they are 未复核 (not re-checked), never 已整改.

Only runs made by `govaudit inspect` count (their settings carry ``inspect``), and only the
newest run of a site per month: rerunning a month replaces it.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from govaudit import store
from govaudit.checks import UNREACHABLE_CHECK, Finding, spec_for

NEW, OPEN, FIXED, UNVERIFIED = "新增", "未整改", "已整改", "未复核"
#: The inspection's own problem type (kept for callers; its spec lives in checks/).
UNREACHABLE = UNREACHABLE_CHECK.id


def problem_title(check: str) -> str:
    """The Chinese name of a problem type, for every report of the inspection (the registry's)."""
    return spec_for(check).title


def identity(f: dict) -> str:
    """The finding's stable identity (Finding.identity), whatever row or dict it comes as."""
    return Finding.of(f).identity


def run_stats(run: dict) -> dict:
    return json.loads(run.get("stats") or "{}") if isinstance(run.get("stats"), str) else (run.get("stats") or {})


def start_error(run: dict) -> str | None:
    return run_stats(run).get("start_error")


def verifiable(run: dict) -> bool:
    """Whether a run saw the whole site, so that a missing old problem really is fixed."""
    return run.get("status") == "complete" and not start_error(run)


def site_key(site: Any) -> str:
    """The stable id of a configured site (audit.Site-like): sites[].id, default its start host."""
    return getattr(site, "id", "") or store.default_site_id(site.url)


def resolve_site(db, site: str) -> str:
    """A site id from a site id or a display name (the newest run under that name decides).

    Commands take what people type (the name); history is kept under the id, so a renamed
    site keeps its months.
    """
    if next(iter(db.query("SELECT 1 FROM runs WHERE site_id = ? LIMIT 1", [site])), None):
        return site
    row = next(iter(db.query("SELECT site_id FROM runs WHERE site = ? ORDER BY id DESC LIMIT 1", [site])), None)
    return row["site_id"] if row and row["site_id"] else site


def inspection_runs(db, site: str) -> list[dict]:
    """The site's monthly inspections (by site id or name), oldest first, one per month: the
    newest complete one (an interrupted rerun never hides the month's finished run), else the newest."""
    rows = list(db.query(
        "SELECT * FROM runs WHERE site_id = ? AND status NOT IN ('running', 'crawled') "
        "AND json_extract(settings, '$.inspect') IS NOT NULL ORDER BY month, status = 'complete', id", [resolve_site(db, site)]))
    by_month: dict[str, dict] = {}
    for r in rows:
        by_month[r["month"]] = r
    return [by_month[m] for m in sorted(by_month)]


def run_problems(db, run_id: int) -> list[dict]:
    """A run's problems: its findings except `info` (需人工复核), each with its identity."""
    out = []
    for f in store.run_findings(db, run_id):
        if f.get("severity") == "info":
            continue
        f["identity"] = identity(f)
        out.append(f)
    return out


def month_index(month: str) -> int:
    y, m = month.split("-")
    return int(y) * 12 + int(m) - 1


@dataclass
class SiteMonth:
    """One site in one month, compared with its previous inspection."""

    name: str
    unit: str
    url: str
    run: dict
    baseline_month: str | None
    problems: list[dict] = field(default_factory=list)  # status 新增/未整改, months_open, first_seen
    fixed: list[dict] = field(default_factory=list)  # status 已整改
    unverified: list[dict] = field(default_factory=list)  # status 未复核
    appealed: list[dict] = field(default_factory=list)  # left out: an accepted appeal (核减) covers them
    # Set by govaudit.month_score.attach for the month's documents (None until then):
    score: Any = None  # score.SiteScore of this run
    previous_score: Any = None  # the stored 总分 row of the previous inspection, if any
    availability: Any = None  # availability.Availability of the week before the as-of date
    info: list[dict] = field(default_factory=list)  # 提示 (info) findings: listed, never counted as problems

    @property
    def start_error(self) -> str | None:
        return start_error(self.run)

    @property
    def veto_items(self) -> list[dict]:
        return [f for f in self.problems if f.get("severity") == "veto"]

    @property
    def veto(self) -> bool:
        """Fails a 单项否决 indicator: a veto finding, or the site could not be reached."""
        return bool(self.veto_items) or bool(self.start_error)

    def counts(self) -> Counter:
        return Counter(f["check"] for f in self.problems)

    def by_status(self, status: str) -> list[dict]:
        return [f for f in self.problems if f["status"] == status]


class History:
    """Reads a store's inspections with a per-run cache (a notice reads each run many times)."""

    def __init__(self, db) -> None:
        self.db = db
        self._runs: dict[str, list[dict]] = {}
        self._problems: dict[int, list[dict]] = {}
        self._appealed: dict[int, list[dict]] = {}
        self._first_seen: dict[str, dict] = {}
        self._keys: dict[str, str] = {}

    def key(self, site: str) -> str:
        """The site id for a site id or display name."""
        if site not in self._keys:
            self._keys[site] = resolve_site(self.db, site)
        return self._keys[site]

    def runs(self, site: str) -> list[dict]:
        site = self.key(site)
        if site not in self._runs:
            self._runs[site] = inspection_runs(self.db, site)
        return self._runs[site]

    def problems(self, run_id: int) -> list[dict]:
        """The run's problems less those an accepted appeal still covers (govaudit.appeals)."""
        if run_id not in self._problems:
            from govaudit import appeals

            self._problems[run_id], self._appealed[run_id] = appeals.split(self.db, run_id, run_problems(self.db, run_id))
        return self._problems[run_id]

    def appealed(self, run_id: int) -> list[dict]:
        self.problems(run_id)
        return self._appealed[run_id]

    def ids(self, run: dict) -> set[str]:
        return {f["identity"] for f in self.problems(run["id"])}

    def first_seen(self, site: str) -> dict[str, dict]:
        site = self.key(site)
        if site not in self._first_seen:
            self._first_seen[site] = {r["identity"]: r for r in self.db.query(
                "SELECT identity, first_seen, first_month, last_seen FROM finding_history WHERE site_id = ?", [site])}
        return self._first_seen[site]

    def months_open(self, ident: str, runs: list[dict]) -> int:
        """Months from the start of the problem's current streak to the last run, inclusive.

        A run that could not verify the site does not break a streak.
        """
        start = len(runs) - 1
        for j in range(len(runs) - 1, -1, -1):
            if ident in self.ids(runs[j]):
                start = j
            elif verifiable(runs[j]):
                break
        return month_index(runs[-1]["month"]) - month_index(runs[start]["month"]) + 1

    def site_month(self, site: str, month: str, unit: str = "", url: str = "", name: str = "") -> SiteMonth | None:
        """The site (id or name) in the month; ``name`` is what to call it (default: as the run did)."""
        runs = self.runs(site)
        idx = next((i for i, r in enumerate(runs) if r["month"] == month), None)
        if idx is None:
            return None
        cur, earlier = runs[idx], runs[:idx]
        prev = earlier[-1] if earlier else None
        prev_ok = next((r for r in reversed(earlier) if verifiable(r)), None)
        baseline: dict[str, dict] = {}
        for r in (prev_ok, prev):
            if r is not None:
                baseline.update({f["identity"]: f for f in self.problems(r["id"])})
        seen = self.first_seen(site)
        sm = SiteMonth(name=name or cur["site"], unit=unit or cur.get("unit") or "", url=url or cur["start_url"], run=cur,
                       baseline_month=prev["month"] if prev else None)
        current = self.problems(cur["id"])
        sm.appealed = list(self.appealed(cur["id"]))
        for f in current:
            g = dict(f)
            g["status"] = OPEN if f["identity"] in baseline else NEW
            g["months_open"] = self.months_open(f["identity"], runs[: idx + 1])
            g["first_seen"] = (seen.get(f["identity"]) or {}).get("first_seen") or cur["as_of"]
            g["found_at"] = cur["as_of"]
            sm.problems.append(g)
        now = {f["identity"] for f in current}
        for ident, f in baseline.items():
            if ident in now:
                continue
            g = dict(f)
            g["first_seen"] = (seen.get(ident) or {}).get("first_seen") or ""
            g["last_seen"] = next((r["as_of"] for r in reversed(earlier) if ident in self.ids(r)), "")
            if verifiable(cur) or not spec_for(f["check"]).needs_full_run and not start_error(cur):
                g["status"] = FIXED
                sm.fixed.append(g)
            else:
                g["status"] = UNVERIFIED
                sm.unverified.append(g)
        return sm


def month_report(db, sites: Iterable[Any], month: str) -> list[SiteMonth]:
    """Every configured site that has an inspection in the month (sites: audit.Site-like)."""
    h = History(db)
    out = []
    for s in sites:
        sm = h.site_month(site_key(s), month, unit=s.unit, url=s.url, name=s.name)
        if sm is not None:
            out.append(sm)
    return out


def trend(db, sites: Iterable[Any], month: str, months: int = 12) -> list[dict[str, Any]]:
    """Month by month up to `month`: problems, new, still open, fixed and veto sites."""
    h = History(db)
    sites = list(sites)
    all_months = sorted({r["month"] for s in sites for r in h.runs(site_key(s)) if r["month"] <= month})[-months:]
    rows = []
    for m in all_months:
        row = {"month": m, "sites": 0, "problems": 0, "new": 0, "open": 0, "fixed": 0, "veto_sites": 0}
        for s in sites:
            sm = h.site_month(site_key(s), m, unit=s.unit, url=s.url, name=s.name)
            if sm is None:
                continue
            row["sites"] += 1
            row["problems"] += len(sm.problems)
            row["new"] += len(sm.by_status(NEW))
            row["open"] += len(sm.by_status(OPEN))
            row["fixed"] += len(sm.fixed)
            row["veto_sites"] += int(sm.veto)
        rows.append(row)
    return rows


def rebuild(db, site: str) -> int:
    """Recompute the site's finding_history from its inspections; return the row count.

    Rebuilt from scratch, so rerunning or replacing any month leaves it exact.
    """
    h = History(db)
    site = h.key(site)
    runs = h.runs(site)
    rows: dict[str, dict] = {}
    for run in runs:
        for f in h.problems(run["id"]):
            row = rows.get(f["identity"])
            if row is None:
                row = rows[f["identity"]] = {
                    "identity": f["identity"], "site_id": site, "site": runs[-1]["site"], "first_seen": run["as_of"],
                    "first_month": run["month"], "months": [],
                }
            row.update(check=f["check"], url=f["url"], severity=f.get("severity", ""), detail=f.get("detail", ""),
                       last_seen=run["as_of"], last_month=run["month"])
            row["months"].append(run["month"])
    for row in rows.values():
        later = [r for r in runs if r["month"] > row["last_month"] and verifiable(r)]
        row["status"] = "fixed" if later else "open"
        row["fixed_month"] = later[0]["month"] if later else None
        row["months"] = json.dumps(row["months"])
    with db.atomic():  # starts with a write, so the busy timeout serialises concurrent rebuilds
        db.execute("DELETE FROM finding_history WHERE site_id = ?", [site])
        db["finding_history"].insert_all(rows.values())
    return len(rows)


def site_history(db, site: str) -> list[dict[str, Any]]:
    """One row per inspected month of a site, for `govaudit history`."""
    h = History(db)
    out = []
    for run in h.runs(site):
        sm = h.site_month(site, run["month"])
        out.append({
            "month": run["month"], "as_of": run["as_of"], "status": run["status"], "run_id": run["id"],
            "problems": len(sm.problems), "new": len(sm.by_status(NEW)), "open": len(sm.by_status(OPEN)),
            "fixed": len(sm.fixed), "unverified": len(sm.unverified), "veto": sm.veto,
            "start_error": sm.start_error, "counts": dict(sm.counts()),
        })
    return out


def open_problems(db, site: str) -> list[dict]:
    """The site's (id or name) problems still open after its latest inspection, oldest first."""
    return list(db.query(
        "SELECT * FROM finding_history WHERE site_id = ? AND status = 'open' ORDER BY first_seen, [check], url",
        [resolve_site(db, site)]))
