"""Name why a request failed, in the classes an inspector reports.

Scrapy hands failures to errbacks as Twisted failures of many types; the report needs a
short stable class (dns, refused, timeout, tls, reset, too_large, robots, redirect_loop).
"""
from __future__ import annotations

from OpenSSL.SSL import Error as SSLError
from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                               DownloadFailedError, DownloadTimeoutError, IgnoreRequest, ResponseDataLossError)
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from twisted.internet import error as txerror
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

ERROR_LABELS = {
    "dns": "域名无法解析",
    "refused": "连接被拒绝",
    "timeout": "连接超时",
    "tls": "证书或加密连接错误",
    "reset": "连接中断",
    "http": "HTTP错误",
    "too_large": "内容超过下载上限，未完整检查",
    "robots": "robots.txt禁止访问，未检查",
    "redirect_loop": "重定向次数过多（循环跳转）",
    "blocked_private": "指向内网或本机地址，未检查",
    "not_checked": "未检查",
    "out_of_scope": "按配置不检查",
    "error": "访问出错",
}


def _chain(failure: Failure) -> list[BaseException]:
    """The exception and the reasons it wraps (ResponseNeverReceived carries a list)."""
    out: list[BaseException] = []
    todo: list[object] = [failure.value]
    while todo:
        exc = todo.pop()
        if isinstance(exc, Failure):
            exc = exc.value
        if not isinstance(exc, BaseException) or exc in out:
            continue
        out.append(exc)
        for attr in ("reasons",):
            for r in getattr(exc, attr, None) or []:
                todo.append(r)
        if exc.__cause__ is not None:
            todo.append(exc.__cause__)
    return out


class PolicyRefused(IgnoreRequest):
    """A request the guard will not send (private address, budget): a decision, not a
    failure, so nothing retries it (IgnoreRequest is never retried) and it is not "dead"."""

    error_class = "blocked_private"


class BudgetRefused(PolicyRefused):
    error_class = "not_checked"


class HostDown(PolicyRefused):
    """A host that already failed often enough: reported with the host's own error class."""

    def __init__(self, error_class: str, message: str) -> None:
        super().__init__(message)
        self.error_class = error_class


class HeaderTooLarge(Exception):
    """The response's header section passed GOVAUDIT_MAX_HEADER_BYTES / _COUNT."""


#: Scrapy 2.19's typed download exceptions (scrapy.utils._download_handlers wraps Twisted's),
#: with the Twisted originals they wrap for handlers that do not wrap.
TYPED: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((HeaderTooLarge,), "too_large"),
    ((CannotResolveHostError, txerror.DNSLookupError), "dns"),
    ((DownloadConnectionRefusedError, txerror.ConnectionRefusedError), "refused"),
    ((DownloadCancelledError, _DecompressionMaxSizeExceeded), "too_large"),
    ((SSLError,), "tls"),
    ((DownloadTimeoutError, txerror.TimeoutError, txerror.TCPTimedOutError), "timeout"),
    ((ResponseDataLossError, txerror.ConnectionLost, txerror.ConnectionDone, txerror.ConnectError), "reset"),
)


def classify_exception(exc: BaseException) -> tuple[str, str]:
    """classify_failure for a bare exception (downloader middlewares' process_exception)."""
    return classify_failure(Failure(exc))


def classify_failure(failure: Failure) -> tuple[str, str]:
    """(error class, message) for a failed request, decided by exception type.

    Only Scrapy's own IgnoreRequest reasons (robots.txt, too many redirects) are told apart
    by their message, since Scrapy raises the one type for both."""
    chain = _chain(failure)
    text = " | ".join(f"{type(e).__name__}: {e}" for e in chain)[:500]
    for exc in chain:
        if isinstance(exc, PolicyRefused):
            return exc.error_class, str(exc)
    for types, name in TYPED:
        if any(isinstance(exc, types) for exc in chain):
            return name, text
    for exc in chain:
        if isinstance(exc, IgnoreRequest):
            lowered = str(exc).lower()
            if "robots.txt" in lowered:
                return "robots", text
            if "max redirections" in lowered:
                return "redirect_loop", text
    if any(isinstance(exc, (DownloadFailedError, ResponseFailed, ResponseNeverReceived)) for exc in chain):
        return "reset", text
    return "error", text
