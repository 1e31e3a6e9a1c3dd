"""The portal spider: crawl a site's pages, check every link once, record every fetch.

Two kinds of request leave this spider:

- *page* requests (GET) for HTML pages on the site's own hosts: parsed, their facts and links
  recorded, their links scheduled;
- *check* requests for everything else (external links, attachments, images, scripts):
  HEAD first for resources, GET when HEAD is refused, and never more of the body than is
  needed to know the status (see ``on_headers``).

Every request carries ``meta["ga"]`` with the target key (the link as pages show it, so
the store can join links to fetches), its role and depth.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from typing import Any, AsyncIterator, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree
from scrapy import Request, Spider, signals
from scrapy.exceptions import StopDownload
from scrapy.http import HtmlResponse, Response, TextResponse
from w3lib.url import safe_url_string

from . import facts as page_facts
from .content import ContentOptions
from . import render
from . import resolver
from . import budgets
from .classify import HTML_TYPES, XML_TYPES, classify_response
from .errors import classify_failure
from .headfallback import HEAD_REFUSED  # noqa: F401 - re-exported (moved to headfallback.py)
from .listing import is_detail_url, parse_html as listing_parse_html
from .links import extract_links, is_local_file, is_resource, normalize_url
from .text import decoded_text, visible_text
from .rows import FetchRow, LinkRow, PageRow, links_item
from .site import is_site_host
from .site_marks import site_marks
from .scope import FOLLOW_TAGS  # noqa: F401 - re-exported (moved to scope.py)

SESSION_PARAMS = frozenset({"jsessionid", "phpsessid", "sid", "sessionid", "aspsessionid", "cfid", "cftoken"})
_JSESSION_PATH = re.compile(r";jsessionid=[^/?#]*", re.I)


def strip_session(url: str) -> str:
    """Drop session ids, which make every visit a new URL (a classic crawler trap)."""
    url = _JSESSION_PATH.sub("", url)
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k.lower() not in SESSION_PARAMS]
    if len(kept) == len(pairs):
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), ""))


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def requested_host(url: str) -> str:
    """The host as Scrapy will request it (safe_url_string applies IDNA: full-width digits,
    ideographic full stops and circled digits become ASCII), not as the page spells it."""
    try:
        return host_of(safe_url_string(url))
    except (ValueError, UnicodeError):
        return host_of(url)


def is_private_host(host: str) -> bool:
    """True for private, loopback, link-local and reserved address literals and localhost
    (names that resolve there are refused by resolver.GuardedResolver)."""
    return host == "localhost" or host.endswith(".localhost") or resolver.is_private_ip(host)


def private_allowed(setting: Any, start_url: str) -> bool:
    """Explicit true/false wins; by default ("auto") only an intranet audit may reach private
    addresses, i.e. one whose own start URL is on such an address."""
    if isinstance(setting, bool):
        return setting
    if str(setting).lower() in ("true", "1", "yes"):
        return True
    if str(setting).lower() in ("false", "0", "no"):
        return False
    return is_private_host(host_of(start_url))


class LocalState:
    """What one crawl remembers: which targets were scheduled, which pages parsed, counters.

    The distributed crawl swaps in RedisState so every worker shares one memory."""

    def __init__(self) -> None:
        self.sets: dict[str, set[str]] = defaultdict(set)
        self.counters: dict[str, int] = defaultdict(int)

    def claim(self, name: str, member: str) -> bool:
        """Add ``member``; True when it was new (the caller now owns it)."""
        bucket = self.sets[name]
        if member in bucket:
            return False
        bucket.add(member)
        return True

    def add_all(self, name: str, members) -> None:
        self.sets[name].update(members)

    def claim_then(self, name: str, member: str, then: str, then_member: str) -> bool:
        """``claim(name, member) and claim(then, then_member)``: the second is claimed only when
        the first was new (one round trip where the state is remote)."""
        return self.claim(name, member) and self.claim(then, then_member)

    def claim_many(self, name: str, members: list[str]) -> set[str]:
        """The members that were new, now claimed (one round trip where the state is remote)."""
        return {m for m in members if self.claim(name, m)}

    def incr(self, name: str, by: int = 1, limit: int | None = None) -> int:
        """The counter's next value; ``limit`` (the budget it is compared with) matters only
        where the state is shared (RedisState leases numbers far from it)."""
        self.counters[name] += by
        return self.counters[name]


class PortalSpider(Spider):
    """Start (or resume), read pages, propose their links; the components decide the rest."""

    name = "portal"
    host_of = staticmethod(host_of)
    requested_host = staticmethod(requested_host)
    is_private_host = staticmethod(is_private_host)

    def __init__(self, url: str | None = None, extra_hosts: str = "", *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not url:
            raise ValueError("缺少起始网址：请用 -a url=https://www.example.gov.cn/ 指定")
        self.start_url = normalize_url(url.strip())
        hosts = {host_of(self.start_url)}
        hosts.update(h.strip().lower() for h in str(extra_hosts).split(",") if h.strip())
        self.internal_hosts: set[str] = {h for h in hosts if h}
        self.memory = LocalState()
        self.home_url = self.start_url
        self.home_final: str | None = None

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        s = crawler.settings
        kwargs.setdefault("extra_hosts", ",".join(s.getlist("GOVAUDIT_EXTRA_HOSTS")))
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.as_of = s.get("GOVAUDIT_AS_OF")
        spider.allow_private = private_allowed(s.get("GOVAUDIT_ALLOW_PRIVATE"), spider.start_url)
        spider.max_links_per_page = budgets.limit(s, "GOVAUDIT_MAX_LINKS_PER_PAGE")
        spider.max_list_pages = budgets.limit(s, "GOVAUDIT_MAX_LIST_PAGES")
        spider.resume_seen = s.get("GOVAUDIT_RESUME_SEEN")  # callable set by the runner, or None
        spider.content = ContentOptions.from_config(s.getdict("GOVAUDIT_CONTENT"))  # issue 12 content facts
        # The browser that renders script-filled pages: set by render.crawl_settings only when
        # scrapy-playwright is configured for it; otherwise such pages are marked 需人工核实.
        spider.render_browser = s.get("GOVAUDIT_RENDER_BROWSER") or None
        spider.render_budget = budgets.limit(s, "GOVAUDIT_RENDER_BUDGET")
        spider.render_timeout = s.getfloat("GOVAUDIT_RENDER_TIMEOUT", render.DEFAULT_TIMEOUT)
        spider.render_allow_hosts = {h.strip().lower() for h in s.getlist("GOVAUDIT_RENDER_ALLOW_HOSTS") if h.strip()}
        crawler.signals.connect(spider.on_headers, signal=signals.headers_received)
        return spider

    # -- start ---------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        if callable(self.resume_seen):
            # Resume from the store, not from Scrapy's JOBDIR: its disk queue and duplicate
            # filter are only consistent after a clean shutdown, and a kill -9 loses both.
            for out in self.resume_from(self.resume_seen()):
                yield out
            return
        if self.memory.claim("scheduled", self.start_url):
            self.memory.incr("pages")
            yield self.page_request(self.start_url, depth=0, home=True)

    def resume_from(self, state: dict) -> Iterator[Any]:
        """Requests for what a stored run still lacks (see run._seen_loader)."""
        self.memory.add_all("scheduled", state["fetched"])
        self.memory.add_all("parsed", state["parsed"])
        self.memory.add_all("content", state.get("content", ()))
        self.memory.incr("pages", len(state["parsed"]))
        if state.get("home_final"):
            self.home_final = state["home_final"]
            self.internal_hosts.add(host_of(state["home_final"]))
        if self.memory.claim("scheduled", self.start_url):
            self.memory.incr("pages")
            yield self.page_request(self.start_url, depth=0, home=True)
        for target, tag, depth, pagination in state["pending"]:
            yield from self.propose(target, tag, depth, pagination=pagination)

    def is_internal(self, host: str) -> bool:
        """The site's own hosts; example.gov.cn and www.example.gov.cn are one site."""
        return is_site_host(host, self.internal_hosts)

    # -- requests ------------------------------------------------------------------------------

    def page_request(self, url: str, depth: int, home: bool = False, list_of: str | None = None) -> Request:
        ga = {"key": url, "role": "page", "depth": depth, "home": home}
        if list_of:
            ga["list_of"] = list_of
        return Request(url, callback=self.on_response, errback=self.on_error, priority=-depth, meta={"ga": ga})

    def check_request(self, url: str, depth: int, method: str = "HEAD") -> Request:
        # Another site's link goes first: a dead host costs its robots.txt and a full timeout
        # however late it is asked, so asked early that wait overlaps the crawl of our own pages
        # instead of following it (and the host's state is known before most of its links).
        priority = 1 if not self.is_internal(host_of(url)) else -depth - 1
        return Request(url, method=method, callback=self.on_response, errback=self.on_error, priority=priority,
                       meta={"ga": {"key": url, "role": "check", "depth": depth, "method": method},
                             "download_maxsize": 2 * 1024 * 1024})

    def propose(self, target: str, tag: str, depth: int, pagination: bool = False, claimed: bool = False,
                list_of: str | None = None) -> Iterator[Request]:
        """A new target for the scope policy (scope.ScopeMiddleware) to decide on."""
        if not claimed and not self.memory.claim("scheduled", target):
            return
        try:
            yield Request(target, callback=self.on_response, errback=self.on_error, dont_filter=True,
                          meta={"ga": {"key": target, "role": "proposed", "depth": depth, "tag": tag, "propose": True,
                                       "pagination": pagination, "list_of": list_of}})
        except ValueError as exc:  # not a URL Scrapy can request: say so, lose nothing else
            yield FetchRow(url=target, error_class="not_checked", error=f"网址无效，未检查：{exc}"[:300],
                           internal=int(self.is_internal(host_of(target)))).item()

    def on_headers(self, headers, body_length, request, spider) -> None:
        """Stop downloading a body we do not need: anything that is not an HTML page."""
        ga = request.meta.get("ga")
        if not ga or ga.get("scan"):  # an attachment read for personal data (attachment_fetch.py)
            return
        ctype = (headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        if ctype and not ctype.startswith(HTML_TYPES) and not ctype.startswith("text/plain") and not (
                ga["role"] == "page" and ctype.startswith(XML_TYPES)):
            raise StopDownload(fail=False)
        if not ctype and ga["role"] == "check" and is_resource(request.url):
            raise StopDownload(fail=False)

    # -- responses -----------------------------------------------------------------------------

    def on_response(self, response: Response) -> Iterator[Any]:
        ga = response.meta["ga"]
        page = classify_response(response)
        redirects = list(zip(response.meta.get("redirect_urls", []), response.meta.get("redirect_reasons", [])))
        fetch = FetchRow(
            url=ga["key"], method=response.request.method, final_url=response.url,
            redirects=json.dumps(redirects, ensure_ascii=False, default=str), status=response.status,
            content_type=page.content_type[:100], size=page.size,
            elapsed_ms=int(1000 * (response.meta.get("download_latency") or 0)), title=page.title[:300],
            soft404=page.soft404, challenge=int(page.challenge), internal=int(self.is_internal(host_of(ga["key"]))))
        # The fetch row goes last: the pipeline writes in order, so a stored fetch means the
        # page's links are stored too, and a resumed crawl knows what is left to do.
        if ga["role"] == "page" and page.readable_page:
            final = normalize_url(response.url)
            if ga.get("home"):
                self.home_final = final
                self.internal_hosts.add(host_of(final))
            # One page under two URLs (/ and /index.html, /x/ and /x/index.shtml) is read once:
            # otherwise its links are counted twice and its list becomes two columns.
            same = hashlib.sha1(response.body).hexdigest()
            if self.memory.claim_then("parsed", final, "content", same) or ga.get("home"):
                if ga.get("home"):
                    self.memory.claim("content", same)
                need = render.needs_render(page.doc, response.url)
                if need and need.what == "list" and is_detail_url(response.url):
                    need = None  # a script-filled side list on an article decides nothing
                if need and self.render_browser:
                    if self.memory.incr("rendered") <= self.render_budget:
                        # The page's rows (and its fetch row, last as always) come from the rendered DOM.
                        yield self._render_request(response, ga, need, fetch.item(), sha1=same)
                        return
                    budgets.hit(self.crawler.stats, "GOVAUDIT_RENDER_BUDGET")
                script = None
                if need:
                    note = "超出本站渲染页数上限，未渲染" if self.render_browser else "未使用浏览器渲染"
                    script = render.script_facts(need, rendered=False, note=note)
                yield from self._parse_page(response, page, ga, sha1=same, script=script)
        yield fetch.item()

    # -- pages filled by script ----------------------------------------------------------------

    def _render_request(self, response: Response, ga: dict, need: render.RenderNeed, fetch_row: dict,
                        sha1: str) -> Request:
        hosts = set(self.internal_hosts) | {host_of(response.url)}
        hosts |= {h[4:] if h.startswith("www.") else f"www.{h}" for h in list(hosts)}
        hosts |= self.render_allow_hosts  # e.g. a CDN the site loads its scripts from
        shell = {"url": response.url, "body": response.body, "encoding": response.encoding,
                 "need": need.as_dict(), "fetch_row": fetch_row, "sha1": sha1}
        return render.render_request(response.url, ga, callback=self.on_rendered, errback=self.on_render_error,
                                     hosts=hosts, timeout=self.render_timeout, priority=-ga["depth"],
                                     extra_meta={"ga_shell": shell})

    def on_rendered(self, response: Response) -> Iterator[Any]:
        """A rendered page: classified and read with the same extractors as a static one."""
        ga, shell = response.meta["ga"], response.meta["ga_shell"]
        need = render.RenderNeed(**shell["need"])
        page = classify_response(response)
        if not page.readable_page:
            yield from self._shell_only(ga, shell, f"浏览器渲染失败（HTTP {response.status}）")
            return
        script = render.judge_rendered(page.doc, need, response.meta.get("ga_render_failures") or ())
        yield from self._parse_page(response, page, ga, sha1=shell["sha1"], script=script)
        yield shell["fetch_row"]

    def on_render_error(self, failure) -> Iterator[Any]:
        request = failure.request
        reason = type(failure.value).__name__
        yield from self._shell_only(request.meta["ga"], request.meta["ga_shell"], f"浏览器渲染失败（{reason}）")

    def _shell_only(self, ga: dict, shell: dict, note: str) -> Iterator[Any]:
        """Rendering failed: the static shell is stored, marked 需人工核实 where script fills it."""
        response = HtmlResponse(url=shell["url"], body=shell["body"], encoding=shell["encoding"],
                                request=Request(shell["url"]))
        page = classify_response(response)
        if page.doc is not None:
            script = render.script_facts(render.RenderNeed(**shell["need"]), rendered=False, note=note)
            yield from self._parse_page(response, page, ga, sha1=shell["sha1"], script=script)
        yield shell["fetch_row"]

    def _parse_page(self, response: Response, page, ga: dict, sha1: str = "", script: dict | None = None) -> Iterator[Any]:
        url, depth, is_home = ga["key"], ga["depth"], bool(ga.get("home"))
        doc, text = page.doc, page.text
        links = extract_links(doc, response.url)
        if len(links) > self.max_links_per_page:
            budgets.hit(self.crawler.stats, "GOVAUDIT_MAX_LINKS_PER_PAGE")
            links = links[: self.max_links_per_page]
        facts = page_facts.extract(doc, response.url, text=text, as_of=self.as_of, content=self.content, title=page.title,
                                   internal_hosts=self.internal_hosts, channels=is_home or depth <= 1)
        facts["sha1"] = sha1
        if is_home:  # 功能设计 marks (标识码, 备案号, 党政机关标识, 找错入口), read by checks/site_identity_common.py
            facts["marks"] = site_marks(doc, response.text, response.url)
        if script:
            facts["script_loaded"] = script  # a list or 解读 box filled by script (crawler/render.py)
        if is_home and len(text) < 300:
            # A "home" that only forwards (meta refresh or script) is not the home page: the
            # page it forwards to is, and it must be judged as one.
            forward = home_forward(doc, response, links)
            if forward and self.is_internal(host_of(forward)) and self.memory.claim("scheduled", forward):
                self.memory.incr("pages")
                yield self.page_request(forward, depth=depth, home=True)
        yield PageRow(url=url, final_url=response.url, title=page.title[:300], depth=depth, is_home=int(is_home),
                      kind=facts.get("kind", ""), meta=json.dumps(facts.pop("meta", {}), ensure_ascii=False),
                      facts=json.dumps(facts, ensure_ascii=False, default=str)).item()
        rows = [LinkRow(source=url, target=strip_session(link.target), anchor=link.anchor, tag=link.tag,
                        attr=link.attr, source_is_home=int(is_home)) for link in links]
        if rows:
            yield links_item(rows)
        first_tag: dict[str, str] = {}
        for row in rows:
            if not is_local_file(row.target):  # stored as a link (dead for every visitor), never fetched
                first_tag.setdefault(row.target, row.tag)
        new = self.memory.claim_many("scheduled", list(first_tag))
        for target, tag in first_tag.items():
            if target in new:
                yield from self.propose(target, tag, depth + 1, claimed=True)
        # Pagination the page's scripts generate: the list's later pages are pages too.
        list_root = ga.get("list_of") or url
        for extra in facts.get("listing", {}).get("pagination", []) or []:
            extra = normalize_url(extra)
            if not self.memory.claim(f"lp:{list_root}", extra):
                continue  # every page of a list names the same pages: count each once
            if self.memory.incr(f"lp:{list_root}") > self.max_list_pages:
                budgets.hit(self.crawler.stats, "GOVAUDIT_MAX_LIST_PAGES")
                break
            yield from self.propose(extra, "a", depth, pagination=True, list_of=list_root)

    def on_error(self, failure) -> Iterator[Any]:
        request = failure.request
        ga = request.meta.get("ga") or {"key": request.url, "role": "check", "depth": 0}
        error_class, message = classify_failure(failure)
        if error_class == "robots":
            message = "robots.txt 禁止抓取，未检查"
        redirects = request.meta.get("redirect_urls", [])
        yield FetchRow(url=ga["key"], method=request.method, error_class=error_class, error=message,
                       redirects=json.dumps(list(zip(redirects, request.meta.get("redirect_reasons", []))), default=str),
                       internal=int(self.is_internal(host_of(ga["key"])))).item()


_JS_FORWARD = re.compile(
    r"""(?:window\.|top\.|self\.|document\.)?location(?:\.href)?\s*=\s*['"]([^'"]+)['"]|location\.(?:replace|assign)\(\s*['"]([^'"]+)['"]""")


def home_forward(doc, response: TextResponse, links) -> str | None:
    """Where a near-empty start page sends the visitor (meta refresh, or a script redirect)."""
    for link in links:
        if link.tag == "meta" and link.attr == "refresh":
            return link.target
    for script in doc.iter("script"):
        m = _JS_FORWARD.search(script.text or "")
        if m:
            try:
                return normalize_url(response.urljoin(m.group(1) or m.group(2)))
            except ValueError:
                return None
    frames = [link.target for link in links if link.tag in ("frame", "iframe") and not is_resource(link.target)]
    return frames[0] if len(frames) == 1 or (frames and doc.find(".//frameset") is not None) else None


def parse_html(response: TextResponse):
    """Parse a page tolerantly (see listing.parse_html); None when it is not HTML at all."""
    try:
        text = decoded_text(response)
        if "<datastore" in text[:4096].lower() and "<html" not in text[:4096].lower():
            # A jpage dataproxy answer: give it the shape of the list page it continues.
            text = '<html><body><script type="text/xml">' + re.sub(r"^\s*<\?xml[^>]*\?>", "", text) + "</script></body></html>"
        return listing_parse_html(text, remove_comments=True)
    except (etree.ParserError, ValueError, LookupError):
        return None


def page_title(doc) -> str:
    el = doc.find(".//title")
    if el is None:
        return ""
    return re.sub(r"\s+", " ", el.text_content() or "").strip()
