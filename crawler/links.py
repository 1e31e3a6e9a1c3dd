"""Every link a page shows, with where it sits.

Scrapy's LinkExtractor drops attachments, srcset and meta refresh, and cannot tell a
home-page link from another; an inspector counts all of them, so we walk the tree ourselves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit, quote

from lxml import html as lxml_html
from .text import base_url, cdata_sections, onclick_url

#: (tag, attribute) pairs that reference another resource.
LINK_ATTRS: tuple[tuple[str, str], ...] = (
    ("a", "href"),
    ("area", "href"),
    ("img", "src"),
    ("script", "src"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("link", "href"),
    ("object", "data"),
)

#: srcset carriers: the attribute lists several candidates, each "URL [descriptor]".
SRCSET_TAGS = ("img", "source")

IGNORED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "about:", "vbscript:", "file:")

ATTACHMENT_EXTENSIONS = frozenset(
    "pdf doc docx xls xlsx wps et dps ppt pptx zip rar 7z ofd txt csv xml".split()
)
IMAGE_EXTENSIONS = frozenset("jpg jpeg png gif bmp webp svg ico tif tiff".split())
STATIC_EXTENSIONS = frozenset("css js mp4 mp3 avi flv swf wmv woff woff2 ttf eot".split())

#: Our own pattern, not w3lib's get_meta_refresh: w3lib misses "0 ; url = x" (spaces around
#: ";" and "="), which browsers follow (tests/test_hostile_pages.py). Anchored: linear.
_META_REFRESH = re.compile(r"""^\s*\d*\s*[;,]?\s*url\s*=\s*['"]?([^'"]+)""", re.I)
_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Link:
    target: str
    anchor: str
    tag: str
    attr: str


def clean_href(raw: str) -> str | None:
    """The href as a browser would use it, or None when it points nowhere we check.

    Browsers strip surrounding whitespace and drop embedded tabs/newlines (WHATWG URL
    parsing); CMS templates often leave both in.
    """
    href = raw.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    if not href or href.startswith("#"):
        return None
    lowered = href.lower().replace(" ", "")
    if lowered.startswith(IGNORED_SCHEMES):
        return None
    return href


_IPV6_GATEWAY = re.compile(r"^(?P<orig>[a-z0-9.\-]+?)x[0-9a-f]{8,20}x{0,2}\.ipv6best\.cn$", re.I)


def unwrap_gateway_host(host: str) -> str:
    """The real host behind an IPv6 gateway rewrite (www.acas.org.cnx7a72….ipv6best.cn →
    www.acas.org.cn; 27-151-80-61x….ipv6best.cn → 27.151.80.61). Sites on the 集约化 platforms
    serve such links to IPv6 visitors; the link the inspector cares about is the original."""
    m = _IPV6_GATEWAY.match(host)
    if not m:
        return host
    orig = m.group("orig")
    return orig if "." in orig else orig.replace("-", ".")


def normalize_url(url: str) -> str:
    """Canonical form used as the identity of a target: no fragment, percent-encoded path.

    Chinese characters and spaces in paths are encoded the way a browser sends them, and
    already-encoded sequences are kept, so 中文.html and %E4%B8%AD%E6%96%87.html are one target.

    Not w3lib's ``safe_url_string`` + Scrapy's ``strip_url``: on w3lib 2.5 / Scrapy 2.19 they
    leave an empty path empty (``http://x.gov.cn``) and encode ``[]`` in queries, so stored
    link targets (the identity findings and history are keyed by) would change; they also
    know nothing of IPv6-gateway hosts (tests/test_hostile_pages.py pins the difference).
    """
    url, _ = urldefrag(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    netloc = parts.netloc.lower()
    if "ipv6best" in netloc:
        host, _, port = netloc.partition(":")
        netloc = unwrap_gateway_host(host) + (f":{port}" if port else "")
    if (scheme == "http" and netloc.endswith(":80")) or (scheme == "https" and netloc.endswith(":443")):
        netloc = netloc.rsplit(":", 1)[0]
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~-._")
    query = quote(parts.query, safe="=&%:@!$'()*+,;/?~-._[]")
    return urlunsplit((scheme, netloc, path, query, ""))


def _srcset_urls(value: str) -> list[str]:
    urls = []
    for candidate in value.split(","):
        candidate = candidate.strip()
        if candidate:
            urls.append(candidate.split()[0])
    return urls


def _anchor_text(el: lxml_html.HtmlElement) -> str:
    text = el.text_content() if el.tag in ("a", "area", "option", "button", "li", "span", "div", "td") else ""
    if not text.strip():
        text = el.get("title") or el.get("alt") or ""
    if not text.strip() and el.tag == "a":
        img = el.find(".//img")
        if img is not None:
            text = img.get("alt") or img.get("title") or ""
    return _WS.sub(" ", text).strip()[:200]


def extract_links(doc: lxml_html.HtmlElement, page_url: str) -> list[Link]:
    """All checkable links of a parsed page, absolute and normalized, in document order.

    Links inside HTML comments never reach us: lxml keeps comments as comment nodes, not
    elements. Duplicates (same target, tag and attribute) are kept once.
    """
    base = base_url(doc, page_url)
    seen: set[tuple[str, str, str]] = set()
    out: list[Link] = []

    def add(raw: str | None, el, tag: str, attr: str) -> None:
        if raw is None:
            return
        href = clean_href(raw)
        if href is None:
            return
        try:
            absolute = normalize_url(urljoin(base, href))
        except ValueError:
            return
        if not absolute.startswith(("http://", "https://")):
            return
        key = (absolute, tag, attr)
        if key in seen:
            return
        seen.add(key)
        out.append(Link(absolute, _anchor_text(el) if el is not None else "", tag, attr))

    for el in doc.iter(tag=lxml_html.etree.Element):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag:
            for raw, owner, t, attr in _element_refs(el, tag):
                add(raw, owner, t, attr)
    return out


def _element_refs(el, tag: str):
    """(raw URL, element for the anchor text, tag, attribute) for each reference ``el`` makes."""
    for t, attr in LINK_ATTRS:
        if tag == t:
            yield el.get(attr), el, tag, attr
    if tag in SRCSET_TAGS and el.get("srcset"):
        for u in _srcset_urls(el.get("srcset")):
            yield u, el, tag, "srcset"
    target = onclick_url(el.get("onclick"))
    if target:
        yield target, el, tag, "onclick"
    if tag == "option" and el.get("value"):
        # 友情链接 drop-downs: <select onchange="window.open(this.value)"><option value="http://…">
        select = next((a for a in el.iterancestors("select")), None)
        handler = (select.get("onchange") or "") if select is not None else ""
        if ("open" in handler or "location" in handler) and el.get("value", "").strip().lower().startswith(("http://", "https://", "/")):
            yield el.get("value"), el, tag, "value"
    if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
        m = _META_REFRESH.match(el.get("content") or "")
        if m:
            yield m.group(1), None, "meta", "refresh"
    if tag == "script" and "<datastore" in (el.text or "").lower():
        yield from _datastore_refs(el.text or "")


def _datastore_refs(script: str):
    """Hanweb jpage: the list's rows (and the dataproxy link) are CDATA in a text/xml
    script; a browser shows them as links once jpage.js runs."""
    for rec in cdata_sections(script):
        if "<" not in rec:
            continue
        try:
            frag = lxml_html.fragment_fromstring(rec, create_parent="div")
        except (lxml_html.etree.ParserError, ValueError):
            continue
        for sub in frag.iter(tag=lxml_html.etree.Element):
            st = sub.tag.lower() if isinstance(sub.tag, str) else ""
            for t, attr in LINK_ATTRS:
                if st == t:
                    yield sub.get(attr), sub, st, attr


def extension(url: str) -> str:
    path = urlsplit(url).path
    last = path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""


def is_resource(url: str) -> bool:
    """True for targets that are not pages to crawl: attachments, images, scripts, media."""
    ext = extension(url)
    return ext in ATTACHMENT_EXTENSIONS or ext in IMAGE_EXTENSIONS or ext in STATIC_EXTENSIONS
