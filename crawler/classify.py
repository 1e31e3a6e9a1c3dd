"""What a response is: HTML or not, readable or not, an error page, an anti-bot challenge.

A pure function over a Scrapy Response (no crawl state), so it can be tested on a Response
built by hand and used by any spider.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.http import Response, TextResponse

from .pageclass import is_challenge, soft404_reason

HTML_TYPES = ("text/html", "application/xhtml")
#: Hanweb jpage's dataproxy.jsp answers the later pages of a list as <datastore> XML.
XML_TYPES = ("text/xml", "application/xml")


@dataclass
class Classified:
    status: int
    content_type: str
    is_html: bool
    stopped: bool
    size: int
    doc: Any = None
    title: str = ""
    text: str = ""
    challenge: bool = False
    soft404: str | None = None

    @property
    def readable_page(self) -> bool:
        """A 2xx HTML page that parsed and is neither an error page nor a challenge."""
        return (self.doc is not None and 200 <= self.status < 300
                and not self.soft404 and not self.challenge)


def sniff_html(response: Response, ctype: str) -> bool:
    """HTML by its type, by its first bytes when untyped, or a jpage <datastore> answer."""
    if not isinstance(response, TextResponse):
        return False
    head = response.body[:4096].lower()
    return bool(ctype.startswith(HTML_TYPES) or (not ctype and b"<html" in head[:2048])
                or (ctype.startswith(XML_TYPES) and b"<datastore" in head))


def classify_response(response: Response) -> Classified:
    from .spider import page_title, parse_html, visible_text  # text helpers live there (see text.py)

    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    method = response.request.method if response.request is not None else "GET"
    stopped = "download_stopped" in response.flags
    size = len(response.body)
    if stopped or method == "HEAD":
        try:
            size = int(response.headers.get(b"Content-Length") or 0) or size
        except ValueError:
            pass
    out = Classified(status=response.status, content_type=ctype, is_html=sniff_html(response, ctype), stopped=stopped, size=size)
    if out.is_html and response.body and method == "GET" and not stopped:
        out.doc = parse_html(response)
        if out.doc is not None:
            out.title = page_title(out.doc)
            out.text = visible_text(out.doc)
    status = response.status
    out.challenge = out.is_html and is_challenge(status, response.text if out.is_html else "", len(out.text))
    if out.is_html and 200 <= status < 300 and out.doc is not None and not out.challenge:
        redirected = bool(response.meta.get("redirect_urls")) if response.request is not None else False
        out.soft404 = soft404_reason(out.title, out.text, response.url if redirected else "")
    return out
