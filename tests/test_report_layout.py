"""report.html as people see it (issue 17): the demo portal audited without --name, then laid out by a
real headless Chromium at 1366 px and at 390 px wide.

A script injected into a copy of the report measures the rendered page and writes the result into
the DOM, which `chromium --dump-dom` prints: the page never scrolls sideways, two-to-four-character
headers (序号, 程度, 条数 …) stay on one line, 文号/dates/numbers are not broken inside the token, and
the summary names checks in Chinese. Screenshots go to /work/coord/shots (GOVAUDIT_SHOTS).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from portal import audit_portal

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="需要 Chromium（Debian 软件包 chromium）")
SHOTS = Path(os.environ.get("GOVAUDIT_SHOTS", "/work/coord/shots"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--hide-scrollbars",
         "--disable-extensions", "--no-first-run", "--font-render-hinting=none"]

MEASURE = """
<script>
(function () {
  function lines(el) {
    var r = document.createRange(); r.selectNodeContents(el);
    var tops = {};
    Array.prototype.forEach.call(r.getClientRects(), function (x) { if (x.width > 0) tops[Math.round(x.top)] = 1; });
    return Object.keys(tops).length;
  }
  var vw = document.documentElement.clientWidth;
  var out = {viewport: vw, scrollWidth: document.documentElement.scrollWidth, title: document.title,
             stacked: [], broken: [], outside: []};
  document.querySelectorAll("th").forEach(function (th) {
    var t = th.textContent.trim();
    if (t.length >= 2 && t.length <= 4 && lines(th) > 1) out.stacked.push(t);
  });
  document.querySelectorAll(".nowrap, td.date, td.num").forEach(function (el) {
    if (lines(el) > 1) out.broken.push(el.textContent.trim());
  });
  document.querySelectorAll("body *").forEach(function (el) {
    if (el.closest(".table-wrap")) return;  // wide tables scroll inside their own box
    var b = el.getBoundingClientRect();
    if (b.width > 0 && b.right > vw + 1) out.outside.push(el.tagName + ":" + (el.textContent || "").trim().slice(0, 30));
  });
  out.summary = Array.prototype.map.call(document.querySelectorAll("table.summary-table td:first-child"),
                                         function (td) { return td.textContent.trim(); });
  var pre = document.createElement("pre"); pre.id = "layout-result"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


FRAME = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{{margin:0}}iframe{{border:0;display:block}}</style>
</head><body><iframe id="f" src="{src}" style="width:{width}px;height:{height}px"></iframe>
<script>window.addEventListener("load", function () {{
  var r = document.getElementById("f").contentDocument.getElementById("layout-result");
  var pre = document.createElement("pre"); pre.id = "frame-result"; pre.textContent = r ? r.textContent : "{{}}";
  document.body.appendChild(pre);
}});</script></body></html>"""


def frame(html: Path, width: int, height: int, src: str) -> str:
    """A page holding the report in an iframe of exactly ``width`` CSS px: headless Chromium's window
    cannot be narrower than 500 px, an iframe can (its viewport is what a 390 px phone shows)."""
    name = f"frame-{width}-{src.split('.')[0]}.html"
    (html.parent / name).write_text(FRAME.format(src=src, width=width, height=height), encoding="utf-8")
    return name


@pytest.fixture(scope="module")
def served(report):
    """The report folder over real HTTP on 127.0.0.1 (same origin for the frame and the report)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

    html, _ = report
    srv = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(html.parent)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}/"
    srv.shutdown()
    srv.server_close()


def measure(html: Path, width: int, tmp: Path, base: str) -> dict:
    import html as htmlmod

    probe = html.with_name("layout-probe.html")
    probe.write_text(html.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    page = frame(html, width, 900, probe.name)
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp / f'chrome-{width}'}", f"--window-size={width + 40},900",
                           "--virtual-time-budget=5000", "--dump-dom", base + page], capture_output=True, text=True, timeout=120)
    m = re.search(r'<pre id="frame-result">(.*?)</pre>', proc.stdout, re.S)
    assert m, proc.stderr[-2000:]
    return json.loads(htmlmod.unescape(m.group(1)))


def screenshot(html: Path, width: int, tmp: Path, base: str, name: str) -> Path:
    shot = tmp / name
    page = frame(html, width, 1600, html.name)
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp / f'chrome-shot-{width}'}", f"--window-size={max(width, 500)},1600",
                    "--virtual-time-budget=5000", f"--screenshot={shot}", base + page], capture_output=True, text=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, SHOTS / name)
    except OSError:
        pass
    return shot


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("layout")
    res = audit_portal(tmp)  # no --name
    assert res.code in (0, 1), res.stderr[-2000:]
    return res.out / "report.html", tmp


def test_title_is_the_sites_own_name(report):
    html = report[0].read_text(encoding="utf-8")
    assert "<title>临川市人民政府门户网站网站检查报告</title>" in html
    assert re.search(r'<h1><span class="nowrap">临川市人民政府门户网站</span>', html)


@pytest.mark.parametrize("width", [1366, 390])
def test_report_fits_the_screen(report, served, width):
    html, tmp = report
    got = measure(html, width, tmp, served)
    assert got["viewport"] <= width and got["scrollWidth"] <= got["viewport"], got
    assert got["outside"] == [], got["outside"][:10]
    assert got["stacked"] == [], got["stacked"]
    assert got["broken"] == [], got["broken"][:10]
    assert got["summary"] and not any(re.fullmatch(r"[a-z_]+", s) for s in got["summary"]), got["summary"]
    assert all(re.search(r"[\u4e00-\u9fff]", s) for s in got["summary"])
    screenshot(html, width, tmp, served, f"report-{width}.png")
