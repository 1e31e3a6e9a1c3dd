"""Name why a request failed, in the classes an inspector reports.

Scrapy hands failures to errbacks as Twisted failures of many types; the report needs a
short stable class (dns, refused, timeout, tls, reset, too_large, robots, redirect_loop).
"""
from __future__ import annotations

from twisted.internet import error as txerror
from twisted.python.failure import Failure

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


def classify_failure(failure: Failure) -> tuple[str, str]:
    """(error class, message) for a failed request."""
    chain = _chain(failure)
    text = " | ".join(f"{type(e).__name__}: {e}" for e in chain)[:500]
    names = " ".join(type(e).__module__ + "." + type(e).__name__ for e in chain)
    lowered = text.lower()
    for exc in chain:
        if isinstance(exc, txerror.DNSLookupError):
            return "dns", text
    for exc in chain:
        if isinstance(exc, txerror.ConnectionRefusedError):
            return "refused", text
    if "robots.txt" in lowered:
        return "robots", text
    if "private address" in lowered:
        return "blocked_private", text
    if "max redirections" in lowered:
        return "redirect_loop", text
    if "maxsize" in lowered or "max size" in lowered or "downloadcancellederror" in lowered:
        return "too_large", text
    if "ssl" in names.lower() or "tls" in names.lower() or "certificate" in lowered or "ssl" in lowered:
        return "tls", text
    for exc in chain:
        if isinstance(exc, (txerror.TimeoutError, txerror.TCPTimedOutError)) or "timeout" in type(exc).__name__.lower():
            return "timeout", text
    if "took longer than" in lowered or "timed out" in lowered:
        return "timeout", text
    for exc in chain:
        if isinstance(exc, (txerror.ConnectionLost, txerror.ConnectionDone, txerror.ConnectError)):
            return "reset", text
    if "responsenever" in lowered or "connectionlost" in lowered or "dataloss" in lowered or "connection" in lowered:
        return "reset", text
    return "error", text
