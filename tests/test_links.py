"""Link extraction on real government pages (read in place from ../shared/corpus) and edge cases."""
from __future__ import annotations

from lxml import html as lxml_html

from conftest import read_corpus_page
from govaudit.crawler.links import extract_links, is_resource, normalize_url


def links_of(markup: str, url: str = "http://www.example.gov.cn/a/b.html"):
    return extract_links(lxml_html.document_fromstring(markup), url)


def test_attachments_are_kept_on_real_pages(corpus):
    page = read_corpus_page(corpus, "pingtan_archive_transcribed/pingtan.gov.cn_hzgfxwj_t20251029_102346_xzgfxwj_feizhi.html")
    url = "https://www.pingtan.gov.cn/zwgk/zfxxgk/gwhwj/hzgfxwj/202510/t20251029_102346.htm"
    targets = {link.target for link in extract_links(lxml_html.document_fromstring(page), url)}
    assert "https://www.pingtan.gov.cn/zwgk/zfxxgk/gwhwj/hzgfxwj/202510/P020251029398548953131.pdf" in targets

    page = read_corpus_page(corpus, "ccgp_hebei/ccgp-hebei_zhbgg_t20211011_1485252_saved.html")
    targets = {link.target for link in extract_links(lxml_html.document_fromstring(page), "http://www.ccgp-hebei.gov.cn/x/")}
    assert "http://www.ccgp-hebei.gov.cn/BidWinAnncFiles/4b211afc-3a82-4fce-8ffb-11126a95def1.docx" in targets


def test_chinese_file_names_are_percent_encoded(corpus):
    page = read_corpus_page(corpus, "jiangxi_yichun_wanzai/www.yichun.gov.cn_homepage_2023-10-11_stat.php.html")
    links = extract_links(lxml_html.document_fromstring(page), "https://www.yichun.gov.cn/")
    doc = [l for l in links if l.target.endswith(".doc")]
    assert doc and all("%E4%BF%A1%E5%88%9B" in l.target for l in doc)  # 信创
    assert len(links) > 300
    assert not any(l.target.startswith(("javascript", "mailto")) for l in links)


def test_links_in_comments_are_ignored(corpus):
    page = read_corpus_page(corpus, "hd_gov_cn_jsp/hdzfxxgk_details.jsp.html")
    # the page keeps its 成文日期/有效期 rows and some links only inside <!-- -->
    doc = lxml_html.document_fromstring(page)
    visible = {l.target for l in extract_links(doc, "http://hdzfxxgk.hd.gov.cn/x/y.html")}
    commented = links_of("<html><body><!-- <a href='/gone.html'>x</a> --><a href='/ok.html'>ok</a></body></html>")
    assert [l.target for l in commented] == ["http://www.example.gov.cn/ok.html"]
    assert visible  # the page still has its real links


def test_every_reference_kind_is_extracted():
    markup = """<html><head><link rel="stylesheet" href="/s.css"><script src="/j.js"></script>
    <meta http-equiv="refresh" content="5; URL='/next.html'"></head><body>
    <a href="  /sp ace.html\n">a</a><area href="/map.html"><iframe src="/frame.html"></iframe>
    <embed src="/movie.swf"><img src="/x.png" srcset="/x-1.png 1x, /x-2.png 2x, /x w.png 640w">
    <a href="mailto:a@b.cn">m</a><a href="javascript:void(0)">j</a><a href="tel:12345">t</a>
    <a href="data:text/plain,hi">d</a><a href="#top">f</a><a href="/政策.html">中文</a></body></html>"""
    got = {(l.target, l.tag, l.attr) for l in links_of(markup)}
    base = "http://www.example.gov.cn"
    assert (base + "/s.css", "link", "href") in got
    assert (base + "/j.js", "script", "src") in got
    assert (base + "/next.html", "meta", "refresh") in got
    assert (base + "/sp%20ace.html", "a", "href") in got
    assert (base + "/map.html", "area", "href") in got
    assert (base + "/frame.html", "iframe", "src") in got
    assert (base + "/movie.swf", "embed", "src") in got
    assert (base + "/x-2.png", "img", "srcset") in got
    assert (base + "/%E6%94%BF%E7%AD%96.html", "a", "href") in got
    assert not any(t.startswith(("mailto", "javascript", "tel", "data")) for t, _, _ in got)
    assert len(got) == 12


def test_normalization_and_resource_kinds():
    assert normalize_url("HTTP://WWW.Example.gov.cn:80/a/%E6%94%BF.html#x") == "http://www.example.gov.cn/a/%E6%94%BF.html"
    assert normalize_url("http://x.cn/政.html") == "http://x.cn/%E6%94%BF.html"
    for ext in ("pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ppt", "zip", "rar", "ofd"):
        assert is_resource(f"http://x.cn/f.{ext}")
    assert not is_resource("http://x.cn/index.shtml")


def test_ipv6_gateway_links_map_back_to_the_real_site(corpus):
    page = read_corpus_page(corpus, "pingtan_archive_transcribed/pingtan.gov.cn_hzgfxwj_t20161026_79826_xzgfxwj_youxiao.html")
    targets = {l.target for l in extract_links(lxml_html.document_fromstring(page), "https://www.pingtan.gov.cn/zwgk/")}
    assert not any("ipv6best" in t for t in targets)
    assert normalize_url("http://www.acas.org.cnx7a72966eb3868.ipv6best.cn/a.html") == "http://www.acas.org.cn/a.html"
    assert normalize_url("https://27-151-80-61xe076966eb3868xx.ipv6best.cn:91/") == "https://27.151.80.61:91/"
    assert normalize_url("https://bszs-conac-cnxe103966eb3868xx.ipv6best.cn/x") == "https://bszs.conac.cn/x"


def test_script_links_a_visitor_can_follow():
    markup = """<html><body>
    <select onchange="window.open(this.value)"><option value="">--政府网站--</option>
    <option value="http://www.jiangxi.gov.cn/">江西省人民政府</option></select>
    <select name="x"><option value="2026">2026年</option></select>
    <a href="javascript:void(0)" onclick="window.open('/zwgk/list.html')">政务公开</a>
    <li onclick="location.href='/news/1.html'">新闻</li></body></html>"""
    got = {(l.target, l.tag, l.attr, l.anchor) for l in links_of(markup)}
    assert ("http://www.jiangxi.gov.cn/", "option", "value", "江西省人民政府") in got
    assert ("http://www.example.gov.cn/zwgk/list.html", "a", "onclick", "政务公开") in got
    assert ("http://www.example.gov.cn/news/1.html", "li", "onclick", "新闻") in got
    assert len(got) == 3


def test_file_links_are_kept_and_file_names_are_recognised():
    """issue 11: file:/// links (pasted from an editor's PC) are stored; links naming a file by
    path, by a filename= parameter or by their text are known as file links."""
    from govaudit.crawler.links import is_local_file, names_file
    doc = lxml_html.fromstring('<html><body><a href="file:///C:/Users/a/Desktop/b.docx">附件1</a></body></html>')
    (link,) = extract_links(doc, "http://x.gov.cn/a/b.html")
    assert link.target == "file:///C:/Users/a/Desktop/b.docx" and is_local_file(link.target)
    assert names_file("http://x.gov.cn/attachment/1.pdf")
    assert names_file("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=3021201.pdf")
    assert names_file("http://x.gov.cn/uc/attach.do?fid=3021301", "澜溪区农村集体资产清查表.doc")
    assert not names_file("http://x.gov.cn/uc/attach.do?fid=3021301", "查看详情")
    assert not names_file("http://x.gov.cn/col/index.html")


def test_script_forward_is_a_link_only_on_a_page_without_content():
    from govaudit.crawler.links import extract_links as links
    bare = lxml_html.fromstring('<html><body><script>location.href="/new/index.html";</script></body></html>')
    assert [(l.target, l.tag, l.attr) for l in links(bare, "http://x.gov.cn/old.html")] == [
        ("http://x.gov.cn/new/index.html", "script", "forward")]
    full = lxml_html.fromstring('<html><body><p>' + "正文内容" * 40 + '</p><script>location.href="/new/index.html";'
                                '</script></body></html>')
    assert links(full, "http://x.gov.cn/old.html") == []
