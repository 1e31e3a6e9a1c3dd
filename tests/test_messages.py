"""领导信箱/咨询/投诉 messages: recognition on lists and detail pages, and the judgement."""
from __future__ import annotations

from datetime import date

import lxml.html
import pytest

from govaudit.crawler.messages import (Message, extract_messages, find_channels, is_consultation_channel, judge, merge,
                                       normalise_status)

AS_OF = date(2026, 11, 21)
URL = "http://www.example.gov.cn/hdjl/ldxx/index.html"


def page(body: str):
    return lxml.html.fromstring(f"<html><head><title>领导信箱</title></head><body>{body}</body></html>")


TABLE = """<table><tr><th>序号</th><th>信件标题</th><th>留言时间</th><th>办理状态</th><th>回复时间</th></tr>
<tr><td>1</td><td><a href="d1.html">小区路灯不亮</a></td><td>2026-03-02</td><td>未回复</td><td></td></tr>
<tr><td>2</td><td><a href="d2.html">咨询社保转移</a></td><td>2026-04-10</td><td>已回复</td><td>2026-04-15</td></tr>
<tr><td>3</td><td><a href="d3.html">道路施工噪音</a></td><td>2026-05-01</td><td>办理中</td><td></td></tr></table>"""

ITEMS = """<ul class="list">
<li><a href="x1.html" title="学校门口交通拥堵问题">学校门口交通拥堵...</a><span>[已答复]</span><span>2026-10-01</span></li>
<li><a href="x2.html">农贸市场卫生</a><em>待回复</em><span>留言时间：2026-06-01</span></li>
<li><a href="/zwgk/">政务公开</a></li></ul>"""

DETAIL = """<h1>关于供暖的咨询</h1><table>
<tr><td>留言标题</td><td>关于供暖的咨询</td></tr><tr><td>留 言 时 间</td><td>2026年7月3日</td></tr>
<tr><td>办理状态</td><td>已办结</td></tr><tr><td>回复时间</td><td>2026-07-20</td></tr>
<tr><td>回复内容</td><td>您好，供暖将于11月15日开始。</td></tr></table>"""

DETAIL_EMPTY = """<div class="title">留言标题：路面塌陷</div><p>留言时间：2026-05-06</p><p>回复内容：暂无回复</p>"""


def test_status_words():
    assert [normalise_status(s) for s in ["未回复", "已回复", "办理中", "已办结", "待答复", "不予受理", "", "公开"]] == \
        ["unanswered", "answered", "in_progress", "answered", "unanswered", "invalid", None, None]


def test_table_list():
    rows = extract_messages(page(TABLE), URL, AS_OF, channel="领导信箱")
    assert [(m.title, m.asked, m.status, m.replied, m.url.rsplit("/", 1)[1]) for m in rows] == [
        ("小区路灯不亮", "2026-03-02", "unanswered", None, "d1.html"),
        ("咨询社保转移", "2026-04-10", "answered", "2026-04-15", "d2.html"),
        ("道路施工噪音", "2026-05-01", "in_progress", None, "d3.html")]
    assert all(m.channel == "领导信箱" and m.source == "table" for m in rows)


def test_list_items():
    rows = extract_messages(page(ITEMS), URL, AS_OF)
    assert [(m.title, m.asked, m.status) for m in rows] == [
        ("学校门口交通拥堵问题", "2026-10-01", "answered"), ("农贸市场卫生", "2026-06-01", "unanswered")]


def test_detail_pages():
    d = extract_messages(page(DETAIL), URL, AS_OF)
    assert [(m.title, m.asked, m.status, m.replied, m.reply_present) for m in d] == [
        ("关于供暖的咨询", "2026-07-03", "answered", "2026-07-20", True)]
    e = extract_messages(page(DETAIL_EMPTY), URL, AS_OF)
    assert [(m.title, m.asked, m.status, m.reply_present) for m in e] == [("路面塌陷", "2026-05-06", "unanswered", False)]


def test_ordinary_pages_have_no_messages():
    news = page("<h1>市政府召开常务会议</h1><p>发布时间：2026-11-01</p><p>会议回复了代表关切。</p>"
                "<ul><li><a href='a.html'>通知</a><span>2026-11-01</span></li></ul>")
    assert extract_messages(news, URL, AS_OF) == []


def test_channels():
    assert is_consultation_channel("市长信箱") and is_consultation_channel("咨询投诉")
    for name in ("在线访谈", "调查征集", "网上信访", "纪检举报", "政务公开"):
        assert not is_consultation_channel(name), name


def test_merge_detail_over_list():
    listed = extract_messages(page(TABLE), URL, AS_OF)
    detail = Message("小区路灯不亮", listed[0].url, "2026-03-02", "answered", "已回复", "2026-03-10", True, "detail")
    merged = {m.url: m for m in merge(listed + [detail])}
    assert merged[listed[0].url].status == "answered" and merged[listed[0].url].replied == "2026-03-10"
    assert len(merged) == 3


def test_one_message_shown_in_two_lists_is_one_message():
    """The home block tags and cuts titles ("[咨询] 开办食品小作坊…"); the list shows them whole."""
    u = "http://x/zxzx/t1.html"
    home = Message("[咨询] 开办食品小作坊需要…", u, "2026-05-20", "unanswered", "待回复", None, False, "list")
    listed = Message("开办食品小作坊需要办理哪些手续？", u, "2026-05-20", "unanswered", "待回复", None, False, "table")
    (one,) = merge([home, listed])
    assert one.title == "开办食品小作坊需要办理哪些手续？"
    # Rows with other titles linking one page (a list without detail links) stay apart.
    a = Message("路灯不亮", "http://x/list.html", "2026-05-20", "unanswered", "", None, False, "list")
    b = Message("噪音扰民", "http://x/list.html", "2026-05-21", "unanswered", "", None, False, "list")
    assert len(merge([a, b])) == 2


def msg(asked, status=None, replied=None, present=None, title="m"):
    return Message(title, f"http://x/{title}", asked, status, "", replied, present, "table")


def test_judge_unanswered_window_and_lookalikes():
    ms = [
        msg("2026-03-02", "unanswered", title="old4months"),       # 264 days: counts
        msg("2026-08-23", "unanswered", title="89days"),           # 90 days exactly: not over 3 months
        msg("2026-08-22", "unanswered", title="91days"),           # counts
        msg("2026-05-01", "in_progress", title="banli"),           # 办理中 in the window: not unanswered
        msg("2025-11-20", "unanswered", title="over_a_year"),      # 366 days: ignored
        msg("2026-04-10", "answered", "2026-04-15", True, "ok"),
        msg("2026-04-11", "invalid", title="invalid"),
        msg("2026-04-12", None, None, False, title="empty_reply"),  # detail page with empty reply
        msg("2026-04-13", None, None, None, title="unknown"),       # nothing known: never accused
    ]
    j = judge(ms, AS_OF, channel_found=True)
    assert sorted(m.title for m in j.unanswered) == ["91days", "empty_reply", "old4months"]
    assert j.unknown == 1 and not j.no_channel
    assert j.stale_replies == {"newest_reply": "2026-04-15", "days": 220}


def test_in_progress_for_months_without_a_reply_is_a_question_unless_the_office_counts_it():
    # blind fixture pdfdocs_prov: a 厅长信箱 letter 办理中 for 140 days, 暂无答复
    ms = [msg("2026-07-14", "in_progress", None, False, title="140days"),
          msg("2026-10-01", "in_progress", None, False, title="recent"),
          msg("2026-06-01", "in_progress", "2026-09-01", True, title="replied")]
    j = judge(ms, AS_OF, True)
    assert j.unanswered == [] and [m.title for m in j.long_in_progress] == ["140days"]
    j = judge(ms, AS_OF, True, in_progress_counts=True)
    assert [m.title for m in j.unanswered] == ["140days"] and j.long_in_progress == []


def test_judge_thresholds_configurable():
    ms = [msg("2026-10-01", "unanswered", title="a"), msg("2026-11-01", "answered", "2026-11-10", True, "b")]
    assert judge(ms, AS_OF, True).unanswered == []
    assert [m.title for m in judge(ms, AS_OF, True, unanswered_days=30).unanswered] == ["a"]
    assert judge(ms, AS_OF, True).stale_replies is None
    assert judge(ms, AS_OF, True, stale_reply_days=5).stale_replies == {"newest_reply": "2026-11-10", "days": 11}


def test_no_channel():
    j = judge([], AS_OF, channel_found=False)
    assert j.no_channel and j.unanswered == [] and j.stale_replies is None
    assert not judge([], AS_OF, channel_found=True).no_channel


def test_find_channels():
    doc = page('<a href="/hdjl/ldxx/">市长信箱</a><a href="http://12345.fujian.gov.cn/">12345政务服务便民热线</a>'
               '<a href="/hdjl/zxft/">在线访谈</a><a href="/hdjl/dczj/">调查征集</a><a href="javascript:;">我要咨询</a>'
               '<a href="/news/">新闻中心</a>')
    assert find_channels(doc, URL) == [("市长信箱", "http://www.example.gov.cn/hdjl/ldxx/"),
                                       ("12345政务服务便民热线", "http://12345.fujian.gov.cn/")]


BLOCKS = """<div class="msglist">
<div class="msgbox" id="QL001"><h3><span class="no">编号：QL001</span>灌溉渠堵塞<em>未回复</em></h3>
<table><tr><th>留 言 人：</th><td>杨**</td><th>留言时间：</th><td>2026-07-16 20:05</td></tr>
<tr><th>留言内容：</th><td colspan="3">灌溉渠被堵，请帮忙解决。</td></tr>
<tr><th>回复单位：</th><td></td><th>回复时间：</th><td></td></tr><tr><th>回复内容：</th><td colspan="3"></td></tr></table></div>
<div class="msgbox" id="QL002"><h3><span class="no">编号：QL002</span>垃圾清运不及时<em>已回复</em></h3>
<table><tr><th>留 言 人：</th><td>何**</td><th>留言时间：</th><td>2026-07-03 08:40</td></tr>
<tr><th>留言内容：</th><td colspan="3">垃圾桶满溢。</td></tr>
<tr><th>回复单位：</th><td>村镇建设办公室</td><th>回复时间：</th><td>2026-07-07 16:00</td></tr>
<tr><th>回复内容：</th><td colspan="3">您好！已调整清运频次。回复中提到办理中的另一件事。</td></tr></table></div>
<div class="msgbox" id="QL003"><h3><span class="no">编号：QL003</span>道路破损<em>转交办理中</em></h3>
<table><tr><th>留 言 人：</th><td>唐**</td><th>留言时间：</th><td>2026-09-10</td></tr>
<tr><th>回复时间：</th><td></td></tr><tr><th>回复内容：</th><td></td></tr></table></div></div>"""


def test_messages_shown_whole_on_a_list_page_are_each_a_message():
    """PHPCMS/帝国 留言板: each box has its title and status badge, 留言时间, 回复时间 and 回复内容."""
    rows = extract_messages(page(BLOCKS), URL, AS_OF, channel="镇长信箱")
    got = [(m.title, m.asked, m.status, m.replied, m.reply_present, m.anchor) for m in rows]
    assert got == [("灌溉渠堵塞", "2026-07-16", "unanswered", None, False, "QL001"),
                   ("垃圾清运不及时", "2026-07-03", "answered", "2026-07-07", True, "QL002"),
                   ("道路破损", "2026-09-10", "in_progress", None, False, "QL003")]
    assert len(merge(rows)) == 3  # one URL, three messages
    # one box is a detail page: read as one message, as before
    (one,) = extract_messages(page(BLOCKS.split('<div class="msgbox" id="QL002">')[0] + "</div>"), URL, AS_OF)
    assert one.source == "detail" and one.asked == "2026-07-16"


def test_a_placeholder_in_brackets_is_no_reply():
    from govaudit.crawler.messages import _reply_shown

    assert not _reply_shown("（信件正在办理中，暂无答复）") and not _reply_shown("【暂无回复】") and not _reply_shown("")
    assert _reply_shown("您好！经核实，该路段已列入2026年养护计划，暂无其他安排。")
