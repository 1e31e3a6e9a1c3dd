"""链接不可用: every broken link target, once, with the pages that show it.

The 2019 indicators deduct per broken link (home-page links weigh more), so one finding per
distinct target, with ``found_on`` naming the pages and ``on_home`` marking home-page links.
Failures that say nothing about the link (anti-bot challenges, 429 after retries, robots.txt)
are not here: they go to ``unverifiable_link``.
"""
from __future__ import annotations

import json
from typing import Iterable

from govaudit.crawler.errors import ERROR_LABELS
from govaudit.crawler.links import names_file

from .crawl import Crawl
from .spec import CheckSpec
from .wording import link_summary, link_error_code


#: found_on keeps this many pages; data.found_on_count has the full number.
MAX_FOUND_ON = 20
DEAD_ERRORS = frozenset({"dns", "refused", "timeout", "tls", "reset", "redirect_loop", "error"})
UNVERIFIABLE_STATUSES = frozenset({429, 412, 521})

HTTP_LABELS = {
    400: "请求错误", 401: "需要登录", 403: "禁止访问", 404: "页面不存在", 410: "页面已删除",
    500: "服务器内部错误", 502: "网关错误", 503: "服务暂不可用", 504: "网关超时",
}


def verdict(fetch: dict) -> tuple[str, str, str] | None:
    """('dead' | 'unverifiable', reason id, Chinese reason) for a fetch, or None when fine."""
    error = fetch.get("error_class")
    status = fetch.get("status")
    redirected = bool(json.loads(fetch.get("redirects") or "[]"))
    if error:
        if error in DEAD_ERRORS:
            return "dead", error, ERROR_LABELS.get(error, error)
        if error in ("robots", "blocked_private", "not_checked", "too_large"):
            return "unverifiable", error, ERROR_LABELS.get(error, error) if error != "not_checked" else (fetch.get("error") or "未检查")
        return None
    if status is None:
        return None
    if fetch.get("challenge"):
        return "unverifiable", "anti_bot", f"HTTP {status}，网站返回人机验证或防护页面，无法确认链接状态"
    if status in UNVERIFIABLE_STATUSES:
        return "unverifiable", "anti_bot", f"HTTP {status}，网站限制访问频率或启用防护，重试后仍无法确认"
    if status >= 400:
        label = HTTP_LABELS.get(status, "HTTP错误")
        if redirected:
            return "dead", "redirect_to_error", f"跳转后返回 HTTP {status}（{label}）"
        return "dead", f"http_{status}", f"HTTP {status}（{label}）"
    if fetch.get("soft404"):
        if redirected:
            return "dead", "redirect_to_error", f"跳转至错误页面：{fetch['soft404']}"
        return "dead", "soft_404", f"页面返回 200 但内容为错误页：{fetch['soft404']}"
    return None


LOCAL_FILE = ("dead", "local_file", "链接指向编辑人员本机上的文件（file:），任何访客均无法打开")
NOT_A_FILE = "链接指向文件，但返回的是网页（文件不存在、已过期或需登录）"
#: A forwarding page shows fewer visible characters than this (crawler.links.FORWARD_MAX_TEXT).
FORWARD_MAX_TEXT = 100


def _fetch_rows(crawl: Crawl, urls: list[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for k in range(0, len(urls), 500):
        chunk = urls[k:k + 500]
        for r in crawl.db.query(
                f"SELECT * FROM fetches WHERE run_id = ? AND url IN ({','.join('?' * len(chunk))})",
                [crawl.run_id, *chunk]):
            if r.get("method") == "GET" or r["url"] not in out:
                out[r["url"]] = r
    return out


def _file_links_served_as_pages(crawl: Crawl) -> dict[str, tuple[dict, bool]]:
    """Links that name a file (….pdf, filename=….pdf, text ending in .doc) answered 2xx with
    an HTML page after GET: the visitor gets an error or login page, not the file."""
    named: set[str] = set()
    for r in crawl.db.query("SELECT DISTINCT target, anchor FROM links WHERE run_id = ?", [crawl.run_id]):
        if names_file(r["target"], r["anchor"] or ""):
            named.add(r["target"])
    out = {}
    for url, f in _fetch_rows(crawl, sorted(named)).items():
        ctype = (f.get("content_type") or "").lower()
        if (f.get("error_class") is None and f.get("status") and 200 <= f["status"] < 300
                and f.get("method") == "GET" and ctype.startswith(("text/html", "application/xhtml"))
                and not f.get("challenge")):
            out[url] = (f, bool(json.loads(f.get("redirects") or "[]")))
    return out


def classify(crawl: Crawl) -> dict[str, tuple[str, str, str]]:
    out = {}
    for url, fetch in crawl.problem_fetches.items():
        v = verdict(fetch)
        if v:
            out[url] = v
    for url, (_, redirected) in _file_links_served_as_pages(crawl).items():
        if url not in out:
            out[url] = ("dead", "redirect_to_error" if redirected else "not_a_file",
                        ("跳转后" if redirected else "") + NOT_A_FILE)
    for r in crawl.db.query("SELECT DISTINCT target FROM links WHERE run_id = ? AND target LIKE 'file:%'",
                            [crawl.run_id]):
        out[r["target"]] = LOCAL_FILE
    return out


def _forwarders(crawl: Crawl, dead: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    """Forwarding page → the dead page it sends visitors to. A page with no content of its
    own that only forwards (meta refresh, location.href=) is what the visitor clicks; like an
    HTTP redirect, the broken link is the forwarding page as linked, not its hidden target."""
    out: dict[str, str] = {}
    targets = sorted(u for u, v in dead.items() if v[0] == "dead")
    for target, links in crawl.links_to(targets).items():
        for link in links:
            if (link["tag"], link["attr"]) not in (("meta", "refresh"), ("script", "forward")):
                continue
            text_len = _page_text_len(crawl, link["source"])
            if text_len is not None and text_len < FORWARD_MAX_TEXT and link["source"] != target:
                out.setdefault(link["source"], target)
    return out


def _page_text_len(crawl: Crawl, url: str) -> int | None:
    for r in crawl.db.query(
            "SELECT json_extract(facts, '$.text_len') AS n FROM pages WHERE run_id = ? AND url = ?",
            [crawl.run_id, url]):
        return r["n"]
    return None


def findings_of(crawl: Crawl, kind: str, check_id: str) -> Iterable[dict]:
    verdicts = {u: v for u, v in classify(crawl).items() if v[0] == kind}
    fetches = dict(crawl.problem_fetches)
    fetches.update({u: f for u, (f, _) in _file_links_served_as_pages(crawl).items()})
    forwarded: dict[str, str] = {}
    if kind == "dead":
        forwarded = _forwarders(crawl, verdicts)
        rows = _fetch_rows(crawl, sorted(forwarded))
        for page, target in forwarded.items():
            if page in verdicts:
                continue
            label = verdicts[target][2]
            verdicts[page] = ("dead", "redirect_to_error", f"页面自动跳转至不可用的页面（{label}）")
            # Recorded like an HTTP redirect: the final URL and answer are the target's.
            end = fetches.get(target, {})
            fetches[page] = {**rows.get(page, {}), "redirects": json.dumps([[page, "forward"]]),
                             "final_url": end.get("final_url") or target, "status": end.get("status"),
                             "error_class": end.get("error_class")}
    links = crawl.links_to(sorted(verdicts))
    for url in sorted(verdicts):
        _, reason, label = verdicts[url]
        sources = [s for s in links.get(url, []) if s["source"] not in forwarded or forwarded[s["source"]] != url]
        if not sources and url != crawl.run["start_url"]:
            continue  # only reached through pagination scripts, redirects or forwarding pages: no page shows it
        pages = list(dict.fromkeys(s["source"] for s in sources))
        on_home = any(s["source_is_home"] for s in sources)
        anchors = list(dict.fromkeys(s["anchor"] for s in sources if s["anchor"]))[:5]
        fetch = fetches.get(url, {})
        where = f"首页及其他 {len(pages) - 1} 个页面" if on_home and len(pages) > 1 else ("首页" if on_home else f"{len(pages)} 个页面")
        yield {
            "check": check_id,
            "url": url,
            "found_on": pages[:MAX_FOUND_ON],
            "severity": ("high" if on_home else "medium") if kind == "dead" else "info",
            "detail": f"{label}；出现在{where}" + (f"，链接文字“{anchors[0]}”" if anchors else ""),
            "data": {
                "reason": reason,
                "status": fetch.get("status"),
                "error_class": fetch.get("error_class"),
                "final_url": fetch.get("final_url"),
                "redirects": json.loads(fetch.get("redirects") or "[]"),
                "on_home": on_home,
                "found_on_count": len(pages),
                "anchors": anchors,
                "tags": sorted({s["tag"] for s in sources}),
                "internal": bool(fetch.get("internal")),
            },
        }


def run(crawl: Crawl) -> Iterable[dict]:
    return findings_of(crawl, "dead", CHECK.id)


CHECK = CheckSpec(
    id="dead_link", title="链接不可用", run=run, order=40,
    hint="失效的链接目标：HTTP 4xx/5xx、域名无法解析、连接被拒绝、超时、证书错误、循环跳转、软 404、文件链接返回网页、本机文件（file:）链接、跳转页指向失效页面。",
    summary=link_summary, error_code=link_error_code,
)
