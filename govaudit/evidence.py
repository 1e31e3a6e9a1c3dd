"""Evidence: a screenshot of where each veto/high finding shows, element outlined, time and URL stamped.

A unit that disputes "首页链接不可用" or "栏目不更新" is answered best by a picture of its own
page as the inspector saw it: the home page with the broken link outlined, the column page
with its newest date outlined, the document page's metadata block. Screenshots need a real
browser: Chromium driven by Playwright (Debian's /usr/bin/chromium; Playwright's own browser
download is not needed). Without either, nothing is captured, the note says so, and nothing
fails — evidence is an aid, never a condition of the notice.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SEVERITIES = ("veto", "high")
OUTLINE = "#FF0000"
STAMP_BG = "#FFF200"
NO_BROWSER = "未找到 Chromium 浏览器或 Playwright，未生成问题截图（安装 chromium 与 playwright 后重新运行即可生成）"
VIEWPORT = {"width": 1280, "height": 900}

#: Outline the elements, scroll the first into view, and stamp time and URL on the page.
_MARK_JS = """([mode, value, stamp, outline, bg]) => {
  const norm = u => { try { const x = new URL(u, document.baseURI); x.hash = ''; return x.href; } catch (e) { return u; } };
  let found = [];
  if (mode === 'link') {
    const want = norm(value);
    for (const el of document.querySelectorAll('a[href], area[href], img[src], script[src], iframe[src], link[href], embed[src], source[src]')) {
      const u = el.getAttribute('href') !== null && el.tagName !== 'IMG' ? el.href : el.src;
      if (u && norm(u) === want) found.push(el.tagName === 'LINK' || el.tagName === 'SCRIPT' ? null : el);
    }
    found = found.filter(Boolean);
  } else if (mode === 'text' && value) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (walker.currentNode.nodeValue.includes(value)) { found.push(walker.currentNode.parentElement); }
    }
  }
  for (const el of found.slice(0, 10)) {
    el.style.setProperty('outline', '4px solid ' + outline, 'important');
    el.style.setProperty('outline-offset', '2px', 'important');
  }
  if (found.length) { found[0].scrollIntoView({block: 'center'}); }
  const s = document.createElement('div');
  s.textContent = stamp;
  s.setAttribute('style', 'position:fixed;left:0;right:0;top:0;z-index:2147483647;background:' + bg +
    ';color:#000;font:bold 16px sans-serif;padding:6px 10px;border-bottom:2px solid #000;opacity:1;');
  document.documentElement.appendChild(s);
  return found.length;
}"""


@dataclass
class Shot:
    identity: str
    check: str
    url: str  # the finding's url
    page: str  # the page photographed
    file: str = ""  # relative to the output directory; "" when not captured
    marked: int = 0  # elements outlined
    taken_at: str = ""
    note: str = ""


@dataclass
class Evidence:
    shots: list[Shot] = field(default_factory=list)
    note: str = ""  # why nothing (or not everything) was captured

    def by_identity(self) -> dict[str, Shot]:
        return {s.identity: s for s in self.shots if s.file}


def chromium_path() -> str | None:
    """GOVAUDIT_CHROMIUM, else a chromium on PATH, else Debian's /usr/bin/chromium."""
    for cand in (os.environ.get("GOVAUDIT_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                 "/usr/bin/chromium"):
        if cand and Path(cand).is_file() and os.access(cand, os.X_OK):
            return cand
    return None


def target(f: dict) -> tuple[str, str, str] | None:
    """(page to photograph, how to find the element: link|text|none, value), or None."""
    data = f.get("data") or {}
    check = f["check"]
    if check in ("dead_link", "unverifiable_link"):
        pages = f.get("found_on") or []
        return (pages[0], "link", f["url"]) if pages else None
    if check in ("stale_column", "blank_column"):
        return f["url"], "text", data.get("newest_date") or ""
    if check == "stale_homepage":
        return f["url"], "text", data.get("newest_date") or ""
    if check == "column_veto":
        cols = data.get("columns") or []
        return (cols[0].get("url"), "text", cols[0].get("newest_date") or "") if cols and cols[0].get("url") else None
    if check in ("missing_validity", "expired_still_valid", "missing_interpretation", "late_interpretation"):
        return f["url"], "text", "有效性" if "validity" in check or check == "expired_still_valid" else (data.get("doc_number") or "")
    if check == "site_unreachable":
        return None
    return f["url"], "none", ""


def _file_name(i: int, f: dict) -> str:
    tail = re.sub(r"[^A-Za-z0-9]+", "_", f["url"].split("://", 1)[-1])[-60:].strip("_")
    return f"{i:03d}-{f['check']}-{tail}.png"


def capture(findings: Iterable[dict], out_dir: Path, *, chromium: str | None = None, timeout_ms: int = 20000,
            severities: tuple[str, ...] = SEVERITIES, limit: int = 200, site_hosts: set[str] | None = None,
            allow_private: bool = False) -> Evidence:
    """Screenshots of the veto/high findings into out_dir (evidence.json lists them).

    With ``site_hosts`` the browser may load private/loopback addresses only from those hosts
    (recheck.blocked, the crawler's rule), so a hostile page cannot make it reach the intranet.
    """
    wanted = [f for f in findings if f.get("severity") in severities][:limit]
    ev = Evidence()
    exe = chromium or chromium_path()
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        ev.note = NO_BROWSER
        return ev
    if not exe or not Path(exe).is_file():
        ev.note = NO_BROWSER
        return ev
    if not wanted:
        return ev
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, timeout=timeout_ms * 2)
            try:
                context = browser.new_context(viewport=VIEWPORT, ignore_https_errors=True,
                                              service_workers="block", accept_downloads=False)
                if site_hosts is not None:
                    _guard(context, {h.lower() for h in site_hosts}, allow_private)
                for i, f in enumerate(wanted, 1):
                    ev.shots.append(_shoot(context, f, i, out_dir, timeout_ms, PlaywrightError))
            finally:
                browser.close()
    except Exception as exc:  # a browser that does not start must not stop the inspection
        ev.note = f"Chromium 无法启动（{type(exc).__name__}），未生成问题截图"
    done = sum(1 for s in ev.shots if s.file)
    if ev.shots and done < len(ev.shots) and not ev.note:
        ev.note = f"{len(ev.shots) - done} 个问题未能截图，原因见 evidence.json"
    (out_dir / "evidence.json").write_text(json.dumps({"note": ev.note, "shots": [asdict(s) for s in ev.shots]},
                                                      ensure_ascii=False, indent=1), encoding="utf-8")
    return ev


def _guard(context, site_hosts: set[str], allow_private: bool) -> None:
    from urllib.parse import urlsplit

    from govaudit.recheck import blocked

    verdicts: dict[str, bool] = {}

    def route(r) -> None:
        url = r.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("http://", "https://")):
            if host not in verdicts:
                verdicts[host] = blocked(url, site_hosts, allow_private)
            if verdicts[host]:
                r.abort()
                return
        r.continue_()

    context.route("**/*", route)


def _shoot(context, f: dict, i: int, out_dir: Path, timeout_ms: int, error_type) -> Shot:
    from govaudit.history import identity

    t = target(f)
    shot = Shot(identity=f.get("identity") or identity(f), check=f["check"], url=f["url"], page=t[0] if t else "")
    if t is None:
        shot.note = "该类问题没有可截图的页面"
        return shot
    page_url, mode, value = t
    page = context.new_page()
    try:
        page.goto(page_url, wait_until="load", timeout=timeout_ms)
        shot.taken_at = datetime.now().astimezone().isoformat(timespec="seconds")
        stamp = f"截图时间：{shot.taken_at.replace('T', ' ')}　网址：{page_url}"
        shot.marked = int(page.evaluate(_MARK_JS, [mode, value, stamp, OUTLINE, STAMP_BG]) or 0)
        name = _file_name(i, f)
        page.screenshot(path=str(out_dir / name), full_page=False, timeout=timeout_ms)
        shot.file = name
        if mode != "none" and not shot.marked:
            shot.note = "页面中未找到对应元素，截图为页面可见部分"
    except error_type as exc:
        shot.note = f"页面无法打开或截图失败：{str(exc).splitlines()[0][:120]}"
    finally:
        page.close()
    return shot


def thumbnail(path: Path, width: int = 640) -> bytes:
    """A small copy of a screenshot, for embedding in the notice's appendix."""
    import io

    from PIL import Image

    img = Image.open(path)
    img.thumbnail((width, width * 2))
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def month_evidence(cfg, report, out_dir: Path, echo=print) -> dict:
    """Screenshots for the month's veto/high problems, beside each site report.

    Sets ``evidence`` (the path relative to out_dir) on each photographed problem of the
    SiteMonths, so the 整改清单 can link it, and returns ``{"note", "items"}`` for the notice's
    appendix (items: label, title, url, path and a small PNG). Never raises for a missing
    browser: the note says why there are no pictures.
    """
    from urllib.parse import urlsplit

    from govaudit.history import problem_title
    from govaudit.reports.notice import unit_site
    from govaudit.reports.rectification import unit_file_names

    ev_cfg = cfg.config.get("evidence") or {}
    allow = str((cfg.config.get("crawl") or {}).get("allow_private", "auto")).lower() in ("true", "1", "yes")
    items, notes = [], []
    folders = unit_file_names([sm.name for sm in report], "")  # the site reports' folder names
    for sm in report:
        site = next((s for s in cfg.sites if s.name == sm.name), None)
        hosts = ({urlsplit(site.url).hostname or ""} | set(site.extra_hosts or [])) if site else set()
        rel = Path("网站检查报告") / folders[sm.name] / "问题截图"
        ev = capture(sm.problems, out_dir / rel, site_hosts=hosts, allow_private=allow,
                     timeout_ms=int(float(ev_cfg.get("timeout", 20)) * 1000))
        if ev.note:
            notes.append(ev.note if not ev.shots else f"{sm.name}：{ev.note}")
            if not ev.shots and ev.note == NO_BROWSER:
                break
        shots = ev.by_identity()
        for f in sm.problems:
            shot = shots.get(f.get("identity"))
            if shot is None:
                continue
            f["evidence"] = (rel / shot.file).as_posix()
            items.append({"label": unit_site(sm), "title": problem_title(f["check"]), "url": shot.page,
                          "path": f["evidence"], "taken_at": shot.taken_at,
                          "png": thumbnail(out_dir / rel / shot.file)})
    note = "；".join(dict.fromkeys(notes))
    if note:
        echo(f"问题截图：{note}")
    return {"note": note, "items": items}
