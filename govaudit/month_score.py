"""The month's verdicts beside its problems: each site's score sheet and availability week.

`inspect` calls :func:`attach` once the month's runs are checked (and on ``--no-crawl``, so a
changed point value in the score sheet changes exactly that site's score in every document).
Every document of the month (通报, 整改清单, site reports, mail) then reads the same
``SiteMonth.score`` / ``.availability``, so none can disagree with another.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from govaudit import availability as av
from govaudit import history, store
from govaudit.cli_score import score_run


def _previous_run(db, sm: history.SiteMonth) -> dict | None:
    runs = [r for r in history.inspection_runs(db, sm.run.get("site_id") or sm.name) if r["month"] < sm.run["month"]]
    return runs[-1] if runs else None


def previous_total(db, sm: history.SiteMonth, sheet, site: Any) -> dict | None:
    """The previous inspection's 总分 row; a run stored before scores existed is scored now."""
    from govaudit.score import stored_total

    prev = _previous_run(db, sm)
    if prev is None:
        return None
    row = stored_total(db, prev["id"])
    if row is None:
        score_run(db, prev["id"], sheet, site)
        row = stored_total(db, prev["id"])
    return {**row, "month": prev["month"]} if row else None


def availability_of(db, sm: history.SiteMonth, site: Any, config: dict[str, Any]) -> av.Availability:
    site_id = sm.run.get("site_id") or getattr(site, "id", "") or store.default_site_id(sm.url)
    closures = av.parse_closures((getattr(site, "config", None) or {}).get("closures"))
    return av.site_availability(db, site_id, sm.name, date.fromisoformat(sm.run["as_of"]), closures, config)


def attach(db, cfg: Any, report: Iterable[history.SiteMonth]) -> None:
    """Score every site's run of the month (rows saved in ``scores``) and read its availability week."""
    by_name = {s.name: s for s in cfg.sites}
    for sm in report:
        site = by_name.get(sm.name)
        sm.score = score_run(db, sm.run["id"], cfg.scoresheet, site)
        sm.previous_score = previous_total(db, sm, cfg.scoresheet, site)
        sm.availability = availability_of(db, sm, site, cfg.config)
        sm.info = [f for f in store.run_findings(db, sm.run["id"]) if f.get("severity") == "info"]
