"""HEAD first for resources, GET when HEAD is refused: only GET decides.

Many government servers refuse or mishandle HEAD (405, 403, 500, a reset connection). A
downloader middleware placed below RetryMiddleware (550) and RedirectMiddleware (600), so a
HEAD is retried and redirected as usual first and only its final answer or final failure
is asked again with GET. A policy refusal (guard, budgets) is a decision and is not.
"""
from __future__ import annotations

from scrapy import Request
from scrapy.http import Response

from .errors import PolicyRefused, classify_exception

#: HEAD answers that mean "ask again with GET", not "broken".
HEAD_REFUSED = frozenset({400, 403, 404, 405, 406, 500, 501, 502, 503})
#: HEAD failures worth a GET.
HEAD_FAILURES = frozenset({"reset", "error", "timeout"})


def as_get(request: Request) -> Request:
    meta = dict(request.meta)
    ga = dict(meta.get("ga") or {})
    ga.update(method="GET", head_refused=True)
    meta["ga"] = ga
    for key in ("retry_times", "redirect_times", "redirect_ttl", "redirect_urls", "redirect_reasons"):
        meta.pop(key, None)
    return request.replace(url=ga.get("key") or request.url, method="GET", meta=meta, dont_filter=True)


class HeadFallbackMiddleware:
    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response, spider=None) -> Request | Response:
        if request.method == "HEAD" and "ga" in request.meta and (response.status in HEAD_REFUSED or response.status >= 400):
            self.stats.inc_value("govaudit/head_refused")
            return as_get(request)
        return response

    def process_exception(self, request: Request, exception: BaseException, spider=None) -> Request | None:
        if request.method != "HEAD" or "ga" not in request.meta or isinstance(exception, PolicyRefused):
            return None
        if classify_exception(exception)[0] in HEAD_FAILURES:
            self.stats.inc_value("govaudit/head_failed")
            return as_get(request)
        return None
