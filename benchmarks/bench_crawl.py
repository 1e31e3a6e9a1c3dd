"""Benchmark: govaudit vs a bare Scrapy crawl of the same synthetic portal, in one run.

Prints pages/s, URLs/s and peak RSS of each crawler process.

    python benchmarks/bench_crawl.py --pages 20000
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


LAST_CPU = [0.0]  # CPU seconds (user + system, with reaped children) of the last measured process


def run_measured(cmd: list[str]) -> tuple[str, float, float]:
    """(stdout+stderr, wall seconds, peak RSS MB) of one child process; its CPU time in LAST_CPU
    (steadier than wall time on a shared machine)."""
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    return out, time.monotonic() - t0, usage.ru_maxrss / 1024


def start_redis() -> tuple[subprocess.Popen, str]:
    import shutil
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    return proc, f"redis://127.0.0.1:{port}/0"


def bench_govaudit(url: str, pages: int, concurrency: int, extra: list[str], content: bool = True) -> tuple[float, int, int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "c.yaml"
        cfg.write_text(f"crawl:\n  delay: 0\n  concurrency: {concurrency}\n  max_pages: {pages + 10}\n  progress_interval: 0\n"
                       + ("" if content else "content:\n  enabled: false\n"))
        out, wall, rss = run_measured([sys.executable, "-m", "govaudit", "audit", url, "--as-of", "2026-11-21",
                                       "--out", tmp + "/out", "--config", str(cfg), "-q", *extra])
        db = sqlite3.connect(tmp + "/out/govaudit.sqlite")
        urls = db.execute("SELECT count(*) FROM fetches").fetchone()[0]
        n_pages = db.execute("SELECT count(*) FROM pages").fetchone()[0]
    return wall, urls, n_pages, rss


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=str, default="2000", help="comma-separated site sizes, e.g. 2000,20000,50000")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--workers", type=int, default=0, help="also run --redis with this many local workers")
    ap.add_argument("--no-bare", action="store_true", help="skip the bare Scrapy baseline")
    ap.add_argument("--content-off", action="store_true",
                    help="also audit with the content checks off (content.enabled: false) and print the added time")
    a = ap.parse_args()
    redis_proc, redis_url = start_redis() if a.workers else (None, "")
    try:
        for size in [int(x) for x in a.pages.split(",")]:
            server = subprocess.Popen([sys.executable, str(HERE / "synth_site.py"), "--pages", str(size)], stdout=subprocess.PIPE, text=True)
            url = server.stdout.readline().strip()
            try:
                print(f"== {size} pages")
                bare_rate = None
                if not a.no_bare:
                    out, wall, rss = run_measured([sys.executable, str(HERE / "bare_scrapy.py"), url, str(a.concurrency)])
                    line = [l for l in out.splitlines() if l.startswith("RESULT")]
                    bare_urls = int(line[0].split("responses=")[1].split()[0]) if line else 0
                    bare_rate = bare_urls / wall
                    print(f"bare scrapy : {bare_urls} URLs in {wall:.1f} s = {bare_rate:.0f} URLs/s; peak RSS {rss:.0f} MB")
                wall, urls, pages, rss = bench_govaudit(url, size, a.concurrency, [])
                cpu = LAST_CPU[0]
                rate = urls / wall
                print(f"govaudit    : {urls} URLs ({pages} pages) in {wall:.1f} s (crawl+checks+reports) = {rate:.0f} URLs/s, "
                      f"{pages / wall:.0f} pages/s; peak RSS {rss:.0f} MB")
                if bare_rate:
                    print(f"ratio       : govaudit / bare = {rate / bare_rate:.2f}x (target >= 0.8x)")
                if a.content_off:
                    wall0, urls0, pages0, rss0 = bench_govaudit(url, size, a.concurrency, [], content=False)
                    cpu0 = LAST_CPU[0]
                    print(f"content off : {urls0} URLs ({pages0} pages) in {wall0:.1f} s; peak RSS {rss0:.0f} MB; "
                          f"content checks add {100 * (wall - wall0) / wall0:.1f}% wall time, "
                          f"{100 * (cpu - cpu0) / cpu0:.1f}% CPU ({cpu0:.0f} -> {cpu:.0f} s) (target < 15%)")
                if a.workers:
                    wall2, urls2, pages2, rss2 = bench_govaudit(url, size, a.concurrency, ["--redis", redis_url, "--workers", str(a.workers)])
                    print(f"redis x{a.workers}    : {urls2} URLs ({pages2} pages) in {wall2:.1f} s = {urls2 / wall2:.0f} URLs/s "
                          f"(coordinator peak RSS {rss2:.0f} MB); speed-up {wall / wall2:.2f}x over one process")
            finally:
                server.terminate()
    finally:
        if redis_proc:
            redis_proc.terminate()


if __name__ == "__main__":
    main()
