"""搜索功能 (search_broken): the crawl submits the home page's search form once, as the GET the form
defines, with a recent article title, and the check reads what came back.

Tiny loopback sites served by a real HTTP server (a home page, a list, two dated articles and a
/search endpoint that, like a real jsearchfront, needs the form's hidden siteid), audited by the
real CLI; plus the check over hand-built run stats."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from govaudit import store
from govaudit.checks import Crawl, run_checks
from govaudit.config import defaults
from govaudit.crawler.search_probe import form_url, judge, query_of

from portal import run_cli, write_config

SITE_ID = "3609000002"
NEW_TITLE = "县政府召开第十八次常务会议"
OLD_TITLE = "关于做好冬季安全生产工作的通知"

GET_FORM = (f'<form id="search" action="/search" method="get"><input type="hidden" name="siteid" value="{SITE_ID}">'
            '<input type="text" name="q" placeholder="请输入关键字"><input type="submit" value="搜索"></form>')
POST_FORM = GET_FORM.replace('method="get"', 'method="post"')


def page(title: str, body: str, charset: str = "utf-8") -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head>'
            f'<body>{body}<div class="footer">临川市人民政府办公室 主办</div></body></html>').encode(charset)


def article(title: str, day: str) -> str:
    return (f'<div class="crumb">首页 &gt; 要闻动态</div><h1 class="title">{title}</h1>'
            f'<div class="info">发布时间：{day} 来源：县政府办公室</div>'
            f'<div class="content"><p>{title}。' + "会议强调，要坚持稳中求进工作总基调，扎实做好各项工作。" * 8 + '</p></div>')


def site(form: str, charset: str = "utf-8") -> dict[str, bytes]:
    rows = "".join(f'<li><a href="{u}">{t}</a><span>{d}</span></li>' for u, t, d in (
        ("/art/2026/11/19/art_1_2.html", NEW_TITLE, "2026-11-19"), ("/art/2026/10/08/art_1_1.html", OLD_TITLE, "2026-10-08")))
    home = (f'<div class="top">{form}</div><div class="nav"><a href="/col/col1/index.html">要闻动态</a></div>'
            f'<div class="news"><h2>要闻动态</h2><ul>{rows}</ul></div>' + "<p>欢迎访问临川市人民政府门户网站。</p>" * 10)
    return {
        "/": page("临川市人民政府", home, charset),
        "/col/col1/index.html": page("要闻动态", f'<div class="list"><ul>{rows}</ul></div>', charset),
        "/art/2026/11/19/art_1_2.html": page(f"{NEW_TITLE}_临川市人民政府", article(NEW_TITLE, "2026-11-19"), charset),
        "/art/2026/10/08/art_1_1.html": page(f"{OLD_TITLE}_临川市人民政府", article(OLD_TITLE, "2026-10-08"), charset),
    }


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, pages: dict[str, bytes], search: str = "works", charset: str = "utf-8"):
        super().__init__(("127.0.0.1", 0), Handler)
        self.pages, self.search, self.charset, self.searches, self.posted = pages, search, charset, [], []
        self.base_url = f"http://127.0.0.1:{self.server_port}"
        threading.Thread(target=self.serve_forever, daemon=True).start()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):  # quiet
        pass

    def do_HEAD(self):
        self.respond(head=True)

    def do_GET(self):
        self.respond(head=False)

    def do_POST(self):
        srv: Site = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode(srv.charset)
        if urlsplit(self.path).path != "/search":
            return self.send(404, page("404", "<p>页面不存在</p>", srv.charset), False)
        srv.posted.append(body)
        if srv.search == "interim":  # a page between the form and the results (请稍候…)
            return self.send(200, page("站内搜索", "<p>正在跳转，请稍候……</p>", srv.charset), False)
        q = (parse_qs(body).get("q") or [""])[0]
        items = "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in (("/art/2026/11/19/art_1_2.html", NEW_TITLE),) if q and q in t)
        self.send(200, page("站内搜索", f"<ul>{items or '<p>暂无结果</p>'}</ul>", srv.charset), False)

    def send(self, code: int, body: bytes, head: bool) -> None:
        self.send_response(code)
        self.send_header("Content-Type", f"text/html; charset={self.server.charset}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def respond(self, head: bool) -> None:
        srv: Site = self.server
        parts = urlsplit(self.path)
        if parts.path == "/robots.txt" and srv.search == "robots":
            return self.send(200, b"User-agent: *\nDisallow: /search\n", head)
        if parts.path == "/search":
            srv.searches.append(self.path)
            if srv.search == "script":  # an empty list the page's script fills from a JSON endpoint
                shell = ('<div id="results"></div><script>$.ajax({url: "/search/api", data: location.search,'
                         ' success: function (d) { $("#results").html(d.html); }});</script>')
                return self.send(200, page("站内搜索", shell, srv.charset), head)
            if srv.search == "broken":
                return self.send(500, page("500", "<p>服务器错误</p>", srv.charset), head)
            query = parse_qs(parts.query, encoding=srv.charset)
            q = (query.get("q") or [""])[0]
            rows = []
            if srv.search == "works" and (query.get("siteid") or [""])[0] == SITE_ID and q:
                rows = [(u, t) for u, t in (("/art/2026/11/19/art_1_2.html", NEW_TITLE), ("/art/2026/10/08/art_1_1.html", OLD_TITLE))
                        if q in t]
            items = "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in rows) or "<p>暂无结果</p>"
            return self.send(200, page("站内搜索", f"<p>搜索词：{q}</p><ul>{items}</ul>", srv.charset), head)
        body = srv.pages.get(parts.path)
        if body is None:
            return self.send(404, page("404", "<p>页面不存在</p>", srv.charset), head)
        self.send(200, body, head)


def audit(tmp_path, srv: Site, crawl: dict | None = None) -> list[dict]:
    cfg = write_config(tmp_path / "config.yaml", crawl)
    out = tmp_path / "out"
    proc = run_cli("audit", srv.base_url + "/", "--as-of", "2026-11-21", "--out", str(out), "--config", str(cfg))
    srv.shutdown()
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    findings = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    return [f for f in findings if f["check"] == "search_broken"]


# ------------------------------------------------------------------------------------- real crawls

def test_a_working_get_search_with_hidden_siteid_raises_nothing(tmp_path):
    srv = Site(site(GET_FORM))
    assert audit(tmp_path, srv) == []
    sent = [parse_qs(urlsplit(p).query) for p in srv.searches]
    assert len(sent) == 1, srv.searches
    assert sent[0] == {"siteid": [SITE_ID], "q": [NEW_TITLE]}  # the newest article, with the hidden field


def test_a_gbk_site_is_searched_in_gbk(tmp_path):
    srv = Site(site(GET_FORM, "gbk"), charset="gbk")
    assert audit(tmp_path, srv) == []
    assert "%CF%D8" in srv.searches[0]  # 县 in GBK, as a browser on the page sends it


def test_a_search_that_finds_nothing_is_medium(tmp_path):
    srv = Site(site(GET_FORM), search="empty")
    got = audit(tmp_path, srv)
    assert len(got) == 1, got
    f = got[0]
    assert f["severity"] == "medium" and "站内搜索搜不到本站已发布的信息" in f["detail"]
    assert f["data"]["status"] == "not_found" and f["data"]["query"] == NEW_TITLE and f["data"]["http_status"] == 200
    assert f["data"]["query_url"].startswith(srv.base_url + "/search?siteid=") and f["data"]["query_url"] in f["detail"]
    assert "暂无结果" in f["detail"]
    assert f["url"] == srv.base_url + "/" and f["found_on"] == [srv.base_url + "/"]


def test_a_home_page_without_search_is_medium(tmp_path):
    srv = Site(site(""))
    got = audit(tmp_path, srv)
    assert [(f["severity"], f["data"]["status"]) for f in got] == [("medium", "no_form")]
    assert got[0]["detail"].startswith("首页未提供站内搜索")
    assert srv.searches == []


def test_a_working_post_search_is_submitted_as_a_browser_does(tmp_path):
    srv = Site(site(POST_FORM.replace('<input type="submit" value="搜索">', '<input type="submit" name="Submit" value="搜索">')))
    assert audit(tmp_path, srv) == []
    assert [parse_qs(b) for b in srv.posted] == [{"siteid": [SITE_ID], "q": [NEW_TITLE], "Submit": ["搜索"]}]


def test_a_post_search_whose_endpoint_is_missing_is_medium(tmp_path):
    # blind fixture empire_county: 帝国CMS's /e/search/index.php posted to, and not there
    srv = Site(site(POST_FORM.replace('action="/search"', 'action="/e/search/index.php"')))
    (f,) = audit(tmp_path, srv)
    assert (f["severity"], f["data"]["status"], f["data"]["http_status"]) == ("medium", "error", 404)
    assert f["data"]["query_url"] == srv.base_url + "/e/search/index.php"


def test_a_post_search_answered_by_a_page_without_the_article_is_left_to_a_person(tmp_path):
    srv = Site(site(POST_FORM), search="interim")
    got = audit(tmp_path, srv)
    assert [(f["severity"], f["data"]["status"]) for f in got] == [("info", "unchecked")], got
    assert "需人工核实" in got[0]["detail"] and len(srv.posted) == 1


def test_an_aspnet_page_form_is_not_posted_back(tmp_path):
    form = ('<form name="aspnetForm" method="post" action="/Default.aspx"><input type="hidden" name="__VIEWSTATE" value="x">'
            '<input type="text" name="ctl00$txtKey" placeholder="搜索"><input type="submit" name="ctl00$btnSearch" value="搜索"></form>')
    srv = Site(site(form))
    got = audit(tmp_path, srv)
    assert [(f["severity"], f["data"]["status"]) for f in got] == [("info", "unchecked")] and srv.posted == []


def test_a_search_that_fails_is_medium_with_its_status(tmp_path):
    srv = Site(site(GET_FORM), search="broken")
    (f,) = audit(tmp_path, srv)
    assert f["severity"] == "medium" and f["data"]["status"] == "error" and f["data"]["http_status"] == 500
    assert "HTTP 500" in f["detail"]


def test_a_results_list_filled_by_script_is_left_to_a_person(tmp_path):
    """A results page that is an empty shell its script fills says nothing about the search."""
    srv = Site(site(GET_FORM), search="script")
    got = audit(tmp_path, srv, {"render": False})
    assert [(f["severity"], f["data"]["status"]) for f in got] == [("info", "unchecked")], got
    assert "搜索结果由页面脚本加载" in got[0]["detail"] and "需人工核实" in got[0]["detail"]


def test_a_search_robots_txt_forbids_is_not_submitted(tmp_path):
    srv = Site(site(GET_FORM), search="robots")
    got = audit(tmp_path, srv)
    assert [(f["severity"], f["data"]["status"]) for f in got] == [("info", "unchecked")], got
    assert srv.searches == [] and "robots" in got[0]["detail"]


def test_search_false_in_the_config_tries_nothing_and_says_nothing(tmp_path):
    srv = Site(site(""))
    assert audit(tmp_path, srv, {"search": False}) == [] and srv.searches == []


# -------------------------------------------------------------------------------- the probe's parts

def test_form_url_keeps_hidden_fields_and_the_page_charset():
    form = {"action": "http://x.gov.cn/jsearch/search.do?old=1", "method": "get", "query": "q",
            "hidden": {"siteid": "1", "tpl": "a b"}}
    assert form_url(form, "县政府", "utf-8") == \
        "http://x.gov.cn/jsearch/search.do?siteid=1&tpl=a+b&q=%E5%8E%BF%E6%94%BF%E5%BA%9C"
    assert form_url(form, "县政府", "gb2312").endswith("q=%CF%D8%D5%FE%B8%AE")
    assert query_of("我县举行2026年度重点项目集中开工仪式") == "我县举行2026年度重点项目集"


def test_judge_does_not_count_the_echoed_query():
    target = "http://x.gov.cn/art/1.html"
    assert judge("搜索词：县政府召开 暂无结果", [], "县政府召开", "县政府召开会议", target)[0] == "not_found"
    assert judge("", [("http://x.gov.cn/art/1.html", "会议")], "县政府召开", "县政府召开会议", target)[0] == "ok"
    assert judge("", [("http://x.gov.cn/art/9.html", "县政府召开会议")], "县政府召开", "县政府召开会议", target)[0] == "ok"


# ------------------------------------------------------------------------------------ the check alone

HOME = "http://www.example.gov.cn/"


def crawl_with(tmp_path, search: dict | None) -> Crawl:
    db = store.open_db(tmp_path / "s.sqlite")
    stats = {"fetched": 3, **({"search": search} if search is not None else {})}
    run_id = db["runs"].insert({"site": "临川市", "start_url": HOME, "as_of": "2026-11-21", "status": "complete",
                                "stats": json.dumps(stats, ensure_ascii=False)}).last_pk
    return Crawl(db, run_id, defaults())


def check(tmp_path, search):
    return [f.as_dict() for f in run_checks(crawl_with(tmp_path, search), ["search_broken"])]


RESULT = {"query": NEW_TITLE, "query_url": HOME + "search?q=x", "target_url": HOME + "art/1.html", "http_status": 200}


@pytest.mark.parametrize("status,severity", [("ok", None), ("no_form", "medium"), ("not_found", "medium"),
                                             ("error", "medium"), ("unchecked", "info")])
def test_the_check_over_stored_stats(tmp_path, status, severity):
    got = check(tmp_path, {**RESULT, "status": status, "detail": "说明"})
    assert [f["severity"] for f in got] == ([severity] if severity else [])
    for f in got:
        assert f["url"] == HOME and f["found_on"] == [HOME] and f["data"]["status"] == status


def test_an_error_names_the_query_url_and_status(tmp_path):
    (f,) = check(tmp_path, {**RESULT, "status": "error", "http_status": 500, "detail": "搜索请求返回 HTTP 500"})
    assert RESULT["query_url"] in f["detail"] and "HTTP 500" in f["detail"] and NEW_TITLE in f["detail"]


def test_a_run_without_search_stats_says_nothing(tmp_path):
    assert check(tmp_path, None) == []
