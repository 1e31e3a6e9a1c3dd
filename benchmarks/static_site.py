"""The synthetic portal as static files for nginx, with failing external links and its truth.

The same pages as synth_site.py (each page ~10 links to other pages, an image, an attachment,
1% dead internal links), plus one external link per page into a pool of ``EXTERNAL`` URLs:

- 5 % point at a *blackhole* host (a listening socket that never answers: a timeout),
- 2 % at a *refused* port (nothing listens: connection refused),
- 1 % at missing pages of the healthy external host (404), the rest at its real pages.

``truth()`` walks the link graph from the home page exactly as a crawler would reach it and
returns every broken URL a complete link check must report, so a tool's precision/recall can
be measured instead of assumed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TEMPLATE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>第{i}号信息_合成门户</title>
<meta name="ColumnName" content="工作动态"><link rel="stylesheet" href="/css/site.css"></head><body>
<div class="nav"><a href="/">首页</a> <a href="/p/1.html">工作动态</a> <a href="/p/2.html">通知公告</a></div>
<div class="position">您的位置：<a href="/">首页</a> &gt; <a href="/p/1.html">工作动态</a></div>
<h1>关于第{i}号事项的通知</h1><div class="TRS_Editor"><p>{body}</p></div>
<ul class="list">{items}</ul>
<img src="/img/{img}.png" alt="图片"><a href="/f/{att}.pdf">附件下载</a>{dead}
<p>相关链接：<a href="{ext}">外部网站{k}</a></p>
<div class="footer">主办：合成市人民政府办公室 <a href="/wzdt.html">网站地图</a></div></body></html>"""

EXT_PAGE = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>外部网站第{k}页</title></head><body><p>外部网站内容。</p></body></html>"
EXTERNAL = 2000  # distinct external URLs (portals link the same outside sites again and again)


@dataclass(frozen=True)
class Hosts:
    site: str        # http://127.0.0.1:P
    external: str    # http://127.0.0.2:P  (healthy, served by nginx)
    blackhole: str   # http://127.0.0.3:P  (accepts, never answers)
    refused: str     # http://127.0.0.4:P  (nothing listens)


def page_links(i: int, n: int) -> list[int]:
    return [(i * 7 + k * 13 + 1) % n for k in range(10)]


def external_url(i: int, hosts: Hosts) -> tuple[int, str]:
    k = i % EXTERNAL
    bucket = k % 100
    if bucket < 5:
        return k, f"{hosts.blackhole}/b/{k}.html"
    if bucket < 7:
        return k, f"{hosts.refused}/r/{k}.html"
    if bucket == 50:
        return k, f"{hosts.external}/gone/{k}.html"
    return k, f"{hosts.external}/e/{k}.html"


def page_html(i: int, n: int, hosts: Hosts) -> str:
    items = "".join(f'<li><a href="/p/{j}.html">第{j}号信息标题</a><span>2026-11-{1 + k:02d}</span></li>'
                    for k, j in enumerate(page_links(i, n)))
    dead = f'<a href="/dead/{i}.html">失效链接</a>' if i % 100 == 5 else ""
    k, ext = external_url(i, hosts)
    return TEMPLATE.format(i=i, body="正文内容。" * 60, items=items, img=i % 50, att=i % 200, dead=dead, ext=ext, k=k)


def reachable(n: int) -> list[int]:
    """Page numbers reachable from the home page (page 0 at /, with /wzdt.html = page 1)."""
    seen = {0, 1, 2}
    todo = [0, 1, 2]
    while todo:
        i = todo.pop()
        for j in page_links(i, n):
            if j not in seen:
                seen.add(j)
                todo.append(j)
    return sorted(seen)


def write_site(root: Path, n: int, hosts: Hosts) -> None:
    site, ext = root / "site", root / "ext"
    for d in (site / "p", site / "img", site / "f", site / "css", ext / "e"):
        d.mkdir(parents=True, exist_ok=True)
    for i in reachable(n):
        (site / "p" / f"{i}.html").write_text(page_html(i, n, hosts), encoding="utf-8")
    (site / "index.html").write_text(page_html(0, n, hosts), encoding="utf-8")
    (site / "wzdt.html").write_text(page_html(1, n, hosts), encoding="utf-8")
    for k in range(50):
        (site / "img" / f"{k}.png").write_bytes(b"x" * 2048)
    for k in range(200):
        (site / "f" / f"{k}.pdf").write_bytes(b"x" * 2048)
    (site / "css" / "site.css").write_bytes(b"x" * 2048)
    for d in (site, ext):
        (d / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    for k in range(EXTERNAL):
        (ext / "e" / f"{k}.html").write_text(EXT_PAGE.format(k=k), encoding="utf-8")


def truth(n: int, hosts: Hosts) -> tuple[set[str], set[str]]:
    """(every URL a complete check reaches, the broken ones among them)."""
    urls: set[str] = {f"{hosts.site}/", f"{hosts.site}/wzdt.html", f"{hosts.site}/css/site.css"}
    dead: set[str] = set()
    for i in reachable(n):
        urls.add(f"{hosts.site}/p/{i}.html")
        urls.add(f"{hosts.site}/img/{i % 50}.png")
        urls.add(f"{hosts.site}/f/{i % 200}.pdf")
        if i % 100 == 5:
            urls.add(f"{hosts.site}/dead/{i}.html")
            dead.add(f"{hosts.site}/dead/{i}.html")
        k, ext = external_url(i, hosts)
        urls.add(ext)
        if not ext.startswith(f"{hosts.external}/e/"):
            dead.add(ext)
    return urls, dead
