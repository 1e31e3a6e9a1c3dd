"""Tell an error page or an anti-bot challenge from a real page.

Many CMSs answer a deleted article with 200 and a friendly "页面不存在" page (soft 404), and
many government sites sit behind WAFs (瑞数, 知道创宇, 安全狗, 云锁) that answer crawlers with a
JavaScript challenge. The first is a dead link; the second says nothing about the link.
"""
from __future__ import annotations

import re

_ERROR_PHRASES = (
    r"^\W*404(?!\d)|(?<![\d第])404\s*(?:not|error|错误|页面|-|_|\||！|!|$)|(?:错误|error|http)\W{0,3}404(?!\d)|页面不存在|网页不存在|文章不存在|信息不存在|内容不存在|文档不存在|稿件不存在|资源不存在"
    r"|页面未找到|未找到(该|您|页面|网页|相关)|找不到(该|您|页面|网页|文件|相关)|无法找到(该|您|页面|网页)"
    r"|(页面|网页|信息|文章|内容|稿件)已(被)?(删除|撤销|撤稿|下线|过期|失效|移除)|已删除|已被删除"
    r"|not\s*found|page\s+not\s+found|file\s+not\s+found|出错啦|出错了|错误页面"
)
ERROR_TITLE = re.compile(_ERROR_PHRASES, re.I)
ERROR_BODY = re.compile(_ERROR_PHRASES, re.I)
ERROR_URL = re.compile(r"/(404|error|notfound|not[-_]found|errorpage|err)(\.\w+)?/?$|[?&](errorcode|err)=", re.I)

#: A page is short enough to be an error page: the text of a real article is longer.
SHORT_BODY_CHARS = 600

#: Markers only WAF/anti-bot challenge pages carry (vendor cookies, scripts, titles).
STRONG_CHALLENGE = re.compile(
    r"cf-chl|_cf_chl|challenge-platform|cf-browser-verification|just a moment\.\.\.|checking your browser"
    r"|__jsl_clearance|acw_sc__v2|wzws_cid|wzwschallenge|yunsuo_session_verify|safedog-flow|_waf_bd8ce2ce37"
    r"|slide_verify_waf|ddos-guard|请开启\s*javascript\s*(?:并|后)\s*刷新",
    re.I,
)
#: Words an ordinary page uses too (a login form's 验证码, a footer's "WAF 防护"): alone they
#: only count where the server already refused (403/429/503).
WEAK_CHALLENGE = re.compile(
    r"captcha|验证码|安全验证|人机验证|滑动验证|访问验证|拖动滑块|请完成验证|正在验证|browser check"
    r"|waf|请开启javascript|enable javascript|访问过于频繁|访问频率|疑似攻击|拦截|安全狗|云锁",
    re.I,
)
_LOGIN_FORM = re.compile(r"<input[^>]{0,200}type\s*=\s*['\"]?password", re.I)
#: Statuses that WAFs use for their challenges (412: 瑞数; 521: 知道创宇加速乐).
CHALLENGE_STATUSES = frozenset({412, 521})
#: Statuses a WAF answers a blocked visitor with.
REFUSAL_STATUSES = frozenset({403, 429, 503})


def soft404_reason(title: str, text: str, url: str = "") -> str | None:
    """Why a 200 page is really an error page, or None.

    ``url`` is given only when the page was reached by a redirect (the final URL): a link that
    lands on ``/404.html`` or ``/error/`` was sent to an error page. A page linked directly at
    such an address is judged by its content alone, since real articles are numbered 404 too
    (``/art/2026/11/404.html``)."""
    title = (title or "").strip()
    if title and ERROR_TITLE.search(title) and len(title) <= 40:
        return f"页面标题为“{title}”"
    body = re.sub(r"\s+", "", text or "")
    if len(body) <= SHORT_BODY_CHARS:
        m = ERROR_BODY.search(body)
        if m:
            return f"页面内容提示“{m.group(0)}”"
    if url and ERROR_URL.search(url.split("#")[0]):
        return "跳转至错误页面"
    return None


def is_challenge(status: int, raw_html: str, visible_chars: int) -> bool:
    """An anti-bot answer: the link may be fine, we just cannot see it.

    A false "challenge" on a home page empties the crawl, so the verdict needs a strong
    signal: a WAF status (412, 521), a vendor's challenge marker on a refused or nearly empty
    page, or challenge words on a page the server refused. A page with a login form is a
    login page whatever words it uses; weak words on a 2xx page are never enough.
    """
    if status in CHALLENGE_STATUSES:
        return True
    head = raw_html[:50000]
    if _LOGIN_FORM.search(head):
        return False
    refused = status in REFUSAL_STATUSES
    if (refused or (200 <= status < 300 and visible_chars < 200)) and STRONG_CHALLENGE.search(head):
        return True
    return refused and bool(WEAK_CHALLENGE.search(head))
