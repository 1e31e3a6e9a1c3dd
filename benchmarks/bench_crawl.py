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


def run_measured(cmd: list[str]) -> tuple[str, float, float]:
    """(stdout+stderr, wall seconds, peak RSS MB) of one child process."""
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return out, time.monotonic() - t0, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=16)
    a = ap.parse_args()
    server = subprocess.Popen([sys.executable, str(HERE / "synth_site.py"), "--pages", str(a.pages)], stdout=subprocess.PIPE, text=True)
    url = server.stdout.readline().strip()
    try:
        out, wall, rss = run_measured([sys.executable, str(HERE / "bare_scrapy.py"), url, str(a.concurrency)])
        line = [l for l in out.splitlines() if l.startswith("RESULT")]
        bare_urls = int(line[0].split("responses=")[1].split()[0]) if line else 0
        bare_rate = bare_urls / wall
        print(f"bare scrapy : {bare_urls} URLs in {wall:.1f} s = {bare_rate:.0f} URLs/s; peak RSS {rss:.0f} MB")

        with tempfile.TemporaryDirectory() as tmp:
            cfg = Path(tmp) / "c.yaml"
            cfg.write_text(f"crawl:\n  delay: 0\n  concurrency: {a.concurrency}\n  max_pages: {a.pages + 10}\n  progress_interval: 0\n")
            out, wall, rss = run_measured([sys.executable, "-m", "govaudit", "audit", url, "--as-of", "2026-11-21",
                                           "--out", tmp + "/out", "--config", str(cfg), "-q"])
            db = sqlite3.connect(tmp + "/out/govaudit.sqlite")
            urls = db.execute("SELECT count(*) FROM fetches").fetchone()[0]
            pages = db.execute("SELECT count(*) FROM pages").fetchone()[0]
            links = db.execute("SELECT count(*) FROM links").fetchone()[0]
            dead = db.execute("SELECT count(*) FROM findings WHERE [check]='dead_link'").fetchone()[0]
        rate = urls / wall
        print(f"govaudit    : {urls} URLs ({pages} pages, {links} links, {dead} dead) in {wall:.1f} s "
              f"(crawl+checks+reports) = {rate:.0f} URLs/s, {pages / wall:.0f} pages/s; peak RSS {rss:.0f} MB")
        print(f"ratio       : govaudit / bare = {rate / bare_rate:.2f}x (target >= 0.8x)")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
