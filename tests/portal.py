"""Run the demo portal's real HTTP servers and a real `govaudit audit` against them."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from demo.server import PortalServer, serve_pair

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo"

TEST_CRAWL = {
    "delay": 0,
    "concurrency": 8,
    "timeout": 2,
    "retry_backoff": 0.05,
    "progress_interval": 0,
    "offline_dns": True,
}


@dataclass
class AuditResult:
    code: int
    out: Path
    stderr: str
    base: str
    ext: str
    server: PortalServer

    def findings(self) -> list[dict]:
        path = self.out / "findings.jsonl"
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def by_check(self, check: str) -> dict[str, dict]:
        return {f["url"]: f for f in self.findings() if f["check"] == check}

    def url(self, path: str) -> str:
        return self.base + path

    def path(self, url: str) -> str:
        """A URL as the fixtures' EXPECTED.md write it: site-relative, the partner site as {EXT}."""
        return url.replace(self.base, "").replace(self.ext, "{EXT}")

    def inventory(self, kind: str) -> list[dict]:
        db = sqlite3.connect(self.out / "govaudit.sqlite")
        (data,) = db.execute("SELECT data FROM inventory WHERE kind = ?", [kind]).fetchone()
        return json.loads(data)

    def docs(self) -> dict[str, dict]:
        return {self.path(d["url"]): d for d in self.inventory("documents")}

    def check(self, check: str) -> dict[str, dict]:
        """Findings of one check, keyed by site-relative URL."""
        return {self.path(u): f for u, f in self.by_check(check).items()}


def write_config(path: Path, crawl: dict | None = None, extra: dict | None = None) -> Path:
    cfg = {"crawl": {**TEST_CRAWL, **(crawl or {})}}
    cfg.update(extra or {})
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path


def run_cli(*args: str, timeout: int = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "govaudit", *args], capture_output=True, text=True, timeout=timeout,
        cwd=ROOT, env={**os.environ, **(env or {})},
    )


def audit_portal(tmp: Path, root: Path = DEMO / "portal", crawl: dict | None = None, *extra_args: str,
                 as_of: str = "2026-11-21") -> AuditResult:
    server, ext = serve_pair(root, DEMO / "external")
    cfg = write_config(tmp / "config.yaml", crawl)
    out = tmp / "out"
    proc = run_cli("audit", server.base_url + "/", "--as-of", as_of, "--out", str(out), "--config", str(cfg), *extra_args)
    ext.shutdown()
    server.shutdown()
    return AuditResult(proc.returncode, out, proc.stderr, server.base_url, ext.base_url, server)


def static_site_findings(site: Path, tmp: Path, as_of: str, crawl: dict | None = None) -> list[dict]:
    """Audit a static fixture site (a blind portal) with the real CLI; its findings with the server's
    address taken out of ``url`` and ``found_on`` ("/" for the start page). ``crawl``: settings of
    the crawl section (``{"check_external": False}`` for a portal linking www.gov.cn: no test goes out)."""
    server = PortalServer(site).start()
    try:
        proc = run_cli("audit", server.base_url + "/", "--as-of", as_of, "--out", str(tmp / "out"),
                       "--config", str(write_config(tmp / "c.yaml", crawl)), "-q")
    finally:
        server.shutdown()
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [json.loads(line) for line in (tmp / "out" / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    for f in rows:
        f["url"] = f["url"].replace(server.base_url, "") or "/"
        f["found_on"] = [u.replace(server.base_url, "") or "/" for u in f["found_on"]]
    return rows


def blind_findings(name: str, tmp_path_factory, as_of: str = "2026-12-01") -> list[dict]:
    """The findings of the blind fixture tests/fixtures/NAME/site (external links not checked)."""
    return static_site_findings(ROOT / "tests" / "fixtures" / name / "site", tmp_path_factory.mktemp(name), as_of,
                                {"check_external": False})


def problems(findings: list[dict]) -> list[tuple]:
    """(check, url, data.rule) of every finding above info, in a stable order: what EXPECTED.md lists."""
    return sorted(((f["check"], f["url"], (f.get("data") or {}).get("rule")) for f in findings if f["severity"] != "info"),
                  key=str)


GOLDEN = ROOT / "tests" / "golden"


def golden_view(result: AuditResult) -> dict:
    """What must not change in a refactor: every finding and the column/document inventories, with the
    servers' random ports written as {BASE}/{EXT} and rows in a stable order."""

    def norm(text: str) -> str:
        return text.replace(result.base, "{BASE}").replace(result.ext, "{EXT}")

    def canon(value):
        # Crawl order is not deterministic: lists of plain values (pages, found_on) compare as sets.
        if isinstance(value, dict):
            return {k: canon(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [canon(v) for v in value]
            return sorted(items, key=str) if all(not isinstance(v, (dict, list)) for v in items) else items
        return value

    def dump(row) -> str:
        return norm(json.dumps(canon(row), ensure_ascii=False, sort_keys=True))

    findings = sorted(dump(f) for f in result.findings())
    inv = {kind: sorted(dump(row) for row in result.inventory(kind))
           for kind in ("columns", "documents")}
    return {"findings": findings, **inv}


def assert_golden(result: AuditResult, name: str) -> None:
    """Compare an audit with tests/golden/NAME.json; GOVAUDIT_UPDATE_GOLDEN=1 rewrites the file (review the diff)."""
    path = GOLDEN / f"{name}.json"
    view = golden_view(result)
    if os.environ.get("GOVAUDIT_UPDATE_GOLDEN") == "1" or not path.exists():
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(view, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return
    want = json.loads(path.read_text(encoding="utf-8"))
    for key in want:
        missing = sorted(set(want[key]) - set(view.get(key, [])))
        extra = sorted(set(view.get(key, [])) - set(want[key]))
        assert not missing and not extra, f"{name} {key} changed:\n- " + "\n- ".join(missing) + "\n+ " + "\n+ ".join(extra)
