"""Availability probes (站点无法访问): one round fetches every site's home page (and its key URLs) once.

The 2019 veto is measured over a week of repeated visits ("每天间隔性访问20次以上，超过（含）15秒网站仍
打不开的次数累计占比超过（含）5%"), not by one crawl. So a probe is deliberately not a crawl: one GET per
URL with a deadline for the *whole* page (connect, headers and body), outcome and time stored in the
store's ``probes`` table, where govaudit.availability and the ``site_unavailable`` check read them.

Probes use the standard library (http.client via urllib) in a thread pool rather than Scrapy: a round
is thousands of independent single requests that must each end by a wall-clock deadline, with no
scheduling, dedup or politeness between them, and ``--watch`` must run for weeks in one process —
Twisted's reactor cannot be restarted in a process, a thread pool can be reused forever.
"""
from __future__ import annotations

import random
import socket
import ssl
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

import sqlite_utils

#: Outcomes a probe can have; only "ok" counts as opened.
OUTCOMES = ("ok", "timeout", "refused", "dns", "tls", "reset", "http", "soft_error", "error")
OUTCOME_TEXT = {
    "ok": "正常打开", "timeout": "超时未打开", "refused": "连接被拒绝", "dns": "域名无法解析", "tls": "证书或加密连接错误",
    "reset": "连接中断", "http": "返回错误状态码", "soft_error": "返回错误提示页面", "error": "无法打开",
}
MAX_BODY = 2 * 1024 * 1024  # enough to tell an error page; a home page is rarely bigger


@dataclass(frozen=True)
class ProbeTarget:
    site_id: str
    site: str
    unit: str
    url: str
    kind: str = "home"  # home | key (sites[].probe_urls)


@dataclass
class ProbeResult:
    site_id: str
    site: str
    url: str
    kind: str
    at: str  # ISO timestamp of the round, with its UTC offset
    day: str  # the local calendar day of `at` (what the daily minimum counts)
    outcome: str
    ok: bool
    status: int | None
    elapsed_ms: int
    attempts: int
    detail: str

    def row(self) -> dict[str, Any]:
        return asdict(self)


def site_id_of(site: Any) -> str:
    """The stable key a site's probes are stored under: sites[].id, else the start URL's host (with its
    port when it has one: two sites on one address are two sites)."""
    from govaudit.store import default_site_id

    return getattr(site, "id", None) or default_site_id(site.url)


def targets_for(sites: Iterable[Any]) -> list[ProbeTarget]:
    out = []
    for s in sites:
        sid = site_id_of(s)
        out.append(ProbeTarget(sid, s.name, s.unit, s.url, "home"))
        for url in getattr(s, "probe_urls", None) or (s.config.get("probe_urls") if hasattr(s, "config") else None) or []:
            out.append(ProbeTarget(sid, s.name, s.unit, url, "key"))
    return out


def _classify(exc: BaseException) -> tuple[str, str]:
    """A failed open in the inspection's words; the order matters (TLS errors are OSErrors too)."""
    reason = getattr(exc, "reason", exc) if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return "timeout", "超时"
    if isinstance(reason, (ssl.SSLError, ssl.CertificateError)):
        return "tls", f"加密连接错误：{type(reason).__name__}"
    if isinstance(reason, socket.gaierror):
        return "dns", "域名无法解析"
    if isinstance(reason, ConnectionRefusedError):
        return "refused", "连接被拒绝"
    if isinstance(reason, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        return "reset", "连接被中断"
    if isinstance(reason, str) and "timed out" in reason:
        return "timeout", "超时"
    return "error", f"{type(reason).__name__}: {reason}"[:200]


def _soft_error(body: bytes, content_type: str) -> str | None:
    """A 200 that is no home page: empty, or an error/maintenance page (the crawler's own rule)."""
    if not body.strip():
        return "页面内容为空"
    if "html" not in (content_type or "html"):
        return None
    from lxml import html as lhtml

    from govaudit.crawler.pageclass import soft404_reason

    from w3lib.encoding import html_to_unicode

    try:
        _, text = html_to_unicode(content_type, body)  # header, BOM, <meta>, then detection
        doc = lhtml.document_fromstring(text)
    except Exception:  # noqa: BLE001 - unparsable markup is still a page that opened
        return None
    title = " ".join(doc.xpath("//title//text()")).strip()
    for bad in doc.xpath("//script|//style"):
        bad.drop_tree()
    return soft404_reason(title, doc.text_content())


def _socket_timeout(resp: Any, seconds: float) -> None:
    """Shrink the socket's timeout to what is left of the deadline (urllib only sets it once, at open)."""
    sock = getattr(getattr(resp.fp, "raw", None), "_sock", None)
    if sock is not None:
        try:
            sock.settimeout(seconds)
        except OSError:
            pass


def fetch_once(url: str, timeout: float, opener: urllib.request.OpenerDirector | None = None
               ) -> tuple[str, int | None, int, str]:
    """GET the page within `timeout` seconds for everything; (outcome, status, elapsed ms, detail)."""
    opener = opener or urllib.request.build_opener()
    start = time.monotonic()
    status: int | None = None

    def left() -> float:
        return timeout - (time.monotonic() - start)

    try:
        req = urllib.request.Request(url, headers={"User-Agent": "govaudit-probe/1 (+availability monitor of government websites)",
                                                   "Accept": "text/html,*/*;q=0.5", "Connection": "close"})
        with opener.open(req, timeout=max(left(), 0.1)) as resp:
            status = resp.status
            chunks, size = [], 0
            while size < MAX_BODY:
                if left() <= 0:
                    raise TimeoutError
                _socket_timeout(resp, max(left(), 0.05))
                chunk = resp.read1(65536)  # one receive: a trickling server cannot outlast the deadline
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            body = b"".join(chunks)
            ctype = resp.headers.get("Content-Type", "")
        elapsed = int((time.monotonic() - start) * 1000)
        if elapsed > timeout * 1000:
            return "timeout", status, elapsed, f"超过{timeout:g}秒未打开"
        why = _soft_error(body, ctype)
        if why:
            return "soft_error", status, elapsed, why
        return "ok", status, elapsed, ""
    except urllib.error.HTTPError as exc:
        return "http", exc.code, int((time.monotonic() - start) * 1000), f"HTTP {exc.code}"
    except Exception as exc:  # noqa: BLE001 - every way a page fails to open is an outcome
        outcome, detail = _classify(exc)
        if outcome == "timeout":
            detail = f"超过{timeout:g}秒未打开"
        return outcome, status, int((time.monotonic() - start) * 1000), detail


def probe_target(target: ProbeTarget, *, at: datetime, timeout: float) -> ProbeResult:
    """One probe; a failure is confirmed by one immediate retry on a fresh connection before it counts."""
    outcome, status, elapsed, detail = fetch_once(target.url, timeout)
    attempts = 1
    if outcome != "ok":
        attempts = 2
        outcome, status, elapsed, detail = fetch_once(target.url, timeout)
    return ProbeResult(site_id=target.site_id, site=target.site, url=target.url, kind=target.kind,
                       at=at.isoformat(timespec="seconds"), day=at.date().isoformat(), outcome=outcome,
                       ok=outcome == "ok", status=status, elapsed_ms=elapsed, attempts=attempts, detail=detail)


def probe_round(targets: list[ProbeTarget], *, at: datetime, timeout: float = 15.0, workers: int = 64
                ) -> list[ProbeResult]:
    """Probe every target once, concurrently (a hanging site holds one thread, not the round)."""
    if not targets:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(targets)))) as pool:
        return list(pool.map(lambda t: probe_target(t, at=at, timeout=timeout), targets))


def ensure_tables(db: sqlite_utils.Database) -> None:
    if "probes" not in db.table_names():
        db["probes"].create({"id": int, "site_id": str, "site": str, "url": str, "kind": str, "at": str, "day": str,
                             "outcome": str, "ok": int, "status": int, "elapsed_ms": int, "attempts": int,
                             "detail": str}, pk="id")
        db["probes"].create_index(["site_id", "day"])
    if "probe_alerts" not in db.table_names():
        db["probe_alerts"].create({"id": int, "site_id": str, "site": str, "started_at": str, "alerted_at": str,
                                   "recovered_at": str, "recovery_sent_at": str, "status": str}, pk="id")
        db["probe_alerts"].create_index(["site_id"])


def record(db: sqlite_utils.Database, results: list[ProbeResult]) -> None:
    ensure_tables(db)
    with db.conn:
        db["probes"].insert_all([r.row() for r in results])


def parse_at(value: str | None) -> datetime:
    """--at: an ISO timestamp (local time when it has no offset); now otherwise."""
    if not value:
        return datetime.now(timezone.utc).astimezone()
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"--at 时间格式应为 ISO 8601，如 2026-11-20T08:30:00+08:00，而不是“{value}”") from None
    return at if at.tzinfo else at.astimezone()


def next_delay(interval_s: float, jitter_s: float, rng: random.Random | None = None) -> float:
    """The pause before the next round: the interval plus random jitter, so probes do not all land
    on the hour (and no site sees the monitor at the same second every time)."""
    rng = rng or random
    return max(0.0, interval_s + rng.uniform(0, jitter_s))


def watch(run_round: Callable[[datetime], None], *, interval_s: float, jitter_s: float,
          rounds: int | None = None, sleep: Callable[[float], None] = time.sleep) -> int:
    """Run rounds forever (or `rounds` times): one long-running process instead of a cron line."""
    done = 0
    while rounds is None or done < rounds:
        run_round(datetime.now(timezone.utc).astimezone())
        done += 1
        if rounds is None or done < rounds:
            sleep(next_delay(interval_s, jitter_s))
    return done
