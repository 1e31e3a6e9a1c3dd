"""The content checks of issue 12 over hand-built stores (no network): privacy_leak, hidden_link,
wrong_expression, unanswered_message, stale_replies, no_message_channel.

Facts are written in the shape crawler/content.py stores (``facts["content"]``) and the
``attachments`` table, so each check's verdicts — and the look-alikes it must not flag — are
tested apart from the crawl."""
from __future__ import annotations

import json

import pytest

from govaudit import store
from govaudit.checks import Crawl, registry, run_checks as _run_checks
from govaudit.config import defaults

SITE = "http://www.qx.gov.cn"
HOME = SITE + "/"
NAV = ["首页", "政务公开", "政策文件", "政策解读", "机构职能", "领导信息", "通知公告", "工作动态", "办事服务", "网站地图",
       "无障碍", "联系我们", "概况信息", "人事信息", "规划计划", "统计信息"]


class Site:
    """A stored run built by hand: pages with content facts, links, attachment rows."""

    def __init__(self, tmp_path, as_of="2026-11-21", status="complete", stats=None, config=None):
        self.db = store.open_db(tmp_path / "g.sqlite")
        self.run_id = self.db["runs"].insert({"site": "青溪县", "start_url": HOME, "as_of": as_of, "status": status,
                                              "stats": json.dumps(stats or {"finish_reason": "finished", "pages": 10})}).last_pk
        self.config = {**defaults(), **(config or {})}

    def page(self, url, content=None, title="页面", pub_date=None, is_home=False, meta=None, breadcrumb=None, kind="detail",
             links=()):
        facts = {"kind": kind, "pub_date": pub_date, "breadcrumb": breadcrumb or [], "text_len": 2000}
        if content is not None:
            facts["content"] = content
        self.db["pages"].insert({"run_id": self.run_id, "url": url, "final_url": url, "title": title, "depth": 1,
                                 "is_home": int(is_home), "kind": kind, "meta": json.dumps(meta or {}, ensure_ascii=False),
                                 "facts": json.dumps(facts, ensure_ascii=False)})
        self.db["links"].insert_all([{"run_id": self.run_id, "source": url, "target": t, "anchor": a, "tag": "a",
                                      "attr": "href", "source_is_home": int(is_home)} for t, a in links]) if links else None
        return self

    def home(self, content=None, **kw):
        links = kw.pop("links", None) or [(f"{SITE}/c{i}/", a) for i, a in enumerate(NAV)]
        return self.page(HOME, content if content is not None else {}, title="青溪县人民政府", is_home=True, kind="home",
                         links=links, **kw)

    def attachment(self, url, status="ok", privacy=(), context="", kind="xlsx", reason="", anchor=""):
        self.db["attachments"].insert({"run_id": self.run_id, "url": url, "final_url": url, "status": status, "kind": kind,
                                       "reason": reason, "size": 1000, "pages": None, "truncated": 0, "anchor": anchor or context, "context": context,
                                       "privacy": json.dumps(list(privacy), ensure_ascii=False)})
        return self

    def findings(self, check):
        crawl = Crawl(self.db, self.run_id, self.config)
        return [f.as_dict() for f in _run_checks(crawl, [check])]


IDS = {"kind": "id18", "label": "居民身份证号码", "count": 6, "samples": ["3301**********0019", "3301**********0028"],
       "where": ["页面表格1“身份证号码”列"]}
MOBILES = {"kind": "mobile", "label": "手机号码", "count": 6, "samples": ["139****0238"], "where": ["页面表格1“联系电话”列"]}


# ---------------------------------------------------------------------------------------------- registry

@pytest.mark.parametrize("check_id, veto", [("privacy_leak", False), ("hidden_link", False), ("wrong_expression", True),
                                            ("unanswered_message", True), ("stale_replies", False),
                                            ("no_message_channel", True)])
def test_registered_with_chinese_wording(check_id, veto):
    spec = registry()[check_id]
    assert spec.veto is veto and spec.title and spec.hint
    assert all("\u4e00" <= ch <= "\u9fff" for ch in spec.title[:2])


# ---------------------------------------------------------------------------------------------- privacy_leak

def test_privacy_page_and_attachment(tmp_path):
    page = f"{SITE}/art/1.html"
    att = f"{SITE}/attach/1.xlsx"
    s = Site(tmp_path).home().page(page, {"privacy": [IDS, MOBILES]}, title="关于低保新增对象的公示",
                                    links=[(att, "新增低保对象名单.xlsx")])
    s.attachment(att, privacy=[IDS, MOBILES], context="新增低保对象名单.xlsx 关于低保新增对象的公示",
                 anchor="新增低保对象名单.xlsx")
    got = {f["url"]: f for f in s.findings("privacy_leak")}
    assert set(got) == {page, att}
    assert got[page]["found_on"] == [page] and got[att]["found_on"] == [page]
    assert {f["severity"] for f in got.values()} == {"high"}
    assert [k["count"] for k in got[att]["data"]["kinds"]] == [6, 6]
    assert "国办发〔2018〕23号" in got[page]["detail"] and "3301**********0019" in got[page]["detail"]
    spec = registry()["privacy_leak"]
    assert spec.where(got[att]).startswith("附件“新增低保对象名单.xlsx”")
    assert "《关于低保新增对象的公示》" in spec.where(got[page])
    assert spec.summary(list(got.values())).startswith("有 2 处页面或附件")


def test_privacy_unreadable_list_is_a_prompt_only_when_it_is_a_list(tmp_path):
    listed = f"{SITE}/attach/scan.pdf"
    report = f"{SITE}/attach/report.pdf"
    s = Site(tmp_path).home()
    s.attachment(listed, status="no_text", kind="pdf", context="2026年困难群众救助名单.pdf", reason="PDF 无可提取的文字")
    s.attachment(report, status="no_text", kind="pdf", context="2025年政府工作报告.pdf")
    s.attachment(f"{SITE}/attach/ok.xlsx", status="ok", context="低保名单.xlsx")  # read, nothing found
    got = s.findings("privacy_leak")
    assert [(f["url"], f["severity"]) for f in got] == [(listed, "info")]
    assert "需人工核实" in got[0]["detail"]


def test_privacy_old_crawl_without_content_facts(tmp_path):
    s = Site(tmp_path)
    s.db["pages"].insert({"run_id": s.run_id, "url": HOME, "final_url": HOME, "title": "x", "depth": 0, "is_home": 1,
                          "kind": "home", "meta": "{}", "facts": json.dumps({"kind": "home"})})
    for check in ("privacy_leak", "hidden_link", "wrong_expression", "unanswered_message", "stale_replies", "no_message_channel"):
        assert s.findings(check) == [], check


# ---------------------------------------------------------------------------------------------- hidden_link

def _hidden(url, anchor, words=(), technique="display:none", via="行内样式"):
    return {"url": url, "anchor": anchor, "technique": technique, "via": via, "words": list(words),
            "severity": "veto" if words else "high"}


def test_hidden_links_grouped_by_target(tmp_path):
    ylc = "http://ylc.example.com/"
    seo = "http://seo.example.net/a.html"
    a1, a2 = f"{SITE}/art/1.html", f"{SITE}/art/2.html"
    s = Site(tmp_path).home({"hidden": [_hidden(ylc, "澳门娱乐城", ["澳门娱乐", "娱乐城"])]})
    s.page(a1, {"hidden": [_hidden(seo, "县域经济信息网", technique="left:-9999px（移出可视区域）")]})
    s.page(a2, {"hidden": [_hidden(seo, "县域经济信息网", technique="left:-9999px（移出可视区域）")]})
    got = {f["url"]: f for f in s.findings("hidden_link")}
    assert set(got) == {ylc, seo}
    assert got[ylc]["severity"] == "veto" and got[ylc]["found_on"] == [HOME]
    assert got[seo]["severity"] == "high" and got[seo]["found_on"] == [a1, a2]
    assert "单项否决" in got[ylc]["detail"] and "澳门娱乐" in got[ylc]["detail"]
    assert "等" not in registry()["hidden_link"].where(got[seo]) and a2 in registry()["hidden_link"].where(got[seo])


def test_vendor_credit_link_is_not_a_hidden_link(tmp_path):
    """大汉 pages hide <a href="http://www.hanweb.com" style="display:none">Produced By 大汉网络</a>: a CMS credit."""
    s = Site(tmp_path).home({"hidden": [_hidden("http://www.hanweb.com", "Produced By 大汉网络")]})
    s.page(f"{SITE}/art/1.html", {"hidden": [_hidden("http://www.hanweb.com", "Produced By 大汉网络")]})
    (f,) = s.findings("hidden_link")
    assert f["severity"] == "info" and "不属于暗链" in f["detail"] and len(f["found_on"]) == 2


def test_vendor_host_with_a_gambling_word_stays_veto(tmp_path):
    s = Site(tmp_path).home({"hidden": [_hidden("http://x.hanweb.com/cp", "彩票", ["彩票"])]})
    assert [f["severity"] for f in s.findings("hidden_link")] == ["veto"]


# ---------------------------------------------------------------------------------------------- wrong_expression

def _hit(wrong, right, sentence, kind="institution", in_title=False, since="2019-03-31", link=None):
    h = {"kind": kind, "wrong": wrong, "suggestion": right, "sentence": sentence, "in_title": in_title, "offset": 0,
         "reform": "2018年机构改革" if kind == "institution" else "", "since": since if kind == "institution" else None,
         "undated": kind == "institution"}
    if link:
        h["link"] = link
    return h


def test_wrong_expression_by_publication_date(tmp_path):
    new, old, undated = f"{SITE}/art/2026/1.html", f"{SITE}/art/2017/1.html", f"{SITE}/col/1/"
    s = Site(tmp_path).home()
    s.page(new, {"wording": [_hit("国土资源局", "自然资源局", "县国土资源局会同有关部门开展检查。")]}, pub_date="2026-11-05")
    s.page(old, {"wording": [_hit("国土资源局", "自然资源局", "县国土资源局召开会议。")]}, pub_date="2017-06-15")
    s.page(undated, {"wording": [_hit("卫计委", "卫健委", "县卫计委开展义诊。")]}, kind="list")
    got = {f["url"]: f for f in s.findings("wrong_expression")}
    assert set(got) == {new, undated}
    assert got[new]["severity"] == "veto" and got[undated]["severity"] == "info"
    assert "需人工核实" in got[undated]["detail"] and "严重表述错误" in got[new]["detail"]
    d = got[new]["data"]
    assert (d["wrong"], d["suggestion"], d["in_title"]) == ("国土资源局", "自然资源局", False)
    assert "国土资源局" in d["sentence"]


def test_wrong_phrase_in_title_once_per_page(tmp_path):
    page = f"{SITE}/art/2.html"
    title = "《中华人民共合国民法典》宣传月活动启动"
    s = Site(tmp_path).home().page(page, {"wording": [
        _hit("中华人民共合国", "中华人民共和国", "学习《中华人民共合国民法典》。", kind="phrase"),
        _hit("中华人民共合国", "中华人民共和国", title, kind="phrase", in_title=True)]}, title=title)
    (f,) = s.findings("wrong_expression")
    assert f["severity"] == "veto" and f["data"]["in_title"] is True and f["data"]["count"] == 2
    assert "标题中" in f["detail"]
    assert registry()["wrong_expression"].short(f) == "“中华人民共合国”（应为“中华人民共和国”）"


def test_list_link_text_is_judged_on_the_article(tmp_path):
    article, listing = f"{SITE}/art/3.html", f"{SITE}/col/3/"
    s = Site(tmp_path).home()
    s.page(article, {"wording": [_hit("中国特色社会主意", "中国特色社会主义", "坚持中国特色社会主意道路", kind="phrase",
                                      in_title=True)]})
    s.page(listing, {"wording": [_hit("中国特色社会主意", "中国特色社会主义", "坚持中国特色社会主意道路 2026-11-13",
                                      kind="phrase", link=article)]}, kind="list")
    s.page(f"{SITE}/col/4/", {"wording": [_hit("秸杆", "秸秆", "秸杆禁烧", kind="phrase", link=f"{SITE}/gone.html")]})
    got = sorted(f["url"] for f in s.findings("wrong_expression"))
    assert got == [article, f"{SITE}/col/4/"]  # a link to a page not crawled stays on the list


def test_template_sentence_is_one_finding(tmp_path):
    s = Site(tmp_path).home({"wording": [_hit("环保局", "生态环境局", "主办：青溪县环保局")]}, pub_date="2026-11-01")
    for i in range(4):
        s.page(f"{SITE}/art/{i}.html", {"wording": [_hit("环保局", "生态环境局", "主办：青溪县环保局")]}, pub_date="2026-10-01")
    (f,) = s.findings("wrong_expression")
    assert f["url"] == HOME and len(f["found_on"]) == 5 and "等 5 个页面" in f["detail"]


# ---------------------------------------------------------------------------------------------- messages

MAILBOX = f"{SITE}/col/col1260/index.html"


def _msg(n, asked, status, replied=None, source="table", present=None):
    st = {"未回复": "unanswered", "已回复": "answered", "办理中": "in_progress", "不予受理": "invalid"}[status]
    return {"title": f"留言{n}", "url": f"{SITE}/jact/detail.do?id={n}", "asked": asked, "status": st, "status_text": status,
            "replied": replied, "reply_present": present if present is not None else (True if replied else (False if st == "unanswered" else None)),
            "source": source, "channel": ""}


def mailbox_site(tmp_path, rows, **kw):
    s = Site(tmp_path, **kw).home({"channels": [["县长信箱", MAILBOX]]})
    s.page(MAILBOX, {"messages": rows}, title="县长信箱", meta={"ColumnName": "县长信箱"}, kind="list")
    return s


def test_unanswered_message_window(tmp_path):
    rows = [_msg(1, "2026-11-18", "未回复"), _msg(2, "2026-11-05", "已回复", "2026-11-10"),
            _msg(3, "2026-09-30", "未回复"), _msg(4, "2026-06-10", "未回复"), _msg(5, "2026-05-01", "办理中"),
            _msg(6, "2025-08-01", "未回复"), _msg(7, "2026-04-01", "不予受理")]
    s = mailbox_site(tmp_path, rows)
    found = s.findings("unanswered_message")
    (f,) = [x for x in found if x["severity"] != "info"]
    assert f["url"] == f"{SITE}/jact/detail.do?id=4" and f["found_on"] == [MAILBOX] and f["severity"] == "veto"
    # 办理中 for seven months without a reply: a question, not the veto
    (q,) = [x for x in found if x["severity"] == "info"]
    assert q["url"] == f"{SITE}/jact/detail.do?id=5" and "需人工核实" in q["detail"]
    assert f["data"]["age_days"] == 164 and "超过3个月未回应" in f["detail"]
    assert s.findings("stale_replies") == [] and s.findings("no_message_channel") == []


def test_detail_page_reply_wins_over_the_list(tmp_path):
    s = mailbox_site(tmp_path, [_msg(4, "2026-06-10", "未回复")])
    detail = _msg(4, "2026-06-10", "已回复", "2026-06-20", source="detail")
    s.page(f"{SITE}/jact/detail.do?id=4", {"messages": [detail]}, title="路灯不亮 - 县长信箱")
    assert s.findings("unanswered_message") == []


def test_messages_outside_consultation_channels_do_not_count(tmp_path):
    s = Site(tmp_path).home({"channels": [["县长信箱", MAILBOX]]})
    s.page(f"{SITE}/col/zj/", {"messages": [_msg(9, "2026-03-01", "未回复")]}, title="调查征集", meta={"ColumnName": "调查征集"})
    assert s.findings("unanswered_message") == []


def test_stale_replies(tmp_path):
    s = mailbox_site(tmp_path, [_msg(1, "2026-08-01", "已回复", "2026-08-20"), _msg(2, "2026-11-10", "办理中")])
    (f,) = s.findings("stale_replies")
    assert f["severity"] == "medium" and f["url"] == MAILBOX and f["data"]["newest_reply"] == "2026-08-20"
    assert f["data"]["days"] == 93 and "2个月" in f["detail"]


def test_no_message_channel_after_a_complete_crawl(tmp_path):
    s = Site(tmp_path).home({})
    (f,) = s.findings("no_message_channel")
    assert f["severity"] == "veto" and f["url"] == HOME and "未提供网上有效咨询建言渠道" in f["detail"]


@pytest.mark.parametrize("kw", [{"stats": {"finish_reason": "shutdown", "pages": 10}}, {"status": "interrupted"},
                                {"stats": {"finish_reason": "finished", "pages": 20010}},
                                {"stats": {"finish_reason": "finished", "pages": 10, "budgets": {"list_pages": 2}}}])
def test_no_message_channel_after_an_incomplete_crawl_is_a_prompt(tmp_path, kw):
    s = Site(tmp_path, **kw).home({})
    (f,) = s.findings("no_message_channel")
    assert f["severity"] == "info" and "需人工核实" in f["detail"]


def test_script_navigation_is_only_a_prompt(tmp_path):
    s = Site(tmp_path).home({}, links=[(f"{SITE}/a/", "首页")])
    assert [f["severity"] for f in s.findings("no_message_channel")] == ["info"]


def test_a_channel_link_or_a_channel_page_is_a_channel(tmp_path):
    s = Site(tmp_path).home({"channels": [["12345政务服务热线", "https://12345.zj.gov.cn/"]]})
    assert s.findings("no_message_channel") == []
    (tmp_path / "b").mkdir()
    s = Site(tmp_path / "b").home({})
    s.page(MAILBOX, {}, title="县长信箱", meta={"ColumnName": "县长信箱"}, kind="list")
    s.page(f"{SITE}/jact/x.do", {"messages": [_msg(1, "2026-11-01", "已回复", "2026-11-02")]}, title="来信 - 县长信箱")
    assert s.findings("no_message_channel") == []


def test_an_interaction_entry_without_a_recognised_channel_is_a_prompt(tmp_path):
    s = Site(tmp_path).home({}, links=[(f"{SITE}/c{i}/", a) for i, a in enumerate(NAV + ["互动交流"])])
    (f,) = s.findings("no_message_channel")
    assert f["severity"] == "info" and "互动交流" in f["detail"]


def test_a_descriptive_link_text_decides_whether_an_unread_file_is_a_list(tmp_path):
    page_title = "关于困难群众救助对象的公示"
    s = Site(tmp_path).home()
    s.attachment(f"{SITE}/a/1.pdf", status="no_text", kind="pdf", anchor="2025年统计年报.pdf", context="2025年统计年报.pdf " + page_title)
    s.attachment(f"{SITE}/a/2.pdf", status="no_text", kind="pdf", anchor="附件1.pdf", context="附件1.pdf " + page_title)
    assert [f["url"] for f in s.findings("privacy_leak")] == [f"{SITE}/a/2.pdf"]


def test_template_sentence_on_dated_and_undated_pages_is_one_veto(tmp_path):
    s = Site(tmp_path).home({"wording": [_hit("环保局", "生态环境局", "主办：青溪县环保局")]})
    for i in range(3):
        s.page(f"{SITE}/col/{i}/", {"wording": [_hit("环保局", "生态环境局", "主办：青溪县环保局")]}, kind="list")
    s.page(f"{SITE}/art/9.html", {"wording": [_hit("环保局", "生态环境局", "主办：青溪县环保局")]}, pub_date="2026-10-01")
    (f,) = s.findings("wrong_expression")
    assert f["url"] == HOME and f["severity"] == "veto" and len(f["found_on"]) == 5


def test_a_failing_external_host_does_not_make_the_crawl_incomplete(tmp_path):
    s = Site(tmp_path, stats={"finish_reason": "finished", "pages": 10, "budgets": {"host_failures": 1},
                              "truncated": "本次检查触及工作量上限：部分主机多次访问失败"}).home({})
    assert [f["severity"] for f in s.findings("no_message_channel")] == ["veto"]
