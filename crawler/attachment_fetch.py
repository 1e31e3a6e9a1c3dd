"""Spider middleware: the site's attachments are fetched whole, so they can be read for personal data.

Why: link checking needs only an attachment's status (HEAD, or a GET stopped at the headers), but
个人信息未去标识化 is mostly found inside 公示/名单 attachments (.xls .xlsx .et .csv .doc .docx .wps .pdf
.txt). For a check request to such a file on the site's own hosts this middleware

- turns HEAD into GET and marks the request ``ga["scan"]`` (the spider's header handler then lets
  the body through), with a byte budget of ``content.attachments.max_bytes`` (20 MB): a declared
  ``Content-Length`` over it, or a body growing past it, stops the download without failing it —
  the link's status is still known, and the attachment is recorded as too large to read;
- remembers the link text and the linking page's title (``ga["anchor"]``, ``ga["context"]``): a
  name list's CSV has a header row but no title, and 公示/名单 in its link text is what makes its
  mobile numbers private persons' numbers;
- hands the downloaded body on as an ``attachment_body`` item, which AttachmentScanPipeline
  (crawler/attachment_scan.py) turns into a row of the ``attachments`` table off the reactor thread.

External attachments are only link-checked: their content is another site's.
Enabled in settings (SPIDER_MIDDLEWARES); off when ``content.enabled`` is false.
"""
from __future__ import annotations

from typing import Any, AsyncIterator, Iterable
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured, StopDownload

from .content import ContentOptions
from .links import extension

#: Margin over the byte budget for Scrapy's own hard limit (the budget stops the download first).
_HARD_MARGIN = 4 * 1024 * 1024


class AttachmentFetchMiddleware:
    def __init__(self, options: ContentOptions) -> None:
        self.options = options
        self.extensions = frozenset(e.lstrip(".") for e in options.attachment_extensions)
        self.max_bytes = options.attachment_max_bytes

    @classmethod
    def from_crawler(cls, crawler):
        options = ContentOptions.from_config(crawler.settings.getdict("GOVAUDIT_CONTENT"))
        if not options.enabled or not options.attachment_extensions:
            raise NotConfigured("content checks are off")
        mw = cls(options)
        mw.crawler = crawler
        crawler.signals.connect(mw.on_headers, signal=signals.headers_received)
        crawler.signals.connect(mw.on_bytes, signal=signals.bytes_received)
        return mw

    # -- which requests ------------------------------------------------------------------------

    def wanted(self, url: str, spider) -> bool:
        if extension(url) not in self.extensions:
            return False
        host = (urlsplit(url).hostname or "").lower()
        is_internal = getattr(spider, "is_internal", None)
        return bool(is_internal(host)) if callable(is_internal) else False

    def _rewrite(self, request: Request, context: dict[str, str], title: str, spider) -> Request:
        ga = request.meta.get("ga")
        if not ga or ga.get("scan") or ga.get("role") != "check" or not self.wanted(request.url, spider):
            return request
        anchor = context.get(ga.get("key") or request.url, "")
        meta = dict(request.meta)
        meta["ga"] = {**ga, "method": "GET", "scan": True, "anchor": anchor[:200],
                      "context": f"{anchor} {title}".strip()[:400]}
        meta["download_maxsize"] = self.max_bytes + _HARD_MARGIN
        return request.replace(method="GET", meta=meta, dont_filter=True)

    # -- spider output -------------------------------------------------------------------------

    def _one(self, item: Any, state: dict, spider) -> Any:
        if isinstance(item, dict):
            table = item.get("_table")
            if table == "pages":
                state["title"] = item.get("title") or ""
            elif table == "links":
                for r in item.get("rows") or ():
                    if r.get("anchor") and extension(r["target"]) in self.extensions:
                        state["anchors"].setdefault(r["target"], r["anchor"])
            return item
        if isinstance(item, Request):
            return self._rewrite(item, state["anchors"], state["title"], spider)
        return item

    def _body(self, response) -> dict | None:
        if response is None:
            return None
        ga = response.meta.get("ga") or {}
        if not ga.get("scan") or not 200 <= response.status < 300 or response.request.method != "GET":
            return None
        return {"_table": "attachment_body", "url": ga.get("key") or response.url, "final_url": response.url,
                "body": response.body, "stopped": "download_stopped" in response.flags or bool(ga.get("too_large")),
                "declared": ga.get("declared"), "anchor": ga.get("anchor", ""), "context": ga.get("context", ""),
                "content_type": (response.headers.get(b"Content-Type") or b"").decode("latin-1")[:100]}

    def process_spider_output(self, response, result: Iterable[Any], spider=None) -> Iterable[Any]:
        spider = spider or self.crawler.spider
        state: dict = {"title": "", "anchors": {}}
        for item in result:
            yield self._one(item, state, spider)
        body = self._body(response)
        if body:
            yield body

    async def process_spider_output_async(self, response, result: AsyncIterator[Any], spider=None) -> AsyncIterator[Any]:
        spider = spider or self.crawler.spider
        state: dict = {"title": "", "anchors": {}}
        async for item in result:
            yield self._one(item, state, spider)
        body = self._body(response)
        if body:
            yield body

    # -- byte budget ---------------------------------------------------------------------------

    def on_headers(self, headers, body_length, request, spider) -> None:
        ga = request.meta.get("ga") or {}
        if not ga.get("scan"):
            return
        try:
            declared = int(headers.get(b"Content-Length") or 0)
        except ValueError:
            declared = 0
        ga["declared"] = declared or None
        if declared > self.max_bytes:
            ga["too_large"] = True
            raise StopDownload(fail=False)

    def on_bytes(self, data: bytes, request, spider) -> None:
        ga = request.meta.get("ga") or {}
        if not ga.get("scan"):
            return
        ga["got"] = ga.get("got", 0) + len(data)
        if ga["got"] > self.max_bytes:
            ga["too_large"] = True
            raise StopDownload(fail=False)
