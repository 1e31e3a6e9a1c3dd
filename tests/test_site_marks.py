"""网站标识码, 备案号, 党政机关标识, 找错入口 and search forms read from real saved pages, in place."""
from __future__ import annotations

import pytest
from lxml import html

from conftest import read_corpus_page
from govaudit.crawler.site_marks import site_marks

CASES = {
    "ccgp_hebei/ccgp-hebei_zhbgg_t20211011_1485252_saved.html": {
        "site_code": "1300000065", "site_code_source": "meta", "icp": "冀ICP备13016076号-2",
        "police": "公网安备13010402001602",  # "冀公网安备 <a …>13010402001602</a>": the number is in a link
        "party_badge": "https://bszs.conac.cn/sitename?method=show&id=57F5E9CA841A5ACDE053022819ACEAD1",
        "error_entry": "http://www.example.gov.cn/中标公告详细页面_files/jiucuo.js.下载"},  # the saved copy of jiucuo.js
    "gne_zj_fgw/fgw.zj.gov.cn_art_2016_11_22_art_1621004_30332664.html": {
        "site_code": "3300000020", "site_code_source": "text", "icp": "浙ICP备05018911号", "police": "浙公网安备33010602009328号"},
    "gne_govcn_gongbao/www.gov.cn_gongbao_2007_23_resolution.html": {
        "site_code": "bm01000001", "icp": "京ICP备05070218号", "police": "京公网安备11010202000001号",
        "party_badge": "（页面脚本中）"},
    "jiangxi_yichun_wanzai/www.yichun.gov.cn_homepage_2023-10-11_stat.php.html": {
        "site_code": "3609000002", "error_entry": "https://zfwzgl.www.gov.cn/exposure/jiucuo.js"},
    "jiujiang_search/zmhd.jiujiang.gov.cn_irs_search_result_saved.html": {
        "site_code": "3604000043", "error_entry": "http://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3604000043",
        "police": "公安备案36040202000107号"},  # written without 公网安备: still shown
    "pingtan_archive_transcribed/pingtan.gov.cn_ghxx_gzjzqk_list_index.html": {
        "site_code": "3590000001", "icp": "闽ICP备09032658号", "police": "公安备案号：35012899001"},
}


@pytest.mark.parametrize("path", sorted(CASES))
def test_marks_on_real_pages(corpus, path):
    raw = read_corpus_page(corpus, path)
    marks = site_marks(html.document_fromstring(raw), raw, "http://www.example.gov.cn/")
    for key, want in CASES[path].items():
        assert marks[key] == want, key


def test_search_form_with_hidden_fields(corpus):
    raw = read_corpus_page(corpus, "gne_zj_fgw/fgw.zj.gov.cn_art_2016_11_22_art_1621004_30332664.html")
    (form,) = site_marks(html.document_fromstring(raw), raw, "http://fgw.zj.gov.cn/")["search_forms"]
    assert form["action"] == "http://search.zj.gov.cn/jrobotfront/search.do" and form["method"] == "get"
    assert form["query"] == "q" and form["hidden"]["websiteid"] == "330000002000000"


def test_look_alikes():
    raw = ("<html><head><meta name='SiteIDCode' content='123'></head><body>"
           "<p>网站标识码：12345</p><p>ICP备案查询</p><form action='/login'><input name='user'></form>"
           "<a href='http://www.conac.cn.example.com/'>x</a></body></html>")
    marks = site_marks(html.document_fromstring(raw), raw, "http://x/")
    assert marks["site_code"] is None and marks["icp"] is None and marks["search_forms"] == []
    assert marks["party_badge"] is None


def test_marks_written_the_ways_real_footers_write_them():
    """A missing mark is an accusation: the badge and the 找错 button drawn by the national scripts
    (document.write(unescape(…)), local copies, their span/img ids) and numbers split by &nbsp; count."""
    raw = ("<html><body><div class='foot'>"
           "<script>document.write(unescape(\"%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript "
           "src='https://dcs.conac.cn/js/33/000/0000/60942981/CA330000000609429810003.js' type='text/javascript'%3E"
           "%3C/script%3E\"));</script>"
           "<span id='_span_jiucuo'><img onclick=\"Link('3300000020')\" src='/images/jiucuo.png'></span>"
           "<p>备案号：浙ICP备&nbsp;05018911号　浙公网安备&nbsp;33010602009328号　网站标识码&nbsp;3300000020</p>"
           "</div></body></html>")
    marks = site_marks(html.document_fromstring(raw), raw, "http://x/")
    assert marks["party_badge"] and marks["error_entry"]
    assert marks["icp"].startswith("ICP") and "05018911" in marks["icp"]
    assert "33010602009328" in marks["police"] and marks["site_code"] == "3300000020"
    bare = "<html><body><p>版权所有：某某市人民政府　联系电话：0571-12345678</p></body></html>"
    marks = site_marks(html.document_fromstring(bare), bare, "http://x/")
    assert not any(marks[k] for k in ("party_badge", "error_entry", "icp", "police", "site_code"))


def test_a_local_picture_of_the_badge_is_a_question_not_an_accusation(monkeypatch):
    """Blind fixture dede_bureau: an <img alt="党政机关"> without the conac link was accused (medium) as
    a home page with no badge at all; it is shown, but maybe not the issued one: info, 需人工核实."""
    from govaudit.checks import missing_site_identity as msi

    raw = ("<html><body><div class='footer'><img src='/templets/default/images/dzjg.png' alt='党政机关' "
           "title='党政机关网站标识'><p>网站标识码：5115000012　蜀ICP备12345678号　川公网安备 51152302000123号</p>"
           "</div></body></html>")
    marks = site_marks(html.document_fromstring(raw), raw, "http://x.gov.cn/")
    assert marks["party_badge"] is None and marks["party_badge_image"] == "http://x.gov.cn/templets/default/images/dzjg.png"
    monkeypatch.setattr(msi, "home_marks", lambda crawl: (marks, "http://x.gov.cn/"))
    got = list(msi.run(None))
    assert [(f["data"]["mark"], f["severity"]) for f in got] == [("party_badge", "info")]
    assert "需人工核实" in got[0]["detail"]
    marks = dict(marks, party_badge_image=None)  # no picture either: the accusation stays
    assert [(f["data"]["mark"], f["severity"]) for f in msi.run(None)] == [("party_badge", "medium")]


def test_the_error_entry_at_the_platforms_earlier_address_and_as_a_picture():
    """Blind fixture empire_county: the 找错 button linked to zfwzzc.www.gov.cn (the platform's earlier
    address) with only a picture alt 政府网站找错 was taken for no entry at all."""
    link = "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?websiteCode=3311990001"
    raw = f"<html><body><div class='footer'><a href='{link}'><img src='/zc.png' alt='政府网站找错'></a></div></body></html>"
    assert site_marks(html.document_fromstring(raw), raw, "http://x.gov.cn/")["error_entry"] == link
    raw = "<html><body><a href='/jc/index.html'><img src='/jc.png' alt='我为政府网站找错'></a></body></html>"
    assert site_marks(html.document_fromstring(raw), raw, "http://x.gov.cn/")["error_entry"] == "http://x.gov.cn/jc/index.html"
    raw = "<html><body><a href='/zc.html'><img src='/zc.png' alt='找错别字比赛'></a></body></html>"
    assert site_marks(html.document_fromstring(raw), raw, "http://x.gov.cn/")["error_entry"] is None
