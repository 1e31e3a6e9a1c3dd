"""Spawned workers (issue 9 items 9 and 17): no password on a command line, no source folder
picked up from the working directory, and a clear stop when they keep dying."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from demo.server import PortalServer
from govaudit.crawler.distributed import _spawn
from portal import ROOT, write_config

PASSWORD = "worker-secret-17"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    exe = shutil.which("redis-server")
    if not exe:
        pytest.fail("redis-server is not installed (make test installs it)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tmp = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--requirepass", PASSWORD,
                             "--save", "", "--appendonly", "no", "--dir", str(tmp)], stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://:{PASSWORD}@127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait()


def test_the_redis_password_is_not_on_a_worker_command_line(redis_url, tmp_path):
    (proc,) = _spawn(redis_url, 1, idle=1, log_dir=tmp_path)
    try:
        time.sleep(0.3)
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        environ = Path(f"/proc/{proc.pid}/environ").read_bytes()
    finally:
        proc.terminate()
        proc.wait()
    assert b"govaudit" in cmdline and b"worker" in cmdline
    assert PASSWORD.encode() not in cmdline
    assert f"GOVAUDIT_REDIS_PASSWORD={PASSWORD}".encode() in environ


def _shadowing_folder(tmp_path: Path) -> Path:
    """A folder whose ./govaudit is not the installed package (a checkout, a stale copy)."""
    folder = tmp_path / "cwd"
    (folder / "govaudit").mkdir(parents=True)
    (folder / "govaudit" / "__init__.py").write_text("raise ImportError('the source folder was imported')\n")
    return folder


def test_workers_ignore_a_source_folder_in_the_working_directory(redis_url, tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text("<html><head><title>门户</title></head><body><a href='/gone.html'>失效</a></body></html>",
                                     encoding="utf-8")
    server = PortalServer(root).start()
    exe = ROOT / ".venv" / "bin" / "govaudit"
    if not exe.exists():
        exe = Path(shutil.which("govaudit") or "govaudit")
    proc = subprocess.run([str(exe), "audit", server.base_url + "/", "--as-of", "2026-11-21", "--out", str(tmp_path / "out"),
                           "--config", str(write_config(tmp_path / "c.yaml")), "--redis", redis_url, "--workers", "1"],
                          cwd=_shadowing_folder(tmp_path), capture_output=True, text=True, timeout=120)
    server.shutdown()
    assert proc.returncode == 0, proc.stderr
    assert "/gone.html" in (tmp_path / "out" / "findings.jsonl").read_text(encoding="utf-8")


def test_workers_that_keep_dying_stop_the_run_with_their_log_named(redis_url, tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text("<html><body>门户</body></html>", encoding="utf-8")
    server = PortalServer(root).start()
    # A real failure in every worker: an extension that cannot be imported.
    cfg = write_config(tmp_path / "c.yaml", {"scrapy": {"EXTENSIONS": {"govaudit.no_such_module.Extension": 1}}})
    t0 = time.monotonic()
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "govaudit"), "audit", server.base_url + "/", "--as-of", "2026-11-21",
                           "--out", str(tmp_path / "out"), "--config", str(cfg), "--redis", redis_url, "--workers", "1"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=150)
    server.shutdown()
    assert proc.returncode != 0
    assert "工作进程" in proc.stderr and "日志" in proc.stderr, proc.stderr
    log = proc.stderr.split("日志：")[1].split("、")[0].strip()
    assert os.path.exists(log) and "no_such_module" in Path(log).read_text(errors="replace")
    assert time.monotonic() - t0 < 140
