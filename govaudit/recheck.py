"""Re-check one finding now, without crawling the site: fetch just the pages it concerns.

A unit that says "已整改" is believed only when the item itself says so today: the dead
link's target answers, or no page that showed it links it any more; the column's list page
has a new enough item; the document page prints a valid 有效性. The pages are read with the
crawler's own extractors (listing, docmeta, links, pageclass) and judged with the checks'
own rules (dead_link.verdict), so a re-check cannot disagree with the monthly inspection
about what counts as fixed. What cannot be told from a few pages is 无法复核, never 属实.
"""
from __future__ import annotations

import hashlib
import socket
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from w3lib.encoding import html_to_unicode

from govaudit.crawler import docmeta, links, listing, pageclass
from govaudit.crawler.resolver import is_private_ip

TRUE, FALSE, UNKNOWN = "属实", "不属实", "无法复核"
USER_AGENT = "Mozilla/5.0 (compatible; govaudit/0.1; government website inspection; review)"
MAX_BYTES = 5 * 1024 * 1024
MAX_SOURCES = 20


@dataclass
class Fetched:
    """A fetch shaped like a `fetches` row (what dead_link.verdict reads), plus the page."""

    url: str
    final_url: str = ""
    status: int | None = None
    error_class: str | None = None
    error: str = ""
    redirects: list = field(default_factory=list)
    soft404: str | None = None
    challenge: int = 0
    title: str = ""
    text: str = ""
    html: str = ""
    sha1: str = ""
    last_modified: str = ""

    def row(self) -> dict[str, Any]:
        import json

        return {"url": self.url, "final_url": self.final_url, "status": self.status, "error_class": self.error_class,
                "error": self.error, "redirects": json.dumps(self.redirects), "soft404": self.soft404,
                "challenge": self.challenge}

    def doc(self):
        return listing.parse_html(self.html, remove_comments=True) if self.html else None

    def summary(self) -> str:
        if self.error_class:
            from govaudit.crawler.errors import ERROR_LABELS

            return ERROR_LABELS.get(self.error_class, self.error_class)
        return f"HTTP {self.status}" + (f"（{self.soft404}）" if self.soft404 else "")


@dataclass
class Result:
    conclusion: str  # 属实 | 不属实 | 无法复核
    evidence: str  # Chinese, for the 复核结果 sheet
    data: dict[str, Any] = field(default_factory=dict)


MAX_REDIRECTS = 10


class _Blocked(Exception):
    pass


def blocked(url: str, site_hosts: set[str], allow_private: bool = False) -> bool:
    """Whether a URL's host is a private/loopback address that is not the audited site's own host.

    The same rule as the crawler's GuardedResolver: a hostile page must not steer the
    re-check (or the screenshot browser) into the office's intranet.
    """
    host = (urlsplit(url).hostname or "").lower()
    if allow_private or host in site_hosts:
        return False
    try:
        addresses = {ai[4][0] for ai in socket.getaddrinfo(host, None)}
    except OSError:
        return False  # the request itself reports the DNS failure
    return any(is_private_ip(a) for a in addresses)


class Fetcher:
    """Plain GETs with the crawler's limits: a timeout, a size cap, and the private-address guard.

    Only URLs stored with the finding are fetched (never text typed into the returned list),
    and a name resolving to a private address is refused unless it is the audited site's host.
    """

    def __init__(self, site_hosts: set[str], timeout: float = 20, allow_private: bool = False) -> None:
        self.site_hosts = {h.lower() for h in site_hosts}
        self.timeout = timeout
        self.allow_private = allow_private
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.cache: dict[str, Fetched] = {}

    def _blocked(self, url: str) -> bool:
        return blocked(url, self.site_hosts, self.allow_private)

    def _get(self, url: str) -> requests.Response:
        """GET following redirects by hand, so every hop passes the private-address guard."""
        history: list[requests.Response] = []
        for _ in range(MAX_REDIRECTS + 1):
            if self._blocked(url):
                raise _Blocked(url)
            resp = self.session.get(url, timeout=self.timeout, stream=True, allow_redirects=False)
            if not resp.is_redirect:
                resp.history = history
                return resp
            history.append(resp)
            resp.close()
            url = urljoin(resp.url, resp.headers["Location"])
        raise requests.exceptions.TooManyRedirects(f"超过 {MAX_REDIRECTS} 次跳转")

    def get(self, url: str) -> Fetched:
        if url in self.cache:
            return self.cache[url]
        f = Fetched(url=url)
        self.cache[url] = f
        try:
            resp = self._get(url)
        except _Blocked as exc:
            f.error_class, f.error = "blocked_private", f"{exc.args[0]} 指向内网或本机地址，未访问"
            return f
        except requests.exceptions.SSLError as exc:
            f.error_class, f.error = "tls", str(exc)[:200]
            return f
        except requests.exceptions.TooManyRedirects as exc:
            f.error_class, f.error = "redirect_loop", str(exc)[:200]
            return f
        except requests.exceptions.Timeout as exc:
            f.error_class, f.error = "timeout", str(exc)[:200]
            return f
        except requests.exceptions.ConnectionError as exc:
            text = str(exc)
            low = text.lower()
            f.error_class = "dns" if ("name or service" in low or "nameresolution" in low or "getaddrinfo" in low) \
                else "refused" if "refused" in low else "reset"
            f.error = text[:200]
            return f
        except requests.exceptions.RequestException as exc:
            f.error_class, f.error = "error", str(exc)[:200]
            return f
        with resp:
            body = b""
            for chunk in resp.iter_content(65536):
                body += chunk
                if len(body) > MAX_BYTES:
                    break
            f.status = resp.status_code
            f.final_url = resp.url
            f.redirects = [[r.url, r.status_code] for r in resp.history]
            f.last_modified = resp.headers.get("Last-Modified", "")
            f.sha1 = hashlib.sha1(body).hexdigest()
            ctype = resp.headers.get("Content-Type", "")
        if "html" in ctype.lower() or body[:200].lstrip().lower().startswith((b"<!doctype html", b"<html")):
            _, f.html = html_to_unicode(ctype, body)
            doc = listing.parse_html(f.html, remove_comments=True)
            title_el = doc.find(".//title")
            f.title = (title_el.text_content() if title_el is not None else "").strip()
            body_el = doc.find(".//body")
            f.text = " ".join((body_el if body_el is not None else doc).text_content().split())
            if 200 <= (f.status or 0) < 300:
                f.soft404 = pageclass.soft404_reason(f.title, f.text, f.final_url if f.redirects else "")
            f.challenge = int(pageclass.is_challenge(f.status or 0, f.html, len(f.text)))
        return f


def _iso(d: Any) -> date | None:
    try:
        return date.fromisoformat(str(d)[:10]) if d else None
    except ValueError:
        return None


def _unreadable(page: Fetched, what: str) -> Result | None:
    """无法复核 when the page itself cannot be read (down, challenge, not HTML)."""
    if page.error_class or page.challenge or (page.status or 0) >= 400 or page.soft404:
        return Result(UNKNOWN, f"{what}无法访问（{page.summary()}），无法复核", {"status": page.status,
                                                                              "error_class": page.error_class})
    if not page.html:
        return Result(UNKNOWN, f"{what}不是网页（HTTP {page.status}），无法复核", {"status": page.status})
    return None


def dead_link(f: dict, fetcher: Fetcher, as_of: date) -> Result:
    """The target answers now, or no page that showed it still links it."""
    from govaudit.checks.dead_link import verdict

    target = fetcher.get(f["url"])
    v = verdict(target.row())
    data = {"status": target.status, "error_class": target.error_class, "final_url": target.final_url}
    if v is None:
        return Result(TRUE, f"{as_of.isoformat()} 复核：链接目标可以正常访问（{target.summary()}）", data)
    if v[0] == "unverifiable":
        return Result(UNKNOWN, f"{as_of.isoformat()} 复核：{v[2]}", data)
    still, unread = [], []
    for src in list(f.get("found_on") or [])[:MAX_SOURCES]:
        page = fetcher.get(src)
        if _unreadable(page, "来源页面"):
            unread.append(src)
            continue
        found = {links.normalize_url(link.target) for link in links.extract_links(page.doc(), page.final_url or src)}
        if links.normalize_url(f["url"]) in found:
            still.append(src)
    data.update(still_on=still, unreadable_sources=unread)
    if still:
        return Result(FALSE, f"{as_of.isoformat()} 复核：链接目标仍不可用（{target.summary()}），"
                             f"页面 {still[0]} 仍链接该地址" + (f" 等 {len(still)} 个页面" if len(still) > 1 else ""), data)
    if unread:
        return Result(UNKNOWN, f"{as_of.isoformat()} 复核：链接目标仍不可用（{target.summary()}），"
                               f"来源页面 {unread[0]} 无法访问，无法确认链接是否已删除", data)
    if not f.get("found_on"):
        return Result(FALSE, f"{as_of.isoformat()} 复核：链接目标仍不可用（{target.summary()}）", data)
    return Result(TRUE, f"{as_of.isoformat()} 复核：链接目标仍不可用（{target.summary()}），"
                        f"但原来源页面均已不再链接该地址（已删除）", data)


def _newest(page: Fetched, fetcher: Fetcher, as_of: date) -> tuple[date | None, dict | None, list[dict]]:
    """A list page's newest dated item; undated lists borrow the first items' own dates."""
    info = listing.extract_listing(page.doc(), page.final_url or page.url, as_of)
    items = info.get("items") or []
    dated = [(d, i) for i in items if (d := _iso(i.get("date"))) and d <= as_of]
    if not dated:
        from govaudit.crawler.facts import meta_tags, publication_date

        for i in items[:3]:
            if not i.get("url"):
                continue
            detail = fetcher.get(i["url"])
            if _unreadable(detail, "信息页面"):
                continue
            doc = detail.doc()
            d = _iso(publication_date(doc, meta_tags(doc), detail.text, as_of))
            if d and d <= as_of:
                dated.append((d, dict(i, date=d.isoformat())))
    if not dated:
        return None, None, items
    d, item = max(dated, key=lambda t: t[0])
    return d, item, items


def column(f: dict, fetcher: Fetcher, as_of: date) -> Result:
    """stale_column / blank_column / stale_homepage: the list page's newest item now."""
    data = f.get("data") or {}
    url = f["url"]
    what = "网站首页" if f["check"] == "stale_homepage" else "栏目页面"
    page = fetcher.get(url)
    bad = _unreadable(page, what)
    if bad:
        return bad
    newest, item, items = _newest(page, fetcher, as_of)
    window = data.get("window_days") if f["check"] != "blank_column" else None
    ev = {"status": page.status, "newest_date": newest.isoformat() if newest else None, "items": len(items),
          "newest_title": (item or {}).get("title")}
    day = as_of.isoformat()
    if f["check"] == "blank_column":
        if items:
            return Result(TRUE, f"{day} 复核：栏目已有信息 {len(items)} 条" +
                          (f"，最新发布于 {newest.isoformat()}" if newest else ""), ev)
        return Result(FALSE, f"{day} 复核：栏目仍无信息（HTTP {page.status}）", ev)
    if window is None:
        return Result(UNKNOWN, f"{day} 复核：该栏目不按日期判断更新，需人工复核", ev)
    if newest is None:
        if f["check"] == "stale_homepage":
            return Result(UNKNOWN, f"{day} 复核：首页未列出注明日期的信息，需人工复核二级栏目", ev)
        return Result(FALSE, f"{day} 复核：栏目信息仍均未注明日期（共 {len(items)} 条）", ev)
    age = (as_of - newest).days
    if age <= int(window):
        return Result(TRUE, f"{day} 复核：最新信息“{(item or {}).get('title', '')}”发布于 {newest.isoformat()}，"
                            f"已在更新要求（{window} 天）内", ev)
    return Result(FALSE, f"{day} 复核：最新信息仍发布于 {newest.isoformat()}，已 {age} 天未更新"
                         f"（要求 {window} 天内）", ev)


def document(f: dict, fetcher: Fetcher, as_of: date, known: tuple[str, ...] = ()) -> Result:
    """missing_validity / expired_still_valid: the document page's validity field now."""
    page = fetcher.get(f["url"])
    bad = _unreadable(page, "文件页面")
    if bad:
        return bad
    meta = docmeta.extract_doc_meta(page.doc(), as_of)
    value = meta.get("validity")
    status = docmeta.validity_status(value, known) if known else docmeta.validity_status(value)
    ev = {"status": page.status, "validity": value, "valid_until": meta.get("valid_until")}
    day = as_of.isoformat()
    if f["check"] == "missing_validity":
        if status == "ok":
            return Result(TRUE, f"{day} 复核：页面已标注有效性“{value}”", ev)
        shown = "未标注有效性" if status == "missing" else f"有效性为“{value or ''}”"
        return Result(FALSE, f"{day} 复核：页面仍{shown}", ev)
    until = _iso(meta.get("valid_until"))
    if status == "ok" and "有效" in (value or "") and "失效" not in value and until and until < as_of:
        return Result(FALSE, f"{day} 复核：仍标注“{value}”，有效期至 {until.isoformat()} 已过", ev)
    if status != "ok":
        return Result(UNKNOWN, f"{day} 复核：有效性字段为“{value or ''}”，需人工复核", ev)
    return Result(TRUE, f"{day} 复核：有效性已改为“{value}”" + (f"，有效期至 {until.isoformat()}" if until else ""), ev)


def unreachable(f: dict, fetcher: Fetcher, as_of: date) -> Result:
    page = fetcher.get(f["url"])
    if page.error_class or (page.status or 0) >= 400:
        return Result(FALSE, f"{as_of.isoformat()} 复核：网站首页仍无法访问（{page.summary()}）", {"status": page.status})
    return Result(TRUE, f"{as_of.isoformat()} 复核：网站首页可以访问（HTTP {page.status}）", {"status": page.status})


def recheck(f: dict, fetcher: Fetcher, as_of: date, config: dict | None = None) -> Result:
    """The 复核结论 of one stored finding (a findings row with data/found_on decoded)."""
    check = f["check"]
    if check == "dead_link":
        return dead_link(f, fetcher, as_of)
    if check in ("stale_column", "blank_column", "stale_homepage"):
        return column(f, fetcher, as_of)
    if check in ("missing_validity", "expired_still_valid"):
        known = tuple(((config or {}).get("documents") or {}).get("validity_values") or ())
        return document(f, fetcher, as_of, known)
    if check == "site_unreachable":
        return unreachable(f, fetcher, as_of)
    return Result(UNKNOWN, "该类问题需结合全站检查判断，将在下次月度检查中复核", {})
