"""Site search, tried once per crawl (功能设计 · 搜索功能; checks/search_broken.py).

When the crawl has nothing left to do (``spider_idle``), the extension takes the home page's search
form (crawler/site_marks.py ``search_forms``), a recent article title seen in the crawl (the detail
page with the newest date; at least 6 characters, cut to at most 15), and submits the form as a
visitor's browser would: a GET to the form's action with every hidden field kept and the text
field filled, encoded in the home page's charset (GBK sites expect GBK). The request goes through
the engine with the crawl's downloader middlewares (address guard, robots.txt); the spider is kept
open until the answer is read (``DontCloseSpider``).

The outcome goes into the crawler's stats as ``govaudit/search``, which ``govaudit.audit.run_stats``
stores as the run's ``stats.search``::

    {status: ok|not_found|error|no_form|unchecked, query, query_url, target_url, http_status, detail}

ok = the results page links the article or shows the query in a link's text. A POST search form
(帝国CMS ``/e/search/index.php``) is submitted as a browser submits it — the form's fields
urlencoded in the page's charset, its named submit button included — and judged more carefully:
an HTTP error or a page saying 无结果 is a finding, a page merely not listing the article is
``unchecked`` (a POST may answer with an intermediate page). ASP.NET WebForms page forms and
script-only searches are ``unchecked`` (submitting them is left to a person). Distributed workers do
not run it (``GOVAUDIT_SEARCH_PROBE = False``); a run without the key gets no search finding.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote_plus, urldefrag, urljoin, urlsplit

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Request

from .site_marks import SEARCH_WORDS, search_forms

STATS_KEY = "govaudit/search"
MIN_TITLE, MAX_QUERY = 6, 15
NO_RESULTS = ("暂无结果", "没有找到", "未找到", "无相关", "没有相关", "共找到 0 条", "共找到0条", "找到0条", "0条结果",
              "暂无数据", "无结果", "参数错误")
_TITLE_SUFFIX = re.compile(r"\s*(?:[-_|｜—]+)\s*[^-_|｜—]*$")


def query_of(title: str) -> str:
    """The words typed: the title with its spaces collapsed, cut to ``MAX_QUERY`` characters."""
    t = re.sub(r"\s+", " ", title or "").strip()
    return t[:MAX_QUERY].strip()


def encode_value(value: str, charset: str) -> str:
    try:
        return quote_plus(value, encoding=charset or "utf-8")
    except (LookupError, UnicodeEncodeError):
        return quote_plus(value, encoding="utf-8")


def form_url(form: dict, query: str, charset: str = "utf-8") -> str:
    """The GET URL the form defines: action + hidden fields (in order) + the text field filled."""
    qs = _encoded_fields(form, query, charset)
    action = urldefrag(form["action"])[0]
    if "?" in action:  # a GET form replaces the action's own query string, as browsers do
        action = action.split("?", 1)[0]
    return f"{action}?{qs}"


def form_body(form: dict, query: str, charset: str = "utf-8") -> str:
    """The urlencoded body a browser posts: hidden fields (in order), the text field filled, and the
    form's named submit button as clicked."""
    return _encoded_fields(form, query, charset, with_submit=True)


def _encoded_fields(form: dict, query: str, charset: str, with_submit: bool = False) -> str:
    """Hidden fields in order, the text field filled (and the named submit button), urlencoded."""
    fields = [(k, v) for k, v in (form.get("hidden") or {}).items() if k != form["query"]]
    fields.append((form["query"], query))
    if with_submit and form.get("submit"):
        fields.append(tuple(form["submit"]))
    return "&".join(f"{encode_value(str(k), charset)}={encode_value(str(v), charset)}" for k, v in fields)


def script_search(doc: Any) -> bool:
    """A search box outside any form (a script submits it), or a search form without a usable field."""
    for inp in doc.iter("input"):
        if (inp.get("type") or "text").lower() not in ("text", "search"):
            continue
        hint = " ".join(filter(None, [inp.get("id"), inp.get("name"), inp.get("class"), inp.get("placeholder"),
                                      inp.get("onkeydown"), inp.get("onkeyup")])).lower()
        if any(w in hint for w in SEARCH_WORDS if len(w) > 2) or "搜" in hint or "检索" in hint or "关键" in hint:
            return True
    return False


def judge(body_text: str, links: list[tuple[str, str]], query: str, title: str, target: str) -> tuple[str, str]:
    """(status, detail) of one results page: ``links`` are (absolute href, anchor text)."""
    want = urldefrag(target)[0].rstrip("/")
    want_path = urlsplit(want).path
    for href, text in links:
        h = urldefrag(href)[0].rstrip("/")
        if h == want or (want_path and urlsplit(h).path == want_path and urlsplit(h).netloc == urlsplit(want).netloc):
            return "ok", "搜索结果列出了该信息"
    for href, text in links:
        t = re.sub(r"\s+", "", text or "")
        if query and re.sub(r"\s+", "", query) in t:
            return "ok", "搜索结果中有标题含搜索词的链接"
    compact = re.sub(r"\s+", "", body_text or "")
    if title and len(title) > len(query) and re.sub(r"\s+", "", title) in compact:
        return "ok", "搜索结果页含该信息的完整标题"
    said = next((w for w in NO_RESULTS if w in compact), None)
    if said:
        return "not_found", f"搜索结果页显示“{said}”，未列出该信息"
    return "not_found", "搜索结果页未列出该信息"


class SearchProbe:
    """Scrapy extension: submit the home page's search form once, when the crawl is otherwise done."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.home: dict | None = None  # {url, charset, forms, script}
        self.best: tuple[str, str, str] | None = None  # (date, url, title)
        self.aliases: dict[str, str] = {}  # final URL → the URL the site links (a redirect's start)
        self.pending: dict = {}
        self.started = False
        self.finished = False

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("GOVAUDIT_SEARCH_PROBE", True):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        return ext

    # -- what the crawl sees -------------------------------------------------------------------

    def response_received(self, response, request, spider=None) -> None:
        ga = request.meta.get("ga") or {}
        if not (ga.get("home") and ga.get("role") == "page") or not hasattr(response, "text"):
            return
        try:
            from lxml import html as lhtml

            doc = lhtml.fromstring(response.text)
        except Exception:  # noqa: BLE001 - an unreadable home page has no form to try
            return
        forms = search_forms(doc, response.url)
        info = {"url": response.url, "charset": response.encoding or "utf-8", "forms": forms,
                "script": not forms and script_search(doc)}
        # Forwarding start pages: the home page with a form (else the last one read) counts.
        if self.home is None or forms or not self.home["forms"]:
            self.home = info

    def item_scraped(self, item, response=None, spider=None) -> None:
        if not isinstance(item, dict) or item.get("_table") != "pages" or item.get("is_home"):
            return
        try:
            import json

            facts = json.loads(item.get("facts") or "{}")
        except ValueError:
            return
        if facts.get("kind") != "detail" or not facts.get("pub_date"):
            return
        as_of = self.crawler.settings.get("GOVAUDIT_AS_OF")
        if as_of and str(facts["pub_date"])[:10] > as_of:
            return  # dated after the inspection day (future_date asks about it): not a title to search for
        title = ((facts.get("doc") or {}).get("title") or "").strip()
        if not title:
            title = _TITLE_SUFFIX.sub("", item.get("title") or "").strip()
        title = re.sub(r"\s+", " ", title)
        if len(title) < MIN_TITLE:
            return
        key = (str(facts["pub_date"]), item.get("final_url") or item["url"], title)
        if item.get("url") and item["url"] != key[1]:
            self.aliases[key[1]] = item["url"]
        # Newest first; on the same day a title that fits the query whole is preferred.
        rank = (key[0], len(title) <= MAX_QUERY)
        if self.best is None or rank > (self.best[0], len(self.best[2]) <= MAX_QUERY):
            self.best = key

    # -- the search ----------------------------------------------------------------------------

    def store(self, status: str, detail: str, **extra: Any) -> None:
        result = {"status": status, "query": extra.get("query", ""), "query_url": extra.get("query_url", ""),
                  "target_url": extra.get("target_url", ""), "http_status": extra.get("http_status"), "detail": detail}
        self.crawler.stats.set_value(STATS_KEY, result)
        self.finished = True

    def spider_idle(self, spider=None) -> None:
        if self.started:
            return
        self.started = True
        try:
            request = self.plan()
        except Exception as exc:  # noqa: BLE001 - a probe error never breaks the crawl
            self.store("unchecked", f"站内搜索检查出错：{type(exc).__name__}")
            return
        if request is None:
            return
        engine = self.crawler.engine
        try:
            engine.crawl(request)
        except TypeError:  # older Scrapy: crawl(request, spider)
            engine.crawl(request, spider)
        raise DontCloseSpider

    def plan(self) -> Request | None:
        home = self.home
        if home is None:
            return None  # the home page was never read: nothing to say
        gets = [f for f in home["forms"] if f.get("method", "get") == "get"]
        posts = [f for f in home["forms"] if f.get("method") == "post" and not f.get("webforms")]
        if not home["forms"]:
            if home["script"]:
                self.store("unchecked", "首页搜索框由脚本提交，未自动检查")
            else:
                self.store("no_form", "首页未找到站内搜索框")
            return None
        if not gets and not posts:
            self.store("unchecked", "首页搜索表单为 ASP.NET 页面回发，未自动检查")
            return None
        if self.best is None:
            self.store("unchecked", "本次抓取未找到带发布日期的信息，无法选取搜索词")
            return None
        _, target, title = self.best
        query = query_of(title)
        meta = {"ga": {"key": "", "role": "search", "depth": 0}, "download_maxsize": 4 * 1024 * 1024}
        if gets:
            url = form_url(gets[0], query, home["charset"])
            self.pending = {"query": query, "query_url": url, "target_url": target, "title": title, "method": "get"}
            meta["ga"]["key"] = url
            return Request(url, callback=self.on_results, errback=self.on_error, dont_filter=True, priority=100, meta=meta)
        form = posts[0]
        url = urldefrag(form["action"])[0]
        body = form_body(form, query, home["charset"])
        self.pending = {"query": query, "query_url": url, "target_url": target, "title": title, "method": "post"}
        meta["ga"]["key"] = url
        return Request(url, method="POST", body=body, callback=self.on_results, errback=self.on_error, dont_filter=True,
                       priority=100, meta=meta, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                         "Referer": home["url"]})

    def on_results(self, response):
        p = self.pending
        status = response.status
        if status >= 400:
            self.store("error", f"搜索请求返回 HTTP {status}", http_status=status, **_ids(p))
            return
        try:
            from lxml import html as lhtml

            doc = lhtml.fromstring(response.text)
            links = [(urljoin(response.url, a.get("href") or ""), a.text_content() or "") for a in doc.iter("a")
                     if a.get("href")]
            text = doc.text_content()
        except Exception:  # noqa: BLE001 - not a page: it lists nothing
            links, text = [], ""
        verdict, detail = judge(text, links, p["query"], p["title"], p["target_url"])
        alias = self.aliases.get(p["target_url"])
        if verdict != "ok" and alias:  # the results may link the address the site's pages use
            verdict, detail = judge(text, links, p["query"], p["title"], alias)
        if verdict == "not_found" and "显示" not in detail and p.get("method") == "post":
            # A POST answered with a page that neither lists the article nor says 无结果: a redirect
            # page, a 请稍候 page, a postback. A person looks.
            verdict, detail = "unchecked", "以 POST 方式提交搜索后，结果页未列出该信息，也未提示无结果，未能自动判断"
        if verdict == "not_found" and "显示" not in detail:
            # No "no results" words: a results list filled by script, or a challenge/验证码 page, says
            # nothing about the search — a person looks, no accusation.
            why = _unreadable_results(response, text)
            if why:
                verdict, detail = "unchecked", f"{why}，未能自动判断搜索结果"
        self.store(verdict, detail, http_status=status, **_ids(p))
        return None

    def on_error(self, failure):
        """A failed search: HTTP errors and network failures are errors; a request the crawl's
        own rules refused (robots.txt, the private-address guard, a budget) was never asked, so it
        is 未检查, not an accusation."""
        from .errors import ERROR_LABELS, classify_failure

        p = self.pending
        response = getattr(failure.value, "response", None)
        code = getattr(response, "status", None)
        if code is not None:
            self.store("error", f"搜索请求返回 HTTP {code}", http_status=code, **_ids(p))
            return
        error_class, message = classify_failure(failure)
        label = ERROR_LABELS.get(error_class, error_class)
        if error_class in ("robots", "blocked_private", "not_checked", "out_of_scope"):
            self.store("unchecked", f"搜索请求未发出：{label}", **_ids(p))
            return
        self.store("error", f"搜索请求失败：{label}", **_ids(p))

def _unreadable_results(response, text: str) -> str | None:
    """Why a results page cannot be read as a list, or None."""
    from .pageclass import is_challenge
    from .render import needs_render

    try:
        raw = response.text
    except AttributeError:
        return "搜索结果不是网页"
    if is_challenge(response.status, raw, len(re.sub(r"\s+", "", text or ""))):
        return "搜索结果页为人机验证或防护页面"
    try:
        if needs_render(raw, response.url):
            return "搜索结果由页面脚本加载"
    except Exception:  # noqa: BLE001 - an odd page: judged by its text as before
        return None
    return None


def _ids(p: dict) -> dict:
    return {k: p[k] for k in ("query", "query_url", "target_url")}
