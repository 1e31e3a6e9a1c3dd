"""Page text as readers see it: decoding, parsing, flattening, and the small lookups every
extractor shares (``<base href>``, ``<meta name>``, onclick URLs).

One implementation of each, because the extractors (links, listing, docmeta, facts) used to
carry their own copies and the copies disagreed: the old flattener emitted an element's tail
before its children's text, so ``<span>发布时间：<b>2023-05-01</b></span>`` lost its date.

Every walk here is iterative (no recursion: a tree parsed with ``huge_tree`` nests up to
2048 levels, deeper than Python's recursion limit) and every pattern run over page text is
linear in the text's length: a page is hostile input.
"""
from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterator
from urllib.parse import urljoin

import lxml.html
from bs4 import UnicodeDammit
from lxml import etree
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

__all__ = ["visible_text", "walk_text", "ENTER", "TEXT", "TAIL", "EXIT", "SKIPPED",
           "decode_html", "decoded_text", "parse_document", "truncation", "base_url",
           "meta_content", "cdata_spans", "ONCLICK_URL_RE", "onclick_url", "strip_jsp", "cdata_sections"]

# --------------------------------------------------------------------------- flattening

ENTER, TEXT, TAIL, EXIT, SKIPPED = range(5)

#: Elements whose content is never shown as text.
INVISIBLE_TAGS = frozenset({"script", "style", "noscript", "template"})


def is_element(node: object) -> bool:
    """Comments, processing instructions and entities have a non-string tag."""
    return isinstance(getattr(node, "tag", None), str)


def walk_text(root: etree._Element, skip: Callable[[etree._Element], bool]
              ) -> Iterator[tuple[int, etree._Element, str | None]]:
    """Document-order events over ``root``: ``(ENTER, el, None)``, ``(TEXT, el, el.text)``,
    then each child's events followed by ``(TAIL, el, child.tail)`` (a tail is text of the
    parent, even after a comment or a skipped element), then ``(EXIT, el, None)``.
    An element for which ``skip(el)`` is true yields only ``(SKIPPED, el, None)``.
    The root's own tail is not part of it."""
    if not is_element(root) or skip(root):
        yield SKIPPED, root, None
        return
    yield ENTER, root, None
    if root.text:
        yield TEXT, root, root.text
    stack: list[tuple[etree._Element, Iterator[etree._Element]]] = [(root, iter(root))]
    while stack:
        parent, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            yield EXIT, parent, None
            if stack and parent.tail:
                yield TAIL, stack[-1][0], parent.tail
            continue
        if not is_element(child) or skip(child):
            if is_element(child):
                yield SKIPPED, child, None
            if child.tail:
                yield TAIL, parent, child.tail
            continue
        yield ENTER, child, None
        if child.text:
            yield TEXT, child, child.text
        stack.append((child, iter(child)))


_WS_RE = re.compile(r"\s+")


def visible_text(doc: etree._Element) -> str:
    """The page body's text in reading order, whitespace collapsed; scripts/styles skipped."""
    body = doc.find(".//body") if doc.tag != "body" else doc
    root = body if body is not None else doc
    parts = [t for kind, _, t in walk_text(root, lambda el: el.tag in INVISIBLE_TAGS)
             if kind in (TEXT, TAIL)]
    return _WS_RE.sub(" ", " ".join(parts)).strip()


# --------------------------------------------------------------------------- decoding

_GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312", "hz"})


def _norm_encoding(name: str | None) -> str | None:
    if not name:
        return None
    resolved = resolve_encoding(name)
    return resolved.lower() if resolved else None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _strict_or_cut(body: bytes, encoding: str) -> str | None:
    """Strict decode, also of a body cut inside its last character (download limit)."""
    text = _strict(body, encoding)
    for k in (1, 2, 3):
        if text is not None or len(body) <= k:
            break
        text = _strict(body[:-k], encoding)
    return text


def decode_html(body: bytes, content_type: str = "") -> str:
    """Page bytes as text, decided by what decodes cleanly.

    Order: the byte-order mark; the declared charsets (HTTP header, then ``<meta>``), each
    decoded strictly (a body cut inside its last character still counts as clean); then
    UTF-8 and GB18030, the two charsets of Chinese government sites; then detection (bs4's
    UnicodeDammit) for anything else.
    A GB-family declaration over bytes that are also valid UTF-8 is a mislabelled UTF-8 page
    (Chinese GBK text is practically never valid UTF-8, the reverse decodes as mojibake).
    When nothing decodes cleanly (a body cut mid-character), the candidate with the fewest
    undecodable bytes wins. Scrapy's ``response.text`` decodes the declared charset with
    replacement characters, so a wrong declaration comes out as mojibake; hence this.
    """
    bom_enc, bom = read_bom(body)
    if bom_enc:
        return body[len(bom):].decode(bom_enc, errors="replace")
    declared: list[str] = []
    for name in (http_content_type_encoding(content_type) if content_type else None,
                 html_body_declared_encoding(body[:4096])):
        enc = _norm_encoding(name)
        if enc and enc not in declared:
            declared.append(enc)
    non_ascii = not body.isascii()
    for enc in declared:
        text = _strict_or_cut(body, enc)
        if text is None:
            continue
        if non_ascii and enc in _GB_FAMILY:
            utf8 = _strict_or_cut(body, "utf-8")
            if utf8 is not None:
                return utf8
        return text
    if not non_ascii:
        return body.decode("ascii")
    for enc in ("utf-8", "gb18030"):
        if enc not in declared:
            text = _strict_or_cut(body, enc)
            if text is not None:
                return text
    dammit = UnicodeDammit(body, user_encodings=["utf-8", "gb18030"],
                           exclude_encodings=declared, is_html=True)
    if dammit.unicode_markup is not None and not dammit.contains_replacement_characters:
        return dammit.unicode_markup
    candidates = declared + [e for e in ("utf-8", "gb18030") if e not in declared]
    best = min(candidates, key=lambda e: body.decode(e, errors="replace").count("\ufffd"))
    return body.decode(best, errors="replace")


def decoded_text(response) -> str:
    """``decode_html`` for a Scrapy response."""
    ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    return decode_html(response.body, ctype)


# --------------------------------------------------------------------------- parsing

#: Parse failures by document: the page was read only in part (see :func:`truncation`).
_TRUNCATED: "weakref.WeakKeyDictionary[etree._Element, str]" = weakref.WeakKeyDictionary()


def parse_document(text: str, parser: lxml.html.HTMLParser) -> lxml.html.HtmlElement:
    """Parse with ``parser`` and remember whether libxml2 gave up part of the page.

    libxml2 stops at nesting deeper than its limit (256; 2048 with ``huge_tree``) and, without
    ``huge_tree``, at text nodes over 10 MB, silently dropping the rest of the page: its links
    would go unchecked. Our parsers use ``huge_tree`` (safe for HTML: the HTML parser expands
    no custom entities, and page size is bounded by the download limit), and what is still cut
    is recorded so the page is reported as 未完整解析."""
    doc = lxml.html.document_fromstring(text, parser=parser)
    for err in parser.error_log:
        if err.type_name == "ERR_RESOURCE_LIMIT" or "XML_PARSE_HUGE" in err.message:
            _TRUNCATED[doc] = err.message.strip()[:200]
            break
    return doc


def truncation(doc: etree._Element) -> str | None:
    """Why libxml2 read ``doc`` only in part, or None when it read it whole."""
    try:
        return _TRUNCATED.get(doc)
    except TypeError:
        return None


# --------------------------------------------------------------------------- linear scans

def _spans(text: str, opener: str, closer: str) -> Iterator[tuple[int, int, int]]:
    """(start, content_end, end) of each ``opener … closer``; an unterminated opener ends
    at the end of text (content_end = end = len(text)). One pass: str.find, no backtracking."""
    pos = 0
    while True:
        start = text.find(opener, pos)
        if start < 0:
            return
        close = text.find(closer, start + len(opener))
        if close < 0:
            yield start, len(text), len(text)
            return
        yield start, close, close + len(closer)
        pos = close + len(closer)


def strip_jsp(text: str) -> str:
    """Remove JSP/ASP source (``<% … %>``, ``<%-- … --%>``) left in saved pages.

    An unterminated ``<%`` is left as it is (a browser shows it as text; removing to the end
    would drop the page). ``<%--`` comments end at ``--%>`` (else at ``%>``), as the regex
    ``<%--.*?--%>|<%.*?%>`` this replaces did, in one pass instead of one per ``<%``."""
    if "<%" not in text:
        return text
    out: list[str] = []
    pos = 0
    while True:
        start = text.find("<%", pos)
        if start < 0:
            break
        closer = "--%>" if text.startswith("<%--", start) else "%>"
        close = text.find(closer, start + 2)
        if close < 0 and closer != "%>":
            closer = "%>"
            close = text.find(closer, start + 2)
        if close < 0:
            break
        out.append(text[pos:start])
        pos = close + len(closer)
    out.append(text[pos:])
    return "".join(out)


def cdata_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the contents of each terminated ``<![CDATA[ … ]]>`` of ``text``."""
    return [(s + 9, c) for s, c, e in _spans(text, "<![CDATA[", "]]>") if c != e]


def cdata_sections(text: str) -> list[str]:
    """Contents of the terminated ``<![CDATA[ … ]]>`` sections of ``text``, in order."""
    return [text[s:e] for s, e in cdata_spans(text)]


# --------------------------------------------------------------------------- small lookups

def base_url(doc: etree._Element, page_url: str) -> str:
    """The document base URL: the first ``<base>`` with an href, resolved against the page
    URL (WHATWG: an empty href leaves the page URL). Read from the tree rather than with
    w3lib's ``get_base_url``, which scans the raw text and so also obeys a ``<base>`` inside
    an HTML comment or a script string (tests/test_text.py shows both)."""
    for el in doc.iter("base"):
        if el.get("href") is None:
            continue
        href = el.get("href", "").strip().replace("\t", "").replace("\n", "").replace("\r", "")
        if not href:
            return page_url
        try:
            return urljoin(page_url, href)
        except ValueError:
            return page_url
    return page_url


def meta_content(doc: etree._Element, name: str) -> str:
    """Content of the first non-empty ``<meta name=…>`` (name case-insensitive), whitespace
    collapsed; "" when absent."""
    want = name.lower()
    for el in doc.iter("meta"):
        if (el.get("name") or "").strip().lower() == want:
            value = _WS_RE.sub(" ", el.get("content") or "").strip()
            if value:
                return value
    return ""


#: The URL a script handler opens: window.open('…'), open('…'), location='…',
#: location.href = '…', location.assign/replace('…').
ONCLICK_URL_RE = re.compile(
    r"""(?:(?:window\.)?open\s*\(|location(?:\.href)?\s*=\s*\(?|location\.(?:assign|replace)\s*\()"""
    r"""\s*['"]([^'"]{1,2000})['"]""")


def onclick_url(handler: str | None) -> str | None:
    """The URL an onclick/onchange handler opens, or None."""
    if not handler or ("open" not in handler and "location" not in handler):
        return None
    m = ONCLICK_URL_RE.search(handler[:5000])
    return m.group(1) if m else None
