"""核减: a unit says a finding is wrong; the office accepts or rejects, and it is remembered.

Every step is one row of ``appeal_events`` (filed, accepted, rejected), with who, when and
why; rows are only ever added, so the trail of a decision survives any later change of
mind. The latest decision of a finding identity is its state.

An accepted appeal takes the finding out of later notices, lists and scores only while the
page it is about is unchanged: the decision stores a fingerprint of what the inspection saw
(the link target's answer for a dead link, the column's items, the document's metadata,
else the page's content hash) and the raw sha1 of the page. When a later inspection sees a
different fingerprint the page has changed, the appeal no longer covers it and the finding
is reported again — the office's decision was about the page as it was.
"""
from __future__ import annotations

import getpass
import hashlib
import json
from typing import Any, Iterable

from govaudit import history, store

FILED, ACCEPTED, REJECTED = "filed", "accepted", "rejected"
EVENT_TITLES = {FILED: "单位申请核减", ACCEPTED: "同意核减", REJECTED: "不同意核减"}
LINK_CHECKS = ("dead_link", "unverifiable_link")
COLUMN_CHECKS = ("stale_column", "blank_column", "stale_homepage")


def ensure_schema(db) -> None:
    if "appeal_events" not in db.table_names():
        db["appeal_events"].create(
            {
                "id": int,
                "site_id": str,  # the stable site id (history is keyed by it)
                "identity": str,  # Finding.identity (check|url[#rule])
                "site": str,  # the site's display name when recorded
                "check": str,
                "url": str,
                "month": str,  # the inspection month the appeal concerns
                "event": str,  # filed | accepted | rejected
                "reason": str,
                "actor": str,  # the unit (filed) or the office member who decided
                "at": str,  # when it was recorded
                "from_run": int,  # the run the fingerprint was taken from (never "run_id": store.delete_run clears those)
                "page_url": str,
                "fingerprint": str,
                "page_sha1": str,
                "source": str,  # the returned list's file/sheet/row, or "命令行"
            },
            pk="id",
        )
        db["appeal_events"].create_index(["site_id", "identity"])


def _facts(db, run_id: int, url: str) -> dict | None:
    row = next(iter(db.query("SELECT facts FROM pages WHERE run_id = ? AND (url = ? OR final_url = ?) LIMIT 1",
                             [run_id, url, url])), None)
    return json.loads(row["facts"] or "{}") if row else None


def page_state(db, run_id: int, f: dict) -> tuple[str, str, str]:
    """(page url, fingerprint, page sha1) of what a finding is about, as the run saw it."""
    check, url = f["check"], f["url"]
    if check in LINK_CHECKS:
        row = next(iter(db.query("SELECT status, error_class, soft404, final_url FROM fetches WHERE run_id = ? AND url = ?",
                                 [run_id, url])), None)
        basis: Any = dict(row) if row else None
        facts = _facts(db, run_id, (f.get("found_on") or [url])[0])
    else:
        facts = _facts(db, run_id, url)
        if facts is None:
            basis = None
        elif check in COLUMN_CHECKS:
            basis = [(i.get("title"), i.get("url"), i.get("date")) for i in (facts.get("listing") or {}).get("items") or []]
        elif facts.get("doc"):
            basis = facts.get("doc")
        else:
            basis = facts.get("sha1")
    fp = hashlib.sha1(json.dumps(basis, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest() \
        if basis is not None else ""
    return url, fp, (facts or {}).get("sha1", "")


def events(db, site_id: str | None = None, identity: str | None = None) -> list[dict]:
    if "appeal_events" not in db.table_names():
        return []
    if identity is None:
        return list(db.query("SELECT * FROM appeal_events ORDER BY id"))
    return list(db.query("SELECT * FROM appeal_events WHERE site_id = ? AND identity = ? ORDER BY id", [site_id, identity]))


def state(db, site_id: str, identity: str) -> dict | None:
    """The latest event of a site's finding identity (its current state), or None."""
    ev = events(db, site_id, identity)
    return ev[-1] if ev else None


def run_site_id(db, run_id: int | None) -> str:
    row = next(iter(db.query("SELECT site_id FROM runs WHERE id = ?", [run_id])), None) if run_id else None
    return (row or {}).get("site_id") or ""


def _append(db, row: dict) -> dict:
    ensure_schema(db)
    row = dict(row, at=row.get("at") or store.now_iso())
    with db.conn:
        db["appeal_events"].insert(row)
    return dict(row, id=db["appeal_events"].last_pk)


def file(db, f: dict, *, month: str, reason: str, source: str, actor: str = "") -> dict | None:
    """Record a unit's appeal (from a returned list); a repeat of the same pending appeal is not added."""
    ident = f.get("identity") or history.identity(f)
    site_id = run_site_id(db, f.get("run_id"))
    last = state(db, site_id, ident)
    if last and last["event"] == FILED and last["reason"] == reason and last["month"] == month:
        return None
    return _append(db, {"site_id": site_id, "identity": ident, "site": f.get("site", ""), "check": f["check"], "url": f["url"],
                        "month": month, "event": FILED, "reason": reason, "actor": actor or f.get("unit", ""),
                        "from_run": f.get("run_id"), "page_url": "", "fingerprint": "", "page_sha1": "",
                        "source": source})


def resolve(db, finding_id: str) -> dict:
    """The finding named on the command line: a findings.id number, or an identity."""
    ensure_schema(db)
    rows: list[dict] = []
    if str(finding_id).isdigit():
        rows = list(db.query("SELECT * FROM findings WHERE id = ?", [int(finding_id)]))
    if not rows:
        rows = list(db.query("SELECT * FROM findings WHERE key = ? ORDER BY run_id DESC", [str(finding_id)]))
        if len({r["site"] for r in rows}) > 1:
            raise ValueError(f"问题标识“{finding_id}”在多个网站中出现（{'、'.join(sorted({r['site'] for r in rows}))}），"
                             "请改用复核结果.xlsx 中的问题编号")
    if not rows:
        raise ValueError(f"数据库中没有编号或标识为“{finding_id}”的问题（可在复核结果.xlsx 的“问题编号”列查到）")
    f = dict(rows[0])
    f["data"] = json.loads(f["data"] or "{}")
    f["found_on"] = json.loads(f["found_on"] or "[]")
    f["identity"] = history.identity(f)
    return f


def decide(db, finding_id: str, decision: str, *, reason: str, actor: str | None = None) -> dict:
    """Accept or reject the appeal against a finding; returns the recorded event."""
    if decision not in (ACCEPTED, REJECTED):
        raise ValueError("审定结论应为 accept 或 reject")
    if not (reason or "").strip():
        raise ValueError("请用 --reason 说明审定理由")
    f = resolve(db, finding_id)
    run = store.get_run(db, f["run_id"])
    page_url, fp, sha1 = page_state(db, f["run_id"], f)
    ev = _append(db, {"site_id": run.get("site_id") or "", "identity": f["identity"], "site": f["site"],
                        "check": f["check"], "url": f["url"], "month": run["month"], "event": decision, "reason": reason.strip(),
                        "actor": actor or getpass.getuser(), "from_run": f["run_id"], "page_url": page_url,
                        "fingerprint": fp, "page_sha1": sha1, "source": "命令行"})
    if run.get("site_id"):
        history.rebuild(db, run["site_id"])  # the history (and escalation) follow the decision at once
    return ev


def accepted(db, site_id: str | None = None) -> dict[tuple[str, str], dict]:
    """(site id, identity) -> the accepting event, where the latest decision is an acceptance."""
    if "appeal_events" not in db.table_names():
        return {}
    out: dict[tuple[str, str], dict] = {}
    sql = "SELECT * FROM appeal_events WHERE event IN ('accepted', 'rejected')"
    params: list = []
    if site_id is not None:
        sql += " AND site_id = ?"
        params.append(site_id)
    for ev in db.query(sql + " ORDER BY id", params):
        key = (ev["site_id"], ev["identity"])
        if ev["event"] == ACCEPTED:
            out[key] = ev
        else:
            out.pop(key, None)
    return out


def split(db, run_id: int, problems: Iterable[dict]) -> tuple[list[dict], list[dict]]:
    """(kept, omitted): problems of a run minus those an accepted appeal still covers.

    Covered means the run sees the page as it was when the appeal was accepted; an omitted
    problem carries its ``appeal`` event.
    """
    site_id = run_site_id(db, run_id)
    acc = accepted(db, site_id)
    problems = list(problems)
    if not acc:
        return problems, []
    kept, omitted = [], []
    for f in problems:
        ident = f.get("identity") or history.identity(f)
        ev = acc.get((site_id, ident))
        if ev is not None and page_state(db, run_id, f)[1] == ev["fingerprint"] and ev["fingerprint"]:
            omitted.append(dict(f, appeal=ev))
        else:
            kept.append(f)
    return kept, omitted
