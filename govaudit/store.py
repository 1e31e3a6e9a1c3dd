"""The SQLite store: one file holds every run, fetch, page, link and finding.

Schema (documented in README.md, "数据存储"):

- ``runs``      one audit of one site: display name, stable site id, start URL, as-of date, month, status, settings, stats.
- ``fetches``   one row per unique URL requested in a run: final URL, redirect chain, status,
                content type, size, time, error class (dns, refused, timeout, tls, reset, http,
                too_large, robots, redirect_loop, not_checked), soft-404 verdict, title.
- ``pages``     one row per crawled HTML page of the site: title, depth, home flag, page kind,
                and the extracted facts (meta tags, listing, document metadata) as JSON.
- ``links``     one row per (source page, target, tag, attribute): anchor text, home flag.
- ``findings``  check results: check id, url, found_on, severity, detail, data, and ``key``
                (Finding.identity: check + url, + #rule).
- ``finding_history``  one row per site id and finding identity over the monthly
                inspections: first/last seen, months seen, open or fixed (govaudit.history).
- ``attachments`` one row per attachment read for personal data: extraction status, format, masked
                privacy findings (never a full number).
- ``_sqlite_migrations``  which schema migrations (MIGRATIONS below) a store has had.
- ``deliveries`` one row per month, unit and recipient of the 整改清单 mail: sent or failed,
                attempts, last error (govaudit.reports.mailer).

Rows are written in batches while the crawl runs, in WAL mode, so an interrupted crawl keeps
what it fetched, and a reader (the checks) can open the file at any time.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

import sqlite_utils
from sqlite_utils.migrations import Migrations

from govaudit.checks.finding import Finding

#: Schema migrations, applied in order by sqlite_utils' Migrations (recorded in _sqlite_migrations).
MIGRATIONS = Migrations("govaudit")


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


#: Seconds a writer waits for another connection's write lock before the write fails.
BUSY_TIMEOUT = 60.0


class StoreWriteError(RuntimeError):
    """A write to the store failed (locked by another writer, disk full, read-only file …)."""


def write_error_text(exc: BaseException) -> str:
    """The store's failure in words for people: what happened and what to do."""
    text = str(exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        why = "数据库被其他程序占用（锁定），等待超时"
    elif "full" in low or "no space" in low:
        why = "磁盘空间已满"
    elif "readonly" in low or "read-only" in low:
        why = "数据库文件只读"
    else:
        why = "数据库写入出错"
    return f"{why}（{type(exc).__name__}: {text[:200]}）"


def open_db(path: str | Path, busy_timeout: float | None = None) -> sqlite_utils.Database:
    """Open (and create or migrate) the store; WAL keeps writes cheap and lets readers in mid-crawl."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    timeout = BUSY_TIMEOUT if busy_timeout is None else float(busy_timeout)
    conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Apply pending migrations.

    Crawl workers and the coordinator open one store at once: the migrations run inside one
    BEGIN IMMEDIATE, so the second opener waits for the first and then finds nothing pending
    (each migration is a savepoint within it, as sqlite_utils nests atomic()).
    """
    if not MIGRATIONS.pending(db):
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        MIGRATIONS.apply(db)
    except BaseException:
        db.conn.rollback()
        raise
    db.execute("COMMIT")


@MIGRATIONS(name="001_initial")
def _initial(db: sqlite_utils.Database) -> None:
    """Schema version 1 (before migrations were recorded: a store of then already has it)."""
    db["runs"].create(
        {
            "id": int,
            "site": str,
            "unit": str,
            "start_url": str,
            "host": str,
            "as_of": str,
            "month": str,
            "status": str,  # running | crawled (checks pending) | complete | interrupted | failed
            "started_at": str,
            "finished_at": str,
            "settings": str,
            "stats": str,
        },
        pk="id", if_not_exists=True,
    )
    db["runs"].create_index(["site", "month"], if_not_exists=True)
    db["fetches"].create(
        {
            "run_id": int,
            "url": str,
            "method": str,
            "final_url": str,
            "redirects": str,  # JSON list of [url, reason]
            "status": int,
            "content_type": str,
            "size": int,
            "elapsed_ms": int,
            "error_class": str,
            "error": str,
            "title": str,
            "soft404": str,  # why the page looks like an error page, or NULL
            "challenge": int,  # anti-bot page detected
            "internal": int,
            "fetched_at": str,
        },
        pk=("run_id", "url"), if_not_exists=True,
    )
    db["pages"].create(
        {
            "run_id": int,
            "url": str,
            "final_url": str,
            "title": str,
            "depth": int,
            "is_home": int,
            "kind": str,
            "meta": str,
            "facts": str,
        },
        pk=("run_id", "url"), if_not_exists=True,
    )
    db["links"].create(
        {
            "run_id": int,
            "source": str,
            "target": str,
            "anchor": str,
            "tag": str,
            "attr": str,
            "source_is_home": int,
        },
        pk=("run_id", "source", "target", "tag", "attr"), if_not_exists=True,
    )
    db["links"].create_index(["run_id", "target"], if_not_exists=True)
    db["findings"].create(
        {
            "id": int,
            "run_id": int,
            "site": str,
            "check": str,
            "url": str,
            "found_on": str,
            "severity": str,
            "detail": str,
            "data": str,
            "key": str,
        },
        pk="id", if_not_exists=True,
    )
    db["findings"].create_index(["run_id", "check"], if_not_exists=True)
    db["findings"].create_index(["key"], if_not_exists=True)
    db["inventory"].create({"run_id": int, "kind": str, "data": str}, pk=("run_id", "kind"), if_not_exists=True)
    _inspect_tables(db)
    db["meta"].insert({"key": "schema_version", "value": 1}, pk="key", replace=True)


@MIGRATIONS(name="002_site_id")
def _site_id(db: sqlite_utils.Database) -> None:
    """History keyed by a stable site id (sites[].id, default the start host), not the display name.

    Runs get ``site_id`` (old runs: their start URL's host[:port]); findings' ``key`` becomes
    Finding.identity; finding_history is keyed by (site id, identity) and rebuilt from the runs.
    """
    db["runs"].add_column("site_id", str)
    for row in list(db.query("SELECT id, start_url FROM runs")):
        db.execute("UPDATE runs SET site_id = ? WHERE id = ?", [default_site_id(row["start_url"]), row["id"]])
    db["runs"].create_index(["site_id", "month"], if_not_exists=True)
    db.execute("UPDATE findings SET key = [check] || '|' || url || coalesce('#' || json_extract(data, '$.rule'), '')")
    db["finding_history"].drop()
    _history_table(db)
    from govaudit import history

    for row in list(db.query("SELECT DISTINCT site_id FROM runs")):
        history.rebuild(db, row["site_id"])
    db["meta"].insert({"key": "schema_version", "value": 2}, pk="key", replace=True)


@MIGRATIONS(name="003_attachments")
def _attachments(db: sqlite_utils.Database) -> None:
    """``attachments``: one row per attachment the crawl read for personal data (crawler/attachment_scan.py):
    extraction status (ok, no_text, too_large, unsupported, failed, timeout), format, reason, pages,
    the link text and page title it was found under, and the privacy findings (masked samples only)."""
    db["attachments"].create(
        {"run_id": int, "url": str, "final_url": str, "status": str, "kind": str, "reason": str, "size": int,
         "pages": int, "truncated": int, "anchor": str, "context": str, "privacy": str},
        pk=("run_id", "url"), if_not_exists=True,
    )


def default_site_id(start_url: str) -> str:
    """A site's stable id when sites.yaml gives none: its start URL's host (with a port, if any)."""
    parts = urlsplit(start_url or "")
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


def create_run(
    db: sqlite_utils.Database,
    *,
    site: str,
    start_url: str,
    host: str,
    as_of: str,
    month: str,
    unit: str = "",
    settings: dict | None = None,
    site_id: str = "",
) -> int:
    """A new run; ``site_id`` is the site's stable id (default: the start URL's host)."""
    table = db["runs"]
    table.insert(
        {
            "site": site,
            "site_id": site_id or default_site_id(start_url),
            "unit": unit,
            "start_url": start_url,
            "host": host,
            "as_of": as_of,
            "month": month,
            "status": "running",
            "started_at": now_iso(),
            "finished_at": None,
            "settings": json.dumps(settings or {}, ensure_ascii=False),
            "stats": "{}",
        }
    )
    return table.last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, stats: dict | None = None) -> None:
    db["runs"].update(
        run_id,
        {"status": status, "finished_at": now_iso(), "stats": json.dumps(stats or {}, ensure_ascii=False, default=str)},
    )


def get_run(db: sqlite_utils.Database, run_id: int) -> dict:
    return db["runs"].get(run_id)


def write_rows(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    """Upsert a batch in one transaction: a resumed crawl rewrites a URL, never duplicates it."""
    write_batch(db, {table: rows})


def write_batch(db: sqlite_utils.Database, batches: dict[str, list[dict]]) -> None:
    """Upsert rows of several tables in one transaction, in the given table order.

    All or nothing: when the write fails (lock timeout, disk full) none of the rows is stored,
    so a resumed crawl fetches exactly those URLs again. The error is StoreWriteError, with
    SQLite's own message (never the "cannot rollback" of a transaction SQLite already undid)."""
    batches = {t: rows for t, rows in batches.items() if rows}
    if not batches:
        return
    try:
        with db.atomic():
            for table, rows in batches.items():
                db[table].insert_all(rows, replace=True, batch_size=500)
    except sqlite3.Error as exc:
        raise StoreWriteError(write_error_text(exc)) from exc


def replace_findings(db: sqlite_utils.Database, run_id: int, findings: Iterable[Finding | dict]) -> int:
    """Swap a run's findings atomically, so a crash mid-check never leaves half a result."""
    rows = []
    for f in map(Finding.of, findings):
        rows.append(
            {
                "run_id": run_id,
                "site": f.site,
                "check": f.check,
                "url": f.url,
                "found_on": json.dumps(f.found_on, ensure_ascii=False),
                "severity": f.severity,
                "detail": f.detail,
                "data": json.dumps(f.data, ensure_ascii=False, default=str),
                "key": f.identity,
            }
        )
    try:
        with db.atomic():
            db.execute("DELETE FROM findings WHERE run_id = ?", [run_id])
            if rows:
                db["findings"].insert_all(rows, batch_size=500)
    except sqlite3.Error as exc:
        raise StoreWriteError(write_error_text(exc)) from exc
    return len(rows)


def run_findings(db: sqlite_utils.Database, run_id: int) -> list[dict]:
    out = []
    for row in db.query("SELECT * FROM findings WHERE run_id = ? ORDER BY id", [run_id]):
        row["found_on"] = json.loads(row["found_on"] or "[]")
        row["data"] = json.loads(row["data"] or "{}")
        out.append(row)
    return out


def iter_rows(db: sqlite_utils.Database, sql: str, params: list[Any] | None = None) -> Iterator[dict]:
    yield from db.query(sql, params or [])


def save_inventory(db: sqlite_utils.Database, run_id: int, inventory: dict[str, list[dict]]) -> None:
    rows = [{"run_id": run_id, "kind": k, "data": json.dumps(v, ensure_ascii=False, default=str)} for k, v in inventory.items()]
    try:
        with db.atomic():
            db.execute("DELETE FROM inventory WHERE run_id = ?", [run_id])
            db["inventory"].insert_all(rows, replace=True)
    except sqlite3.Error as exc:
        raise StoreWriteError(write_error_text(exc)) from exc


def load_inventory(db: sqlite_utils.Database, run_id: int) -> dict[str, list[dict]]:
    if "inventory" not in db.table_names():
        return {}
    return {r["kind"]: json.loads(r["data"]) for r in db.query("SELECT kind, data FROM inventory WHERE run_id = ?", [run_id])}


def _inspect_tables(db: sqlite_utils.Database) -> None:
    """Tables of the monthly inspection (schema 1): finding history across months, and mail deliveries.

    Kept beside the crawl tables so one file answers "when was this first seen, is it fixed,
    did the unit get its list" without any other state.
    """
    db["finding_history"].create(
        {"identity": str, "site": str, "check": str, "url": str, "severity": str, "detail": str, "first_seen": str,
         "first_month": str, "last_seen": str, "last_month": str, "months": str, "status": str, "fixed_month": str},
        pk="identity", if_not_exists=True,
    )
    db["deliveries"].create(
        {
            "id": int,
            "month": str,
            "unit": str,
            "recipient": str,
            "subject": str,
            "attachment": str,
            "sha256": str,
            "status": str,  # sent | failed
            "attempts": int,
            "error": str,
            "message_id": str,
            "updated_at": str,
        },
        pk="id", if_not_exists=True,
    )
    db["deliveries"].create_index(["month", "unit", "recipient"], unique=True, if_not_exists=True)


def _history_table(db: sqlite_utils.Database) -> None:
    """finding_history (schema 2): one row per site id and finding identity (govaudit.history)."""
    db["finding_history"].create(
        {
            "site_id": str,  # the stable site id (sites[].id, default the start host)
            "identity": str,  # Finding.identity: check|url (+ #rule when one URL carries several verdicts)
            "site": str,  # display name, as last inspected
            "check": str,
            "url": str,
            "severity": str,
            "detail": str,  # as last seen
            "first_seen": str,  # as-of date of the first inspection that found it
            "first_month": str,
            "last_seen": str,
            "last_month": str,
            "months": str,  # JSON list of the months it was found in
            "status": str,  # open | fixed
            "fixed_month": str,  # first verifiable inspection month without it
        },
        pk=("site_id", "identity"),
    )
    db["finding_history"].create_index(["site"])


def delete_run(db: sqlite_utils.Database, run_id: int) -> None:
    """Remove a run and every row that belongs to it (any table with a run_id column)."""
    tables = [t for t in db.table_names() if t != "runs" and "run_id" in db[t].columns_dict]
    try:
        with db.atomic():
            for t in tables:
                db.execute(f"DELETE FROM [{t}] WHERE run_id = ?", [run_id])
            db.execute("DELETE FROM runs WHERE id = ?", [run_id])
    except sqlite3.Error as exc:
        raise StoreWriteError(write_error_text(exc)) from exc
