"""暗链: hidden links to external hosts, and the hidden things that are not 暗链."""
from __future__ import annotations

import lxml.html
import pytest

from govaudit.crawler.hidden_links import find_hidden_links, load_words

BASE = "http://www.example.gov.cn/index.html"


def links(body: str, head: str = "", **kw):
    doc = lxml.html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    return find_hidden_links(doc, BASE, ["www.example.gov.cn"], **kw)


@pytest.mark.parametrize("body,head,technique", [
    ('<div style="display:none"><a href="http://www.am-yule.com/">澳门娱乐城</a></div>', "", "display:none"),
    ('<div style="DISPLAY: NONE !important"><a href="http://spam.example.com/">澳门娱乐城</a></div>', "", "display:none"),
    ('<p style="visibility:hidden"><a href="http://x.example.com/">彩票</a></p>', "", "visibility:hidden"),
    ('<div style="position:absolute;left:-9999px;top:0"><a href="http://x.example.com/">棋牌</a></div>', "", "left:-9999px（移出可视区域）"),
    ('<div style="text-indent:-9999px"><a href="http://x.example.com/">博彩</a></div>', "", "text-indent:-9999px（移出可视区域）"),
    ('<span style="font-size:0"><a href="http://x.example.com/">真人百家乐</a></span>', "", "font-size:0"),
    ('<div style="width:0;height:0;overflow:hidden"><a href="http://x.example.com/">时时彩</a></div>', "", "width:0（零尺寸）"),
    ('<div class="yq"><a href="http://x.example.com/">六合彩</a></div>', "<style>.yq{display:none}</style>", "display:none"),
    ('<div id="ft"><a href="http://x.example.com/">赌场</a></div>', "<style>/* c */ #ft { position:fixed; top:-1000px }</style>", "top:-1000px（移出可视区域）"),
    ('<p class="a b"><a href="http://x.example.com/">葡京</a></p>', "<style>p.b{visibility:hidden}</style>", "visibility:hidden"),
    ('<div hidden><a href="http://x.example.com/">太阳城</a></div>', "", "hidden 属性"),
])
def test_hidden_with_words_is_veto(body, head, technique):
    out = links(body, head)
    assert len(out) == 1
    assert out[0].severity == "veto" and out[0].technique == technique and out[0].words


def test_hidden_without_words_is_high_and_via_named():
    out = links('<div class="x"><a href="http://shop.example.com/p?id=1">好物推荐</a></div>',
                "<style>div.x{display:none}</style>")
    assert [(o.url, o.severity, o.via) for o in out] == [("http://shop.example.com/p?id=1", "high", "页面样式 div.x")]


def test_colour_equal_to_background():
    out = links('<div style="background:#FFF"><a href="http://x.example.com/" style="color:white">casino</a></div>')
    assert len(out) == 1 and out[0].technique.startswith("文字颜色与背景相同")
    assert links('<div style="background:#fff"><a href="http://x.example.com/" style="color:#333">新华网</a></div>') == []


def test_word_in_url_only_and_ascii_tokens():
    out = links('<div style="display:none"><a href="http://www.bet365-cn.com/">点击</a></div>')
    assert out[0].words == ["bet365"] and out[0].severity == "veto"
    w = load_words()
    assert w.matches("http://alphabet.example.com/slotsmachine") == ["slots"]
    assert w.matches("http://www.example.com/aslots") == []


def test_sports_betting_and_lottery_streams_are_veto():
    # blind fixture jeecms_city: two gambling links in a display:none block after the home page's main area
    body = ('<div style="display:none"><a href="http://www.hg8868-yule.example/">皇冠体育在线投注</a>'
            '<a href="http://pk10.jscp-kaijiang.example/">北京赛车PK10开奖直播</a></div>')
    assert [(o.severity, o.words[:1]) for o in links(body)] == [("veto", ["在线投注"]), ("veto", ["北京赛车"])]
    w = load_words()
    assert w.matches("http://pk10.example.com/") == ["pk10"] and w.matches("http://apk100.example.com/") == []


def test_inheritance_from_hidden_ancestor():
    out = links('<div style="display:none"><ul><li><span><a href="http://x.example.com/">彩票</a></span></li></ul></div>')
    assert len(out) == 1


@pytest.mark.parametrize("body,head", [
    # hidden mobile menu of internal links
    ('<div class="mobile-nav" style="display:none"><a href="/zwgk/">政务公开</a><a href="http://www.example.gov.cn/hdjl/">互动</a></div>', ""),
    # accessibility skip link, off-screen
    ('<a class="skip" href="#main" style="position:absolute;left:-9999px">跳到主要内容</a>', ""),
    # hidden internal drop-down revealed on hover
    ('<ul class="nav"><li>政务公开<ul class="sub"><a href="/zwgk/zcwj/">政策文件</a></ul></li></ul>',
     "<style>.sub{display:none} .nav li:hover .sub{display:block}</style>"),
    # hidden drop-down of sister government sites (external hosts, but government)
    ('<div class="wzq" style="display:none"><a href="http://www.fujian.gov.cn/">福建省人民政府</a>'
     '<a href="https://www.gov.cn/">中国政府网</a></div>', ""),
    # hidden external media links in a hover drop-down (interactive container)
    ('<div class="links"><span>媒体链接</span><div class="dropdown"><a href="http://www.xinhuanet.com/">新华网</a></div></div>',
     "<style>.dropdown{display:none}.links:hover .dropdown{display:block}</style>"),
    # tab pane shown by a script that names its id
    ('<div id="tab2" style="display:none"><a href="http://www.people.com.cn/">人民网</a></div>',
     "<script>document.getElementById('tab2').style.display='block'</script>"),
    # subdomain of the site is internal
    ('<div style="display:none"><a href="http://zwgk.example.gov.cn/">公开</a></div>', ""),
    # visible external link
    ('<div><a href="http://www.xinhuanet.com/">新华网</a></div>', ""),
    # responsive rule inside @media
    ('<div class="pc"><a href="http://www.xinhuanet.com/">新华网</a></div>', "<style>@media (max-width:600px){.pc{display:none}}</style>"),
    # inline visible overrides the class rule
    ('<div class="x" style="display:block"><a href="http://www.xinhuanet.com/">新华网</a></div>', "<style>.x{display:none}</style>"),
    # javascript and mailto
    ('<div style="display:none"><a href="javascript:void(0)">彩票</a><a href="mailto:a@b.com">x</a></div>', ""),
])
def test_not_dark_links(body, head):
    assert links(body, head) == []


def test_hidden_gambling_links_to_pages_on_the_site_itself_are_veto():
    """Blind fixture kaipu_city: a hacked site hides links to gambling pages it hosts (/ad/…);
    the crawl looked only at links to other hosts and missed them."""
    out = links('<div class="main"><p>正文</p><div style="display:none"><a href="/ad/yl2026.html">澳门新葡京娱乐城</a> '
                '<span style="visibility:hidden"><a href="http://www.example.gov.cn/ad/b.html">百家乐在线博彩</a></span></div></div>')
    assert [(o.url, o.severity, o.technique) for o in out] == [
        ("http://www.example.gov.cn/ad/yl2026.html", "veto", "display:none"),
        ("http://www.example.gov.cn/ad/b.html", "veto", "display:none")]


@pytest.mark.parametrize("body,head", [
    # an anti-gambling news item in a hidden tab pane or drop-down of the site's own pages
    ('<div class="tab-con" style="display:none"><a href="/xwzx/1.html">我市开展打击跨境赌博专项行动</a></div>', ""),
    ('<ul class="nav"><li>专题<ul class="sub" style="display:none"><li><a href="/ztzl/dd/">打击赌博违法犯罪专题</a></li></ul></li></ul>', ""),
    ('<div id="p2" style="display:none"><a href="/xwzx/2.html">严厉打击网络赌博</a></div>', "<script>show('p2')</script>"),
    # a pop-up (飘窗) or slide shown by an outside script, about fighting gambling or the state lotteries
    ('<div class="pw" style="display:none"><a href="/ztzl/jd/">深入开展打击治理跨境赌博工作</a></div>', ""),
    ('<div style="display:none"><a href="/xwzx/4.html">省体育彩票管理中心开展公益活动</a></div>', ""),
    # a hidden drop-down of sister sites that names the state lottery (a government host)
    ('<div class="wzq" style="display:none"><a href="http://www.cwl.gov.cn/">中国福利彩票</a></div>', ""),
    # visible, or hidden without any word of the list
    ('<div><a href="/xwzx/3.html">关于打击赌博的通告</a></div>', ""),
    ('<div style="display:none"><a href="/zwgk/">政务公开</a></div>', ""),
])
def test_own_pages_hidden_in_menus_or_without_words_are_not_dark_links(body, head):
    assert links(body, head) == []


def test_gambling_link_in_menu_like_container_still_veto():
    out = links('<div class="menu" style="display:none"><a href="http://x.example.com/">澳门娱乐城</a></div>')
    assert [o.severity for o in out] == ["veto"]


def test_extra_words_from_config():
    w = load_words({"words": ["特码"]})
    doc = lxml.html.fromstring('<html><body><div style="display:none"><a href="http://x.example.com/">特码</a></div></body></html>')
    assert find_hidden_links(doc, BASE, [], words=w)[0].words == ["特码"]


def test_script_written_hidden_link():
    out = links("<script>document.write('<div style=\"display:none\">');"
                "document.write('<a href=\"http://www.ylc-888.example.com/\">澳门娱乐城</a></div>');</script>"
                "<script>document.write('<a href=\"http://www.xinhuanet.com/\">新华网</a>')</script>")
    assert [(o.url, o.severity, o.via) for o in out] == [("http://www.ylc-888.example.com/", "veto", "脚本写入（行内样式）")]


def test_script_written_with_escaped_quotes():
    out = links('<script>document.write("<div style=\\"display:none\\"><a href=\\"http://x.example.com/\\">彩票</a></div>")</script>')
    assert [o.severity for o in out] == ["veto"]


def test_colour_from_style_rules_and_opacity():
    out = links('<div class="f"><a href="http://x.example.com/">真人娱乐</a></div>',
                "<style>.f{background-color:rgb(255, 255, 255)} .f a{color:#FFF}</style>")
    assert [o.severity for o in out] == ["veto"] and out[0].technique.startswith("文字颜色与背景相同")
    out = links('<p style="opacity:0"><a href="http://x.example.com/">x</a></p>')
    assert [(o.technique, o.severity) for o in out] == [("opacity:0", "high")]
