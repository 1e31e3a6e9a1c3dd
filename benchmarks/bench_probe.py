"""Benchmark: one `govaudit probe` round over N sites (default 2,000) where 10 % of sites hang.

The healthy sites are served by nginx (one server, a distinct path per site — a probe is one GET,
so what matters is the server's speed, not the number of hosts); the hanging sites point at a
socket that accepts connections and never answers, so each of them costs the full 15 s deadline
plus the confirming retry. The target: the round ends within 2 minutes on this machine.

    python benchmarks/bench_probe.py --sites 2000 [--hang 0.10] [--timeout 15]
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HOME = "<html><head><title>临川市第{i}号单位网站</title></head><body><h1>第{i}号单位</h1><p>2026-11-20 工作动态</p></body></html>"


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_nginx(root: Path, work: Path) -> tuple[subprocess.Popen, int]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        sys.exit("需要 nginx（Debian：apt-get install nginx；make bench 会安装）")
    port = free_port()
    conf = work / "nginx.conf"
    conf.write_text(f"""
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  default_type text/html;
  charset utf-8;
  keepalive_timeout 0;
  server {{ listen 127.0.0.1:{port} backlog=4096; root {root}; }}
}}
""")
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(work)], stderr=subprocess.DEVNULL)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("nginx 未能启动，见 " + str(work / "error.log"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=2000)
    ap.add_argument("--hang", type=float, default=0.10)
    ap.add_argument("--timeout", type=float, default=15.0)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govaudit-bench-probe-"))
    work.chmod(0o755)  # nginx workers run as an unprivileged user
    root = work / "www"
    n_hang = int(args.sites * args.hang)
    for i in range(args.sites - n_hang):
        d = root / f"s{i}"
        d.mkdir(parents=True)
        (d / "index.html").write_text(HOME.format(i=i), encoding="utf-8")
    nginx, port = start_nginx(root, work)
    hang = socket.socket()
    hang.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    hang.bind(("127.0.0.1", 0))
    hang.listen(4096)  # the kernel completes the handshake; nobody ever reads or answers
    hang_port = hang.getsockname()[1]
    sites = [{"name": f"站点{i}", "url": f"http://127.0.0.1:{port}/s{i}/", "unit": f"单位{i}"}
             for i in range(args.sites - n_hang)]
    sites += [{"name": f"挂起站点{i}", "url": f"http://127.0.0.1:{hang_port}/h{i}/", "unit": f"挂起单位{i}"}
              for i in range(n_hang)]
    cfg = {"notice": {"issuer": "基准测试"}, "inspect": {"store": str(work / "probe.sqlite")}, "sites": sites,
           "probe": {"timeout": args.timeout, "workers": 256}}
    cfg_path = work / "sites.yaml"
    cfg_path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    govaudit = Path(sys.executable).parent / "govaudit"
    t0 = time.monotonic()
    proc = subprocess.Popen([str(govaudit), "probe", "--config", str(cfg_path)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    nginx.terminate()
    hang.close()
    import sqlite3

    db = sqlite3.connect(work / "probe.sqlite")
    ok, bad = db.execute("SELECT SUM(ok), SUM(1 - ok) FROM probes").fetchone()
    timeouts = db.execute("SELECT COUNT(*) FROM probes WHERE outcome = 'timeout'").fetchone()[0]
    other = db.execute("SELECT outcome, detail, COUNT(*) FROM probes WHERE ok = 0 AND url NOT LIKE ? GROUP BY 1, 2",
                       [f"%:{hang_port}/%"]).fetchall()
    print(f"sites={args.sites} hanging={n_hang} timeout={args.timeout:g}s workers=256")
    print(f"round wall={wall:.1f}s  ok={ok} failed={bad} (timeout={timeouts})  peak RSS={usage.ru_maxrss / 1024:.0f} MB"
          f"  exit={os.waitstatus_to_exitcode(status)}  target ≤ 120 s: {'met' if wall <= 120 else 'NOT met'}")
    for outcome, detail, n in other:
        print(f"  healthy sites that failed: {n} × {outcome} {detail}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
