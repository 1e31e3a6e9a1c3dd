"""Hostile and broken input, each on a real local server: bounded time and memory, clear lines."""
from __future__ import annotations

import datetime
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from demo.server import PortalServer, https_server
from portal import DEMO, ROOT, write_config

FIXTURE = Path(__file__).parent / "fixtures" / "hostile"


def make_cert(tmp: Path, name: str, expired: bool) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    start, end = (now - datetime.timedelta(days=400), now - datetime.timedelta(days=30)) if expired else (now - datetime.timedelta(days=1), now + datetime.timedelta(days=30))
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp / f"{name}.crt", tmp / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_file, key_file


def audit(url: str, out: Path, cfg: Path) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run the real CLI; return its result, wall time and the peak RSS (MB) of any child so far."""
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "govaudit", "audit", url, "--out", str(out), "--config", str(cfg),
                           "--as-of", "2026-11-21"], cwd=ROOT, capture_output=True, text=True, timeout=240)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return proc, time.monotonic() - t0, peak


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    root = tmp / "site"
    shutil.copytree(FIXTURE, root)
    tls_self = https_server(DEMO / "external", *make_cert(tmp, "self", expired=False)).start()
    tls_old = https_server(DEMO / "external", *make_cert(tmp, "old", expired=True)).start()
    index = root / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace("{{TLS_SELF}}", tls_self.base_url).replace("{{TLS_EXPIRED}}", tls_old.base_url), encoding="utf-8")
    server = PortalServer(root).start()
    cfg = write_config(tmp / "c.yaml", {"max_query_variants": 10, "max_bytes": 5 * 1024 * 1024, "hosts": {"intranet.hostile.test": "10.0.0.5"}})
    proc, elapsed, peak = audit(server.base_url + "/", tmp / "out", cfg)
    for s in (server, tls_self, tls_old):
        s.shutdown()
    return proc, elapsed, tmp / "out", server, peak


def _by(out: Path, check: str) -> dict[str, dict]:
    import json

    rows = [json.loads(l) for l in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    return {f["url"]: f for f in rows if f["check"] == check}


def test_audit_finishes_in_bounded_time(hostile):
    proc, elapsed, out, _, peak = hostile
    assert proc.returncode == 0, proc.stderr
    assert elapsed < 120
    assert peak < 400, f"peak RSS {peak:.0f} MB"


def test_traps_are_bounded(hostile):
    _, _, out, server, _ = hostile
    db = sqlite3.connect(out / "govaudit.sqlite")
    calendar = db.execute("SELECT count(*) FROM fetches WHERE url LIKE '%calendar.php%' AND status = 200").fetchone()[0]
    assert calendar <= 11
    trapped = db.execute("SELECT count(*) FROM fetches WHERE url LIKE '%calendar.php%' AND error_class = 'not_checked'").fetchone()[0]
    assert trapped >= 1
    assert sum(1 for m, p in server.log if p == "/session.jsp") == 1
    assert not any("calendar" in u for u in _by(out, "dead_link"))


def test_huge_pages_and_bombs_are_cut_off_not_dead(hostile):
    _, _, out, server, _ = hostile
    unverifiable = _by(out, "unverifiable_link")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for path in ("/huge.html", "/huge-nolength.html", "/bomb.html"):
        assert unverifiable[base + path]["data"]["reason"] == "too_large", path
    assert not any(base + p in _by(out, "dead_link") for p in ("/huge.html", "/bomb.html"))


def test_loops_drips_and_bad_tls_are_dead_and_the_audit_goes_on(hostile):
    _, _, out, server, _ = hostile
    dead = {u: f["data"]["reason"] for u, f in _by(out, "dead_link").items()}
    base = f"http://127.0.0.1:{server.server_address[1]}"
    assert dead[base + "/loop/a.html"] == "redirect_loop"
    assert dead[base + "/drip.html"] == "timeout"
    tls = [u for u, r in dead.items() if u.startswith("https://") and r == "tls"]
    assert len(tls) == 2
    assert dead[base + "/gone-xss.html"] == "http_404"


def test_malformed_and_misdeclared_pages_are_read(hostile):
    _, _, out, server, _ = hostile
    db = sqlite3.connect(out / "govaudit.sqlite")
    for path in ("/from-malformed.html", "/also-ok.html", "/badlink.html", "/unquoted.html"):
        (status,) = db.execute("SELECT status FROM fetches WHERE url LIKE ?", ["%" + path]).fetchone()
        assert status == 200, path
    titles = {u.rsplit("/", 1)[-1]: t for u, t in db.execute("SELECT url, title FROM pages")}
    assert titles["gbk.nocharset.html"] == "统计信息_测试站"
    assert titles["wrong-charset.html"] == "关于做好冬季安全生产工作的通知"


def test_page_content_never_runs_in_reports(hostile):
    _, _, out, _, _ = hostile
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    import csv

    with open(out / "findings.csv", encoding="utf-8-sig") as fh:
        for row in csv.reader(fh):
            assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_links_into_private_networks_are_not_fetched(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("*.html"))
    (root / "_routes.yaml").write_text("{}", encoding="utf-8")
    (root / "index.html").write_text(
        '<html><head><meta charset="utf-8"><title>门户</title></head><body>'
        '<a href="http://10.0.0.1/admin">内网后台</a><a href="http://169.254.169.254/latest/">元数据</a>'
        '<a href="http://intranet.hostile.test/">内网域名</a><a href="http://127.0.0.1:9/x">本机</a>'
        '<a href="/ok.html">正常</a></body></html>', encoding="utf-8")
    (root / "ok.html").write_text("<html><head><title>正常页面</title></head><body><p>正常页面的内容。</p></body></html>", encoding="utf-8")
    server = PortalServer(root).start()
    port = server.server_address[1]
    cfg = write_config(tmp_path / "c.yaml", {"allow_private": False,
                                              "hosts": {"www.hostile.test": "127.0.0.1", "intranet.hostile.test": "10.0.0.5"}})
    proc, _, _ = audit(f"http://www.hostile.test:{port}/", tmp_path / "out", cfg)
    server.shutdown()
    assert proc.returncode == 0, proc.stderr
    unverifiable = _by(tmp_path / "out", "unverifiable_link")
    blocked = {u for u, f in unverifiable.items() if f["data"]["reason"] == "blocked_private"}
    assert {"http://10.0.0.1/admin", "http://169.254.169.254/latest/", "http://127.0.0.1:9/x"} <= blocked
    assert unverifiable["http://intranet.hostile.test/"]["data"]["reason"] == "blocked_private"
    assert "http://intranet.hostile.test/" not in _by(tmp_path / "out", "dead_link")
    assert ("GET", "/ok.html") in server.log


def test_robots_that_block_everything(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    (root / "index.html").write_text("<html><body><a href='/a.html'>a</a></body></html>", encoding="utf-8")
    server = PortalServer(root).start()
    proc, _, _ = audit(server.base_url + "/", tmp_path / "out", write_config(tmp_path / "c.yaml"))
    server.shutdown()
    assert proc.returncode == 0, proc.stderr
    assert "robots.txt 禁止抓取首页" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert server.log == [("GET", "/robots.txt")]
