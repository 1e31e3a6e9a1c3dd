"""Store write errors stop the crawl (issue 9, item 3): a real lock held by another connection,
a real full filesystem (tmpfs), a real `govaudit audit` subprocess. Nothing unwritten counts as
fetched, the run is `interrupted`, and `--resume` reaches what an uninterrupted audit reaches."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from govaudit import store
from portal import ROOT, run_cli, write_config

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth_site import make_server  # noqa: E402

PAGES = 250


def _serve(delay: float):
    srv = make_server(PAGES, delay=delay)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}/"


def _findings(out: Path) -> set[tuple]:
    rows = [json.loads(l) for l in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    return {(f["check"], f["url"].split("/", 3)[-1]) for f in rows if f["check"] != "search_broken"}  # a resumed crawl does not read the home page again, so it tries no site search (README 抓取规则)


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("whole")
    cfg = write_config(tmp / "c.yaml", {"concurrency": 4, "max_pages": 1000})
    srv, url = _serve(0.0)
    proc = run_cli("audit", url, "--out", str(tmp / "out"), "--config", str(cfg), "--as-of", "2026-11-21")
    srv.shutdown()
    assert proc.returncode == 0, proc.stderr
    db = sqlite3.connect(tmp / "out" / "govaudit.sqlite")
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("pages", "fetches", "links")}
    return _findings(tmp / "out"), counts


def _counts(db_path) -> dict:
    db = sqlite3.connect(db_path)
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("pages", "fetches", "links")}


def _wait(db_path, n: int, child) -> int:
    deadline = time.monotonic() + 90
    stored = 0
    while time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.1)
        try:
            stored = sqlite3.connect(db_path, timeout=0.1).execute("SELECT count(*) FROM fetches").fetchone()[0]
        except sqlite3.Error:
            continue
        if stored >= n:
            break
    return stored


def test_store_locked_by_another_writer_stops_and_resume_completes(tmp_path, whole):
    cfg = write_config(tmp_path / "c.yaml", {"concurrency": 4, "max_pages": 1000, "store_timeout": 0.5})
    srv, url = _serve(0.02)
    out = tmp_path / "out"
    db_path = out / "govaudit.sqlite"
    child = subprocess.Popen([sys.executable, "-m", "govaudit", "audit", url, "--out", str(out), "--config", str(cfg),
                              "--as-of", "2026-11-21", "-q"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _wait(db_path, 30, child) >= 30
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program's write lock
    other.execute("INSERT INTO meta (key, value) VALUES ('lock-holder', 1)")
    time.sleep(4)
    other.execute("ROLLBACK")
    other.close()
    _, err = child.communicate(timeout=120)
    assert child.returncode == 3, err
    assert "检查未完成" in err and "数据库写入失败" in err and "锁定" in err
    assert "检查完成" not in err
    db = sqlite3.connect(db_path)
    status, stats = db.execute("SELECT status, stats FROM runs").fetchone()
    assert status == "interrupted" and "store_error" in json.loads(stats)
    assert _counts(db_path)["fetches"] < whole[1]["fetches"]
    proc = run_cli("audit", url, "--out", str(out), "--config", str(cfg), "--as-of", "2026-11-21", "--resume")
    srv.shutdown()
    assert proc.returncode == 0, proc.stderr
    assert sqlite3.connect(db_path).execute("SELECT status FROM runs").fetchone()[0] == "complete"
    assert _findings(out) == whole[0]
    assert _counts(db_path) == whole[1]


@pytest.fixture
def tiny_fs(tmp_path):
    """A 600 KB tmpfs: the store fills it mid-crawl. Needs mount rights (root in the test container)."""
    mnt = tmp_path / f"fs-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode(errors='replace')}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)])


def test_disk_full_stops_with_the_real_error_and_resume_completes(tmp_path, whole, tiny_fs):
    cfg = write_config(tmp_path / "c.yaml", {"concurrency": 4, "max_pages": 1000})
    srv, url = _serve(0.0)
    out = tmp_path / "out"
    db_path = tiny_fs / "g.sqlite"
    proc = run_cli("audit", url, "--out", str(out), "--db", str(db_path), "--config", str(cfg), "--as-of", "2026-11-21")
    assert proc.returncode == 3, proc.stderr
    assert "检查未完成" in proc.stderr and "磁盘空间已满" in proc.stderr, proc.stderr
    assert "cannot rollback" not in proc.stderr and "Traceback" not in proc.stderr
    assert "检查完成" not in proc.stderr
    # Room again: the same store, resumed.
    subprocess.run(["mount", "-o", "remount,size=64m", str(tiny_fs)], check=True)
    proc = run_cli("audit", url, "--out", str(out), "--db", str(db_path), "--config", str(cfg), "--as-of", "2026-11-21", "--resume")
    srv.shutdown()
    assert proc.returncode == 0, proc.stderr
    assert sqlite3.connect(db_path).execute("SELECT status FROM runs").fetchone()[0] == "complete"
    assert _findings(out) == whole[0]
    assert _counts(db_path) == whole[1]


def test_write_batch_is_all_or_nothing_and_names_the_real_error(tmp_path):
    db = store.open_db(tmp_path / "s.sqlite")
    run_id = store.create_run(db, site="s", start_url="http://a/", host="a", as_of="2026-11-21", month="2026-11")
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 2}")
    rows = [{"run_id": run_id, "url": f"http://a/{i}", "title": "x" * 2000} for i in range(200)]
    with pytest.raises(store.StoreWriteError) as exc:
        store.write_batch(db, {"pages": rows, "fetches": [{"run_id": run_id, "url": "http://a/0", "status": 200}]})
    assert "磁盘空间已满" in str(exc.value) and "rollback" not in str(exc.value).lower()
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM fetches").fetchone()[0] == 0
    with pytest.raises(store.StoreWriteError):
        store.replace_findings(db, run_id, [{"check": "dead_link", "url": f"http://a/{i}", "detail": "x" * 3000} for i in range(100)])
    assert not db.conn.in_transaction
