"""Benchmark: govaudit against bare Scrapy and LinkChecker on one nginx-served synthetic portal.

In one run, per site size: a bare Scrapy CrawlSpider (bare_scrapy.py) twice — over the site's
own URLs only, and checking the same URLs govaudit checks —, LinkChecker (its own venv, 32 threads), ``govaudit audit --concurrency 32 --delay 0`` in one process and with
``--redis … --workers 2``. The portal (static_site.py) is served by nginx; its external links
go to a second local host (127.0.0.2, also nginx), 5 % of them to a host that never answers
(127.0.0.3, a socket that is listened on and never read) and 2 % to a refused port (127.0.0.4).
For each tool: URLs/s, peak RSS, and dead-link precision/recall against the site's truth.

    python benchmarks/bench_crawl.py --pages 2000,20000 [--tools bare,bare-checking,linkchecker,govaudit,workers]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import static_site  # noqa: E402

LINKCHECKER_VENV = HERE / ".venv-linkchecker"
TIMEOUT = 20  # seconds, every tool: the crawl's configured DOWNLOAD_TIMEOUT
CONCURRENCY = 32
LAST_CPU = 0.0
LAST_SERVER_CPU = 0.0


@dataclass
class Result:
    tool: str
    urls: int
    wall: float
    rss: float
    precision: float | None
    recall: float | None
    load: str
    note: str = ""
    cpu: float = 0.0  # user + system seconds of the process and the children it waited for
    server_cpu: float = 0.0  # nginx and redis-server during the run: on a small machine they share its cores

    @property
    def rate(self) -> float:
        return self.urls / self.wall if self.wall else 0.0


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def proc_cpu(pids: list[int]) -> float:
    """User + system seconds of these processes and their children (nginx's workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo, seen = 0.0, list(pids), set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


SERVER_PIDS: list[int] = []  # nginx's master and redis-server: their CPU is counted per run


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def run_measured(cmd: list[str], limit: float | None = None, **kw) -> tuple[str, float, float, int]:
    """(stdout+stderr, wall seconds, peak RSS MB of the process tree's largest process, exit code).

    The CPU seconds of the run are left in ``LAST_CPU`` (most callers only need the four).

    With ``limit`` the process is stopped (SIGINT, then SIGKILL) after that many seconds."""
    import threading

    t0 = time.monotonic()
    global LAST_SERVER_CPU
    server0 = proc_cpu(SERVER_PIDS)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    timer = None
    if limit:
        def stop() -> None:
            proc.send_signal(2)
            time.sleep(5)
            if proc.poll() is None:
                proc.kill()
        timer = threading.Timer(limit, stop)
        timer.start()
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if timer:
        timer.cancel()
    global LAST_CPU
    LAST_CPU = usage.ru_utime + usage.ru_stime
    LAST_SERVER_CPU = proc_cpu(SERVER_PIDS) - server0
    return out, time.monotonic() - t0, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


class Servers:
    """nginx (site + healthy external host), a blackhole socket and a refused port."""

    def __init__(self, pages: int) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="govaudit-bench-crawl-"))
        self.work.chmod(0o755)  # nginx workers run as an unprivileged user
        site_port, ext_port, refused_port = free_port(), free_port("127.0.0.2"), free_port("127.0.0.4")
        self.hole = socket.socket()
        self.hole.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.hole.bind(("127.0.0.3", 0))
        self.hole.listen(4096)  # the kernel completes the handshake; nobody ever reads or answers
        self.hosts = static_site.Hosts(site=f"http://127.0.0.1:{site_port}", external=f"http://127.0.0.2:{ext_port}",
                                       blackhole=f"http://127.0.0.3:{self.hole.getsockname()[1]}",
                                       refused=f"http://127.0.0.4:{refused_port}")
        static_site.write_site(self.work / "www", pages, self.hosts)
        for d in self.work.rglob("*"):
            if d.is_dir():
                d.chmod(0o755)
        self.nginx = self._nginx(site_port, ext_port)
        self.url = self.hosts.site + "/"
        self.all_urls, self.dead = static_site.truth(pages, self.hosts)

    def _nginx(self, site_port: int, ext_port: int) -> subprocess.Popen:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            sys.exit("需要 nginx（Debian：apt-get install nginx；make bench 会安装）")
        conf = self.work / "nginx.conf"
        www = self.work / "www"
        conf.write_text(f"""
worker_processes 1;
daemon off;
pid {self.work}/nginx.pid;
error_log {self.work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  types {{ text/html html; image/png png; application/pdf pdf; text/css css; text/plain txt; }}
  default_type application/octet-stream;
  charset utf-8;
  keepalive_requests 100000;
  server {{ listen 127.0.0.1:{site_port} backlog=4096; root {www}/site; }}
  server {{ listen 127.0.0.2:{ext_port} backlog=4096; root {www}/ext; }}
}}
""")
        proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(self.work)], stderr=subprocess.DEVNULL)
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", site_port), timeout=0.2).close()
                return proc
            except OSError:
                time.sleep(0.1)
        proc.kill()
        sys.exit("nginx 未能启动，见 " + str(self.work / "error.log"))

    def close(self) -> None:
        self.nginx.terminate()
        self.nginx.wait()
        self.hole.close()
        shutil.rmtree(self.work, ignore_errors=True)


def score(reported: set[str], dead: set[str]) -> tuple[float, float]:
    hit = len(reported & dead)
    return (hit / len(reported) if reported else 1.0), (hit / len(dead) if dead else 1.0)


def bench_bare(srv: Servers, external: bool = False) -> Result:
    """Bare Scrapy: the site's own URLs only, or (``external``) every URL a link check needs."""
    with tempfile.TemporaryDirectory() as tmp:
        broken = Path(tmp) / "broken.txt"
        before = load()
        out, wall, rss, _ = run_measured([sys.executable, str(HERE / "bare_scrapy.py"), srv.url, str(CONCURRENCY), str(broken),
                                          *(["--external"] if external else [])])
        line = [l for l in out.splitlines() if l.startswith("RESULT")]
        urls = int(line[0].split("checked=")[1].split()[0]) if line else 0
        reported = set(broken.read_text().split()) if broken.exists() else set()
    p, r = score(reported, srv.dead)
    if external:
        return Result("bare Scrapy checking", urls, wall, rss, p, r, f"{before} → {load()}",
                      "同样检查站外链接、图片和样式表，遵守 robots.txt，不重试", LAST_CPU, LAST_SERVER_CPU)
    return Result("bare Scrapy", urls, wall, rss, p, r, f"{before} → {load()}", "只查本站（Scrapy 站外过滤）", LAST_CPU, LAST_SERVER_CPU)


def bench_linkchecker(srv: Servers, limit: float) -> Result | None:
    exe = LINKCHECKER_VENV / "bin" / "linkchecker"
    if not exe.exists():
        print(f"(LinkChecker 未安装：{exe}；make bench 会安装)")
        return None
    tmp = Path(tempfile.mkdtemp(prefix="govaudit-bench-lc-"))
    tmp.chmod(0o777)  # LinkChecker run as root drops privileges to nobody
    out_csv = tmp / "out.csv"
    before = load()
    out, wall, rss, _ = run_measured([str(exe), "--threads", str(CONCURRENCY), "--check-extern", "--timeout", str(TIMEOUT),
                                      "--no-warnings", "-o", "none", "-F", f"csv/utf-8/{out_csv}", srv.url], limit=limit)
    # Its status line (every 5 s) counts what it checked, also when stopped at the limit.
    status = [l for l in out.splitlines() if "URLs checked" in l]
    checked = int(status[-1].split(" in ")[1].split()[0]) if status else 0
    finished = wall < limit
    urls, reported = set(), set()
    if out_csv.exists():
        rows = [l for l in out_csv.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
        for row in csv.DictReader(rows, delimiter=";"):
            url = row.get("url") or row.get("urlname") or ""
            urls.add(url)
            if str(row.get("valid")).lower() in ("false", "0"):
                reported.add(url)
    shutil.rmtree(tmp, ignore_errors=True)
    if not finished:
        wall = min(wall, limit)
        return Result("LinkChecker", checked, wall, rss, None, None, f"{before} → {load()}",
                      f"{CONCURRENCY} 线程；{limit:.0f} 秒时仍未完成，按已检查数计", LAST_CPU, LAST_SERVER_CPU)
    p, r = score(reported, srv.dead)
    return Result("LinkChecker", max(len(urls), checked), wall, rss, p, r, f"{before} → {load()}", f"{CONCURRENCY} 线程", LAST_CPU, LAST_SERVER_CPU)


def bench_govaudit(srv: Servers, pages: int, extra: list[str], name: str, config: str = "") -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "c.yaml"
        # Room for every page and every dead link (a dead internal link is a page request too):
        # the page budget must never be what ends the crawl, or pages go unparsed.
        cfg.write_text(f"crawl:\n  max_pages: {2 * pages + 100}\n  progress_interval: 0\n{config}")
        before = load()
        cmd = [str(Path(sys.executable).parent / "govaudit"), "audit", srv.url,
               "--as-of", "2026-11-21", "--out", tmp + "/out", "--config", str(cfg), "-q",
               "--concurrency", str(CONCURRENCY), "--delay", "0", *extra]
        profile = os.environ.get("BENCH_PYSPY")  # a folder: sample every govaudit process with py-spy (slower)
        if profile:
            out_file = Path(profile) / f"{name.replace(' ', '_').replace('-', '')}_{pages}.txt"
            cmd = [str(Path(sys.executable).parent / "py-spy"), "record", "--subprocesses", "--nonblocking", "-r", "40",
                   "-f", "raw", "-o", str(out_file), "--", *cmd]
        out, wall, rss, code = run_measured(cmd)
        if code:
            print(out[-3000:])
        db = sqlite3.connect(tmp + "/out/govaudit.sqlite")
        urls = db.execute("SELECT count(DISTINCT url) FROM fetches").fetchone()[0]
        budget = json.loads(db.execute("SELECT stats FROM runs").fetchone()[0] or "{}").get("budgets")
        if budget:
            print(f"   ({name}: work budgets were hit: {budget})", flush=True)
        missing = srv.all_urls - {u for (u,) in db.execute("SELECT url FROM fetches")}
        if missing:
            print(f"   ({name}: {len(missing)} URLs of the truth never fetched, e.g. {sorted(missing)[:5]}; "
                  f"stats {db.execute('SELECT stats FROM runs').fetchone()[0][:300]})", flush=True)
        n_pages = db.execute("SELECT count(*) FROM pages").fetchone()[0]
        # When the last URL that answered was in: failing hosts must not hold the healthy part back.
        answered = db.execute("SELECT (julianday(max(f.fetched_at)) - julianday(r.started_at)) * 86400 FROM fetches f "
                              "JOIN runs r ON r.id = f.run_id WHERE f.error_class IS NULL").fetchone()[0] or 0
        reported = set()
        with open(tmp + "/out/findings.jsonl", encoding="utf-8") as f:
            for line in f:
                finding = json.loads(line)
                if finding["check"] == "dead_link":
                    reported.add(finding["url"])
    p, r = score(reported, srv.dead)
    return Result(name, urls, wall, rss, p, r, f"{before} → {load()}",
                  f"{n_pages} 页；含检查与出报告；应答的网址在开始后 {answered:.0f} 秒内全部完成", LAST_CPU, LAST_SERVER_CPU)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=str, default="2000", help="comma-separated site sizes, e.g. 2000,20000")
    ap.add_argument("--tools", type=str, default="bare,bare-checking,linkchecker,govaudit,workers")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--content-off", action="store_true", help="also run govaudit with the content checks off")
    ap.add_argument("--linkchecker-limit", type=float, default=150, help="stop LinkChecker after this many seconds")
    a = ap.parse_args()
    tools = set(a.tools.split(",")) | ({"content-off"} if a.content_off else set())
    redis_proc = redis_url = None
    if "workers" in tools:
        port = free_port()
        redis_proc = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                       "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        redis_url = f"redis://127.0.0.1:{port}/0"
        time.sleep(0.5)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE).stdout.strip()
    print(f"machine: {os.cpu_count()} cores, {os.uname().release}; server: nginx; commit {commit}; timeout {TIMEOUT} s")
    table: list[tuple[int, int, int, list[Result]]] = []
    try:
        for size in [int(x) for x in a.pages.split(",")]:
            srv = Servers(size)
            SERVER_PIDS[:] = [srv.nginx.pid] + ([redis_proc.pid] if redis_proc else [])
            results: list[Result] = []
            try:
                print(f"== {size} pages: {len(srv.all_urls)} URLs to check, {len(srv.dead)} broken", flush=True)
                runs = [("bare", lambda: bench_bare(srv)), ("bare-checking", lambda: bench_bare(srv, external=True)),
                        ("linkchecker", lambda: bench_linkchecker(srv, a.linkchecker_limit)),
                        ("govaudit", lambda: bench_govaudit(srv, size, [], "govaudit 单进程")),
                        ("workers", lambda: bench_govaudit(srv, size, ["--redis", redis_url, "--workers", str(a.workers)],
                                                           f"govaudit --workers {a.workers}")),
                        # The content checks (privacy, hidden links, wording, messages, attachments) off:
                        # what they add is the difference to the one-process run above.
                        ("content-off", lambda: bench_govaudit(srv, size, [], "govaudit 单进程 内容检查关闭",
                                                               "content:\n  enabled: false\n"))]
                for key, run in runs:
                    if key not in tools:
                        continue
                    r = run()
                    if r is None:
                        continue
                    results.append(r)
                    print(f"{r.tool:<20} {r.urls:>7} URLs {r.wall:7.1f} s {r.rate:6.0f} URLs/s  peak RSS {r.rss:5.0f} MB  "
                          f"P/R={pr(r)}  CPU {r.cpu:6.1f} s + servers {r.server_cpu:5.1f} s  load {r.load}  ({r.note})", flush=True)
            finally:
                srv.close()
            table.append((size, len(srv.all_urls), len(srv.dead), results))
            summary(results)
    finally:
        if redis_proc:
            redis_proc.terminate()
    print("\n| 页面数（URL 数/断链数） | 工具 | URLs/s | 用时 | CPU | 服务端 CPU | 峰值内存 | 断链准确率/召回率 | 负载（前 → 后） |\n|---|---|---|---|---|---|---|---|---|")
    for size, n_urls, n_dead, results in table:
        for r in results:
            print(f"| {size:,}（{n_urls:,}/{n_dead}） | {r.tool} | {r.rate:.0f} | {r.wall:.1f} s | {r.cpu:.0f} s | {r.server_cpu:.0f} s | {r.rss:.0f} MB | "
                  f"{pr(r)} | {r.load} |")


def pr(r: Result) -> str:
    return "—" if r.precision is None else f"{r.precision:.2f}/{r.recall:.2f}"


def summary(results: list[Result]) -> None:
    by = {r.tool.split()[0] + (" w" if "workers" in r.tool else "") + (" c" if "checking" in r.tool else ""): r
          for r in results if "关闭" not in r.tool}
    g, b, lc, w = by.get("govaudit"), by.get("bare"), by.get("LinkChecker"), by.get("govaudit w")
    bc = by.get("bare c")
    if g and b:
        print(f"   govaudit / bare Scrapy  = {g.rate / b.rate:.2f}x (target >= 0.8x; bare checks the site's own URLs only)")
    if g and bc:
        print(f"   govaudit / bare Scrapy checking the same URLs = {g.rate / bc.rate:.2f}x")
    if g and lc:
        print(f"   govaudit / LinkChecker  = {g.rate / lc.rate:.2f}x (target >= 1.0x)")
    if g and w:
        print(f"   --workers / 1 process   = {w.rate / g.rate:.2f}x (target >= 1.6x)")
        # On a machine whose cores are all busy, wall time is total CPU / cores: what the workers
        # can gain is bounded by the CPU the servers (nginx, redis-server) take from them.
        cores = os.cpu_count() or 1
        for r in (g, w):
            print(f"   {r.tool}: govaudit {r.cpu:.0f} s + servers {r.server_cpu:.0f} s CPU = "
                  f"{(r.cpu + r.server_cpu) / (cores * r.wall):.0%} of {cores} cores for {r.wall:.1f} s")
    off = next((r for r in results if "关闭" in r.tool), None)
    if g and off:
        print(f"   content checks on vs off: wall {g.wall:.1f} / {off.wall:.1f} s ({g.wall / off.wall - 1:+.1%}), "
              f"CPU {g.cpu:.1f} / {off.cpu:.1f} s ({g.cpu / off.cpu - 1:+.1%})")


if __name__ == "__main__":
    main()
