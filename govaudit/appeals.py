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
                "identity": str,
                "site": str,
                "check": str,
                "url": str,
                "month": str,  # the inspection month the appeal concerns
                "event": str,  # filed | accepted | rejected
                "reason": str,
                "actor": str,  # the unit (filed) or the office member who decided
                "at": str,  # when it was recorded
                "run_id": int,  # the run whose page the fingerprint was taken from
                "page_url": str,
                "fingerprint": str,
                "page_sha1": str,
                "source": str,  # the returned list's file/sheet/row, or "命令行"
            },
            pk="id",
        )
        db["appeal_events"].create_index(["identity"])


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


def events(db, identity: str | None = None) -> list[dict]:
    ensure_schema(db)
    if identity is None:
        return list(db.query("SELECT * FROM appeal_events ORDER BY id"))
    return list(db.query("SELECT * FROM appeal_events WHERE identity = ? ORDER BY id", [identity]))


def state(db, identity: str) -> dict | None:
    """The latest event of an identity (its current state), or None."""
    ev = events(db, identity)
    return ev[-1] if ev else None


def _append(db, row: dict) -> dict:
    ensure_schema(db)
    row = dict(row, at=row.get("at") or store.now_iso())
    with db.conn:
        db["appeal_events"].insert(row)
    return dict(row, id=db["appeal_events"].last_pk)


def file(db, f: dict, *, month: str, reason: str, source: str, actor: str = "") -> dict | None:
    """Record a unit's appeal (from a returned list); a repeat of the same pending appeal is not added."""
    ident = f.get("identity") or history.identity(f)
    last = state(db, ident)
    if last and last["event"] == FILED and last["reason"] == reason and last["month"] == month:
        return None
    return _append(db, {"identity": ident, "site": f.get("site", ""), "check": f["check"], "url": f["url"],
                        "month": month, "event": FILED, "reason": reason, "actor": actor or f.get("unit", ""),
                        "run_id": f.get("run_id"), "page_url": "", "fingerprint": "", "page_sha1": "",
                        "source": source})


def resolve(db, finding_id: str) -> dict:
    """The finding named on the command line: a findings.id number, or an identity."""
    ensure_schema(db)
    rows: list[dict] = []
    if str(finding_id).isdigit():
        rows = list(db.query("SELECT * FROM findings WHERE id = ?", [int(finding_id)]))
    if not rows:
        key = str(finding_id).split("#", 1)[0]
        rows = [r for r in db.query("SELECT * FROM findings WHERE key = ? ORDER BY run_id DESC", [key])
                if history.identity(dict(r, data=json.loads(r["data"] or "{}"))) == finding_id]
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
    return _append(db, {"identity": f["identity"], "site": f["site"], "check": f["check"], "url": f["url"],
                        "month": run["month"], "event": decision, "reason": reason.strip(),
                        "actor": actor or getpass.getuser(), "run_id": f["run_id"], "page_url": page_url,
                        "fingerprint": fp, "page_sha1": sha1, "source": "命令行"})


def accepted(db) -> dict[str, dict]:
    """identity -> the accepting event, for identities whose latest decision is an acceptance."""
    ensure_schema(db)
    out: dict[str, dict] = {}
    for ev in db.query("SELECT * FROM appeal_events WHERE event IN ('accepted', 'rejected') ORDER BY id"):
        if ev["event"] == ACCEPTED:
            out[ev["identity"]] = ev
        else:
            out.pop(ev["identity"], None)
    return out


def split(db, run_id: int, problems: Iterable[dict]) -> tuple[list[dict], list[dict]]:
    """(kept, omitted): problems of a run minus those an accepted appeal still covers.

    Covered means the run sees the page as it was when the appeal was accepted; an omitted
    problem carries its ``appeal`` event.
    """
    acc = accepted(db)
    kept, omitted = [], []
    for f in problems:
        ident = f.get("identity") or history.identity(f)
        ev = acc.get(ident)
        if ev is not None and page_state(db, run_id, f)[1] == ev["fingerprint"] and ev["fingerprint"]:
            omitted.append(dict(f, appeal=ev))
        else:
            kept.append(f)
    return kept, omitted
