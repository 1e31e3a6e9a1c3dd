"""Pages whose list or 解读 box is filled by JavaScript: detect them, render them, or say so.

A static crawler sees only the shell of such a page (an empty ``<ul id="list">`` that a
``fetch()`` fills, a Vue/avalon template with ``{{item.title}}``, a 相关解读 box loaded by AJAX).
Judging the shell calls a living column blank or stale and a document uninterpreted: a false
accusation in an official notice. So:

- :func:`needs_render` decides from the static page alone whether its content comes from a
  script, and what that content is (a list, or a 解读 box);
- such pages (and only those, within a per-site budget) are fetched again through the system
  Chromium by scrapy-playwright (:func:`playwright_settings`, :func:`render_request`), and the
  rendered DOM goes through the same extractors as any page;
- where no browser is available, the budget is spent or rendering fails, the page's facts say
  so (:func:`script_facts`) and the checks list the column or box as ``MANUAL_NOTE`` instead of
  judging it.
"""
from __future__ import annotations

import asyncio
import os
import re
import shutil
from dataclasses import asdict, dataclass
from typing import Any, Iterable
from urllib.parse import urlsplit

from lxml import etree, html as lxml_html

#: What the inventories and reports say for a column or box we could not see.
MANUAL_NOTE = "需人工核实（页面内容由脚本加载）"

#: Environment switch: no browser even where one is installed (tests, minimal servers).
NO_BROWSER_ENV = "GOVAUDIT_NO_BROWSER"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
DEFAULT_BUDGET = 100  # rendered pages per site
DEFAULT_TIMEOUT = 20  # seconds per rendered page (navigation, then network quiet)
#: Chromium flags for a headless browser in a container: no sandbox (root), no GPU, and none
#: of the background traffic (updates, sync, first-run pages) a crawler must not cause.
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run")
#: Resource types of the requests that fill a page (their failure leaves it unproven).
SCRIPT_REQUESTS = frozenset({"xhr", "fetch", "script", "eventsource", "websocket"})
#: Resource types a rendered page does not need to fill its lists.
SKIPPED_RESOURCES = frozenset({"image", "media", "font", "stylesheet", "imageset"})

# ------------------------------------------------------------------------------------ detection

_REQUESTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("fetch", re.compile(r"(?<![\w.$])fetch\s*\(")),
    ("xhr", re.compile(r"\bXMLHttpRequest\b|Microsoft\.XMLHTTP")),
    ("jquery", re.compile(r"(?:\$|\bjQuery)\s*\.\s*(?:ajax|get|post|getJSON)\s*\(|\.load\s*\(\s*['\"][^'\"]+['\"]")),
    ("axios", re.compile(r"\baxios\s*(?:\.\s*(?:get|post|request)\s*)?\(")),
    ("trsapi", re.compile(r"\btrsapi\b|list2\.trsapi|/fjdzapp/search")),
)
_ID_REFS = re.compile(
    r"""getElementById\(\s*['"]([\w:.-]+)['"]"""
    r"""|(?:\$|\bjQuery|querySelector(?:All)?|\bel\s*:)\s*\(?\s*['"]#([\w-]+)""")
_CLASS_REFS = re.compile(r"""(?:\$|\bjQuery|querySelector(?:All)?|getElementsByClassName)\s*\(\s*['"]\.?([\w-]+)(?=[\s'"])""")
_JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:'\"\\])//[^\n]*", re.S)
_JS_TYPES = ("", "text/javascript", "application/javascript", "module", "text/ecmascript")

#: Attributes of template engines that repeat an element over data (Vue, avalon 1/2, Angular, Alpine).
_REPEAT_ATTRS = ("v-for", "ms-for", "ms-repeat", "ms-each", "ng-repeat", "x-for", "wx:for")
_TEMPLATE_HREF = ("ms-attr-href", "ms-href", ":href", "v-bind:href", "ng-href", "x-bind:href", "th:href")
_SCOPE_ATTRS = ("ms-controller", "ms-important", "ng-controller", "ng-app", "v-cloak", "data-v-app", "x-data")
_MUSTACHE = re.compile(r"\{\{.*?\}\}", re.S)
_PLACEHOLDER = re.compile(r"^\W*(正在加载|加载中|数据加载中|努力加载中|loading|请稍候|请稍后)\W*$", re.I)
#: After rendering, a box that says it has nothing has answered (暂无相关解读 is an answer).
_ANSWERED_EMPTY = re.compile(r"暂无|没有(相关|找到|记录|数据|信息)|无相关|无记录|无数据|no\s*data|没有内容", re.I)
#: Label of an interpretation box near its container ("政策解读" alone names a column, not a box).
_JD_LABEL = re.compile(r"相关解读|(?:文字|图片|图文|视频|H5|动漫|音频|媒体|专家|在线)\s*解读|解读(?:材料|文章|信息)")
_JD_NAME = re.compile(r"jd|jiedu|zcjd|interpret", re.I)
#: Containers that scripts fill with counters, pagers, clocks or widgets, not with content.
_WIDGET_NAME = re.compile(r"pag|count|visit|click|hits?\b|view|total|share|weather|time|date|clock|search|login|user"
                          r"|banner|slide|swiper|marquee|qrcode|font|menu|nav", re.I)
_BLOCK_TAGS = frozenset({"ul", "ol", "dl", "table", "tbody", "div", "section", "article", "main", "td"})


@dataclass(frozen=True)
class RenderNeed:
    """Why a page must be rendered: what fills it (``reason``), what it is (``what``: ``list``
    or ``jd_box``) and which element (``container``, as a CSS selector)."""

    reason: str
    what: str
    container: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _doc(html: str | bytes | etree._Element) -> etree._Element | None:
    if isinstance(html, etree._Element):
        return html
    try:
        return lxml_html.fromstring(html) if html else None
    except (etree.ParserError, ValueError):
        return None


def _scripts(doc: etree._Element) -> list[str]:
    """Inline JavaScript, comments removed (``<script type="text/xml">`` data islands are not code)."""
    out = []
    for s in doc.iter("script"):
        if s.get("src") or (s.get("type") or "").strip().lower() not in _JS_TYPES:
            continue
        code = _JS_COMMENT.sub("", s.text or "")
        if code.strip():
            out.append(code)
    return out


def _request_kinds(code: str) -> list[str]:
    return [name for name, rx in _REQUESTS if rx.search(code)]


def _real_links(el: etree._Element) -> int:
    n = 0
    for a in el.iter("a"):
        href = (a.get("href") or "").strip().lower()
        if href and not href.startswith(("#", "javascript:")) and "{{" not in href:
            n += 1
    return n


def _text(el: etree._Element) -> str:
    parts = []
    for node in el.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "template", "noscript"):
            continue
        if node.text:
            parts.append(node.text)
        if node.tail and node is not el:
            parts.append(node.tail)
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def _hidden_by_parent(el: etree._Element) -> bool:
    return any(a.tag in ("script", "template", "noscript", "head") for a in el.iterancestors())


def _unfilled(el: etree._Element, rendered: bool) -> bool:
    """The element shows nothing a visitor could use: no links, no text beyond a loading
    placeholder or raw template braces. After rendering, an explicit "暂无…" is an answer."""
    if _real_links(el):
        return False
    text = _MUSTACHE.sub("", _text(el)).strip()
    if rendered and _ANSWERED_EMPTY.search(text):
        return False
    return not text or bool(_PLACEHOLDER.match(text)) or (not rendered and len(text) <= 8)


def _selector(el: etree._Element) -> str:
    if el.get("id"):
        return f"#{el.get('id')}"
    cls = (el.get("class") or "").split()
    return el.tag + ("." + ".".join(cls[:2]) if cls else "")


def _what(el: etree._Element) -> str:
    """``jd_box`` when the element is (inside) an interpretation box, else ``list``."""
    node: etree._Element | None = el
    for _ in range(4):
        if node is None:
            break
        names = f"{node.get('id') or ''} {node.get('class') or ''}"
        if _JD_NAME.search(names) and not _WIDGET_NAME.search(names):
            return "jd_box"
        own = _text(node)
        if len(own) <= 200 and _JD_LABEL.search(own):
            return "jd_box"
        node = node.getparent()
    return "list"


def _container_ok(el: etree._Element) -> bool:
    if el.tag not in _BLOCK_TAGS or _hidden_by_parent(el):
        return False
    names = f"{el.get('id') or ''} {el.get('class') or ''}"
    if _WIDGET_NAME.search(names) and not _JD_NAME.search(names):
        return False
    return not any(a.tag in ("nav", "footer", "header") for a in el.iterancestors())


def _script_containers(doc: etree._Element, scripts: list[str]) -> Iterable[tuple[str, etree._Element]]:
    """Elements named by the page's scripts when a script asks a server for data, with the way
    it asks (the request and the element may sit in different script blocks)."""
    asking = [k for code in scripts for k in _request_kinds(code)]
    if not asking:
        return
    # The block that asks names its own container first.
    for code in sorted(scripts, key=lambda c: not _request_kinds(c)):
        kinds = _request_kinds(code) or asking
        for m in _ID_REFS.finditer(code):
            ident = m.group(1) or m.group(2)
            for el in doc.xpath("//*[@id=$i]", i=ident):
                yield kinds[0], el
        for m in _CLASS_REFS.finditer(code):
            for el in doc.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), $c)]", c=f" {m.group(1)} "):
                yield kinds[0], el


def _template_lists(doc: etree._Element) -> Iterable[etree._Element]:
    """Repeated template elements that carry item links or item text (Vue v-for, avalon ms-repeat…)."""
    cond = " or ".join(f"@{a}" if ":" not in a else f"@*[name()='{a}']" for a in _REPEAT_ATTRS)
    for el in doc.xpath(f"//*[{cond} or @*[starts-with(name(), 'ms-repeat')]]"):
        if any(a.tag in ("script", "template") for a in el.iterancestors()):
            continue
        for a in el.iter("a"):
            if any(k in a.attrib for k in _TEMPLATE_HREF) or "{{" in (a.get("href") or "") or _MUSTACHE.search(_text(a)):
                yield el
                break


def _scope(el: etree._Element) -> etree._Element:
    """The template's component root (ms-controller, #app…): static items anywhere in it mean
    the visitor without JavaScript sees a list already (TRS trt_ pages print the first pages)."""
    for anc in el.iterancestors():
        if any(k in anc.attrib for k in _SCOPE_ATTRS) or anc.get("id") == "app":
            return anc
        if anc.tag in ("body", "html"):
            break
    parent = el.getparent()
    grand = parent.getparent() if parent is not None else None
    return grand if grand is not None and grand.tag not in ("body", "html") else (parent if parent is not None else el)


def needs_render(html: str | bytes | etree._Element, url: str = "", *, rendered: bool = False) -> RenderNeed | None:
    """Why this page's list or 解读 box comes from a script, or None when the static HTML shows it.

    Pure: decided from the HTML alone. ``rendered=True`` asks the same question of a rendered
    DOM: a container still empty (or a template still raw) means the script did not fill it,
    while "暂无相关解读" there is an answer. Analytics, counters, menus and pagers filled by
    script do not count; nor does a template whose component already prints static items.
    """
    doc = _doc(html)
    if doc is None:
        return None
    needs = list(_needs(doc, rendered))
    # A 解读 box outranks a list: on a document page it is the box that decides a finding.
    return next((n for n in needs if n.what == "jd_box"), needs[0] if needs else None)


def _needs(doc: etree._Element, rendered: bool) -> Iterable[RenderNeed]:
    scripts = _scripts(doc)
    for el in _template_lists(doc):
        scope = _scope(el)
        if _real_links(scope) or _hidden_by_parent(scope):
            continue
        # Braces or directives left in a rendered DOM: the template was never run.
        yield RenderNeed("template", _what(el), _selector(scope))
    seen: set[int] = set()
    for kind, el in _script_containers(doc, scripts):
        if id(el) in seen:
            continue
        seen.add(id(el))
        if _container_ok(el) and _unfilled(el, rendered):
            yield RenderNeed(kind, _what(el), _selector(el))
    if doc.find(".//script") is not None:  # a loading placeholder some script (maybe external) replaces
        found = None
        for el in doc.iter(*_BLOCK_TAGS):
            if found is not None and found not in el.iterancestors():
                break
            if len(el) <= 2 and _container_ok(el) and not _real_links(el) and _PLACEHOLDER.match(_text(el) or "-"):
                found = el  # the innermost box that says only 正在加载…
        if found is not None:
            yield RenderNeed("placeholder", _what(found), _selector(found))


# ------------------------------------------------------------------------------------ facts

def script_facts(need: RenderNeed, *, rendered: bool, note: str | None = None) -> dict[str, Any]:
    """``facts["script_loaded"]`` for a page that needed a browser: what was script-filled and
    whether the stored facts come from the rendered DOM (``rendered``) or only from the shell."""
    return {**need.as_dict(), "rendered": rendered, "note": note}


def _container_links(doc: etree._Element, need: RenderNeed) -> int:
    try:
        return sum(_real_links(el) for el in doc.cssselect(need.container))
    except Exception:  # an id cssselect cannot parse: no positive evidence
        return 0


def judge_rendered(html: str | bytes | etree._Element, need: RenderNeed,
                   failures: Iterable[str] = ()) -> dict[str, Any]:
    """``facts["script_loaded"]`` for a rendered page: seen (``rendered`` true) when nothing is
    left unfilled and either the container now shows items or every script request succeeded.

    An empty box after a failed request (HTTP 500, refused host, timeout) may only mean the
    script never got its data: that is 需人工核实, not "no interpretation" or a blank column.
    """
    doc = _doc(html)
    failures = list(failures)
    still = needs_render(doc, rendered=True) if doc is not None else need
    if still is not None:
        return script_facts(need, rendered=False, note="浏览器渲染后仍未显示内容")
    if failures and not _container_links(doc, need):
        return script_facts(need, rendered=False, note=f"页面脚本请求失败：{failures[0]}")
    return script_facts(need, rendered=True)


def manual(facts: dict[str, Any], what: str) -> bool:
    """True when the page's ``what`` (list / jd_box) was script-filled and never seen rendered."""
    s = facts.get("script_loaded") or {}
    return bool(s) and s.get("what") == what and not s.get("rendered")


# ------------------------------------------------------------------------------------ browser

def chromium_path(settings: Any = None) -> str | None:
    """The browser to drive, or None when there is none (or GOVAUDIT_NO_BROWSER=1 says not to)."""
    if os.environ.get(NO_BROWSER_ENV, "").strip().lower() in ("1", "true", "yes"):
        return None
    get = getattr(settings, "get", None)
    if get and str(get("GOVAUDIT_RENDER", "auto")).lower() in ("false", "0", "no", "off"):
        return None
    path = (get("GOVAUDIT_CHROMIUM") if get else None) or DEFAULT_CHROMIUM
    path = path if os.path.isabs(path) else (shutil.which(path) or "")
    if not path or not os.access(path, os.X_OK):
        return None
    try:
        import scrapy_playwright  # noqa: F401
    except ImportError:
        return None
    return path


def playwright_settings(executable: str, *, timeout: float = DEFAULT_TIMEOUT,
                        hosts: dict[str, str] | None = None) -> dict[str, Any]:
    """The Scrapy settings that make scrapy-playwright drive ``executable`` for the requests
    that ask for it (``meta["playwright"]``); every other request keeps Scrapy's HTTP handler.

    ``hosts`` (name -> address, the crawl's own hosts table) is handed to Chromium as host
    resolver rules, so the browser reaches an intranet site the way the crawler does.
    """
    args = list(CHROMIUM_ARGS)
    if hosts:
        args.append("--host-resolver-rules=" + ",".join(f"MAP {n} {a}" for n, a in sorted(hosts.items())))
    handler = "govaudit.crawler.render.RenderingDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": executable, "headless": True, "args": args,
                                      "timeout": int(timeout * 1000)},
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": int(timeout * 1000),
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 2,
        "PLAYWRIGHT_ABORT_REQUEST": "govaudit.crawler.render.skip_resource",
        "PLAYWRIGHT_CONTEXTS": {},
    }


def skip_resource(request) -> bool:
    """Images, fonts, media and style sheets do not fill lists: the browser does not fetch them."""
    return request.resource_type in SKIPPED_RESOURCES


async def settle(page, timeout_ms: int) -> None:
    """Wait until the page's own requests are done (network quiet), or the time is up.

    A page that polls forever never goes quiet; it is then read as it stands, and
    :func:`needs_render` on the result decides whether it was filled."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    try:
        await page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except PlaywrightTimeout:
        pass


async def _refuse_socket(ws) -> None:
    await ws.close()


async def guard_page(page, request) -> None:
    """Let the browser reach only the audited site's own hosts.

    The browser resolves and connects by itself, past the crawler's address guard; a page's
    scripts must not make it a way into other hosts (or intranet addresses)."""
    allowed = set((request.meta.get("ga") or {}).get("render_hosts") or ())

    async def route(route, pw_request) -> None:
        host = (urlsplit(pw_request.url).hostname or "").lower()
        scheme = urlsplit(pw_request.url).scheme
        if scheme in ("data", "blob", "about") or host in allowed:
            await route.fallback()
        else:
            await route.abort()

    await page.route("**", route)
    # Web sockets are not routed like requests: none is needed to fill a list, so none opens.
    await page.route_web_socket(re.compile(".*"), _refuse_socket)
    # What the page's scripts asked for and did not get: an empty box then proves nothing.
    failures = request.meta.setdefault("ga_render_failures", [])

    def failed(pw_request) -> None:
        if pw_request.resource_type in SCRIPT_REQUESTS and len(failures) < 20:
            failures.append(f"{pw_request.url} {pw_request.failure or ''}".strip()[:300])

    def answered(pw_response) -> None:
        if pw_response.request.resource_type in SCRIPT_REQUESTS and pw_response.status >= 400 and len(failures) < 20:
            failures.append(f"{pw_response.url} HTTP {pw_response.status}"[:300])

    page.on("requestfailed", failed)
    page.on("response", answered)


def render_request(url: str, ga: dict, *, callback, errback, hosts: Iterable[str], timeout: float,
                   priority: int = 0, extra_meta: dict | None = None):
    """The browser request for a page whose static copy needs rendering (one try, no retries:
    a failure makes the page 需人工核实, it never makes it dead)."""
    from scrapy import Request
    from scrapy_playwright.page import PageMethod

    meta = {
        "ga": {**ga, "render_hosts": sorted(hosts)},
        "playwright": True,
        "playwright_context": "render",
        # Service workers would answer the page's requests past the route guard: none are registered.
        "playwright_context_kwargs": {"service_workers": "block", "accept_downloads": False},
        "playwright_page_init_callback": guard_page,
        "playwright_page_goto_kwargs": {"wait_until": "load", "timeout": int(timeout * 1000)},
        "playwright_page_methods": [PageMethod(settle, int(timeout * 1000))],
        "dont_retry": True,
        "handle_httpstatus_all": True,
        "dont_redirect": True,
        **(extra_meta or {}),
    }
    return Request(url, callback=callback, errback=errback, meta=meta, dont_filter=True, priority=priority)


def _handler_base():
    """Scrapy's HTTP/1.1 handler as this project configures it (bounded headers when present)."""
    try:
        from .handlers import BoundedHTTP11DownloadHandler  # type: ignore[attr-defined]

        return BoundedHTTP11DownloadHandler
    except ImportError:
        from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

        return HTTP11DownloadHandler


class _LaunchOnDemand:
    """Start Playwright at the first page that needs the browser, not when the engine starts:
    most sites have no such page, and each driver start costs a process and seconds."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self._ga_launch = asyncio.Lock()

    async def _maybe_launch_in_thread(self) -> None:  # engine_started (Scrapy >= 2.14)
        return None

    def _engine_started(self):  # engine_started (older Scrapy)
        return None

    async def _download_request(self, request, spider=None):
        async with self._ga_launch:
            if getattr(self, "browser_provider", None) is None:
                await self._maybe_future_from_coro(self._launch())
        return await super()._download_request(request, spider)


def _make_handler():
    from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

    base = _handler_base()
    bases = (_LaunchOnDemand, ScrapyPlaywrightDownloadHandler)
    if not issubclass(ScrapyPlaywrightDownloadHandler, base):
        bases += (base,)  # the project's HTTP handler under scrapy-playwright's (same __init__ chain)
    return type("RenderingDownloadHandler", bases, {
        "__doc__": "scrapy-playwright for requests marked ``playwright``; the project's HTTP handler for the rest.",
        "__module__": __name__,
    })


def __getattr__(name: str):
    # Built on first use, so importing this module never needs scrapy-playwright.
    if name == "RenderingDownloadHandler":
        cls = _make_handler()
        globals()[name] = cls
        return cls
    raise AttributeError(name)


def crawl_settings(settings: Any) -> dict[str, Any]:
    """What a crawl's settings need for rendering: the scrapy-playwright block and the browser's
    path (GOVAUDIT_RENDER_BROWSER, which the spider reads), or nothing when there is no browser."""
    path = chromium_path(settings)
    if not path:
        return {}
    timeout = float(settings.get("GOVAUDIT_RENDER_TIMEOUT") or DEFAULT_TIMEOUT)
    hosts = settings.getdict("GOVAUDIT_HOSTS") if hasattr(settings, "getdict") else settings.get("GOVAUDIT_HOSTS")
    return {**playwright_settings(path, timeout=timeout, hosts=dict(hosts) if hosts else None),
            "GOVAUDIT_RENDER_BROWSER": path}
