"""Tests for govaudit.crawler.docmeta: 信息公开 metadata, 文号, 有效性 and 解读 links.

Expected values on corpus pages were read from the saved HTML itself (see the comments
next to each), not from the code's output.
"""
from __future__ import annotations

from datetime import date

import lxml.html
import pytest
from conftest import read_corpus_page

from govaudit.crawler.docmeta import (
    KNOWN_VALIDITY,
    body_text,
    core_title,
    extract_doc_meta as _extract_doc_meta,
    find_doc_numbers,
    is_interpretation_title,
    normalize_doc_number,
    related_links,
    validity_status,
)

PINGTAN_YOUXIAO = ("pingtan_archive_transcribed/"
                   "pingtan.gov.cn_hzgfxwj_t20161026_79826_xzgfxwj_youxiao.html")
PINGTAN_FEIZHI = ("pingtan_archive_transcribed/"
                  "pingtan.gov.cn_hzgfxwj_t20251029_102346_xzgfxwj_feizhi.html")
GOVCN_5353307 = "govcn_zhengce_sql_fragments/govcn_zhengce_fragment_content_5353307.html"
GOVCN_5352666 = "govcn_zhengce_sql_fragments/govcn_zhengce_fragment_content_5352666.html"
WANZAI_2022 = "jiangxi_yichun_wanzai/wanzai.gov.cn_tjsja_2022_saved.html"
WANZAI_2015 = "jiangxi_yichun_wanzai/wanzai.gov.cn_tjgb_2015_saved.html"
YICHUN_JIANGXI = "jiangxi_yichun_wanzai/yichun.gov.cn_tjgb_2022_jiangxi_saved.html"
YICHUN_YICHUN = "jiangxi_yichun_wanzai/yichun.gov.cn_tjgb_2022_yichun_saved.html"
HD_DETAILS = "hd_gov_cn_jsp/hdzfxxgk_details.jsp.html"
HD_LIST = "hd_gov_cn_jsp/hdzfxxgk_list.jsp.html"
NFRA_36 = "nfra/nfra_xzcf_jinfajuezi_2024_36_rendered.html"
NFRA_ZJ = "nfra/nfra_zhejiang_xzcf_2024_52_rendered.html"

#: The inspection date these pages are read on (dates after the next year are refused).
AS_OF = date(2026, 12, 2)


def extract_doc_meta(doc):
    return _extract_doc_meta(doc, AS_OF)


KEYS = {"index_no", "topic", "publisher", "written_date", "pub_date", "doc_number",
        "validity", "valid_until", "title", "content_source", "has_meta_block"}


def page(corpus, relpath: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(read_corpus_page(corpus, relpath))


def snippet(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head></head><body>{html}</body></html>")


# ---------------------------------------------------------------------------
# Corpus pages
# ---------------------------------------------------------------------------

def test_pingtan_valid_document(corpus):
    # div.index_box li: 索&ensp;引&ensp;号：<font>…</font> … 有&ensp;效&ensp;性：<em>有效</em>
    meta = extract_doc_meta(page(corpus, PINGTAN_YOUXIAO))
    assert set(meta) == KEYS
    assert meta["index_no"] == "PZ00101-1700-2023-00059"
    assert meta["validity"] == "有效"
    assert validity_status(meta["validity"]) == "ok"
    assert meta["publisher"] == "平潭综合实验区管委会办公室"
    assert meta["written_date"] == "2016-10-26"
    assert meta["pub_date"] == "2016-10-26"
    assert meta["doc_number"] == "岚综管综〔2016〕266号"
    assert meta["title"] == "平潭综合实验区管委会关于废止部分规范性文件的通知"
    assert meta["topic"] == "无"
    assert meta["valid_until"] is None
    assert meta["has_meta_block"] is True


def test_pingtan_repealed_document(corpus):
    meta = extract_doc_meta(page(corpus, PINGTAN_FEIZHI))
    assert meta["validity"] == "废止"
    assert meta["doc_number"] == "岚综管综〔2021〕35号"
    assert meta["written_date"] == "2021-04-29"
    assert meta["pub_date"] == "2021-04-29"
    assert meta["index_no"] == "PZ00101-1700-2021-00545"
    # <meta name="ContentSource" content=""> is empty: the printed "来源：" span is used.
    assert meta["content_source"] == "平潭县人民政府"


def test_pingtan_interpretation_box_is_ajax_only(corpus):
    # The 文字解读/图片解读/H5解读 anchors carry only ms-attr-href: nothing to report.
    assert related_links(page(corpus, PINGTAN_FEIZHI), "https://www.pingtan.gov.cn/x/") == []


def test_govcn_table_bd1(corpus):
    # <td><b>索 引 号：</b></td><td>000014349/2018-00222</td>, 成文日期 2018年12月21日
    meta = extract_doc_meta(page(corpus, GOVCN_5353307))
    assert meta["index_no"] == "000014349/2018-00222"
    assert meta["doc_number"] == "国发〔2018〕43号"
    assert meta["publisher"] == "国务院"
    assert meta["topic"] == "卫生、体育\\医药管理"
    assert meta["written_date"] == "2018-12-21"
    assert meta["pub_date"] == "2018-12-29"
    assert meta["title"].startswith("国务院关于在海南博鳌乐城国际医疗旅游先行区暂时调整实施")
    assert meta["validity"] is None  # gov.cn prints no 有效性
    assert validity_status(meta["validity"]) == "missing"
    assert meta["has_meta_block"] is True


def test_govcn_fragment_5352666(corpus):
    doc = page(corpus, GOVCN_5352666)
    meta = extract_doc_meta(doc)
    assert meta["doc_number"] == "国办发〔2018〕123号"
    assert meta["index_no"] == "000014349/2018-00221"
    assert meta["written_date"] == "2018-12-07"
    assert meta["pub_date"] == "2018-12-27"
    assert meta["title"] == "国务院办公厅关于推进政务新媒体健康有序发展的意见"
    # The body (td#UCAP-CONTENT) repeats the document's own 文号.
    assert "国办发〔2018〕123号" in find_doc_numbers(body_text(doc))


def test_wanzai_dl_layout_without_validity(corpus):
    # <dd class="addWidth IndexNo"><label><font>索 引 号：</font></label><div …>014742224A/…
    meta = extract_doc_meta(page(corpus, WANZAI_2022))
    assert meta["index_no"] == "014742224A/2023-0043406"
    assert meta["written_date"] == "2023-05-11"        # 生成日期
    assert meta["publisher"] == "万载县统计局"          # 责任部门
    assert meta["validity"] is None
    assert meta["doc_number"] is None
    assert meta["title"] == "万载县2022年国民经济和社会发展统计公报"
    assert meta["content_source"] == "万载县统计局"
    assert meta["pub_date"] == "2023-08-16"            # no 发布日期 label: meta PubDate
    assert meta["has_meta_block"] is True


def test_wanzai_reldocuments_interpretation(corpus):
    links = related_links(page(corpus, WANZAI_2022), "http://www.wanzai.gov.cn/wzxrmzf/tjsja/202305/x.shtml")
    assert links == [{
        "url": "http://www.wanzai.gov.cn/wzxrmzf/tjjjdhy/202307/bb8049063e11403994c3d01d8813a11a.shtml",
        "text": "图文解读：《万载县2022年国民经济和社会发展统计公报》",
        "kind": "interpretation",
    }]
    assert core_title(links[0]["text"]) == core_title("万载县2022年国民经济和社会发展统计公报")


def test_empty_reldocuments_block_does_not_borrow_other_links(corpus):
    # 2015 page: 关联稿件 with an empty <ul>, followed by share/QR links.
    assert related_links(page(corpus, WANZAI_2015), "http://www.wanzai.gov.cn/") == []


def test_yichun_inline_related_interpretation(corpus):
    doc = page(corpus, YICHUN_JIANGXI)
    links = related_links(doc, "https://www.yichun.gov.cn/ycsrmzf/tjgb/202304/x.shtml")
    assert len(links) == 1
    link = links[0]
    assert link["url"] == "http://www.yichun.gov.cn/yctjj/jdhy/202304/e23e625ebadd49c18afe73a4caffbaeb.shtml"
    assert "/jdhy/" in link["url"]
    assert link["text"] == "《江西省2022年国民经济和社会发展统计公报》解读"
    assert link["kind"] == "interpretation"
    meta = extract_doc_meta(doc)
    assert meta["index_no"] == "014717475N/2023-0032866"
    assert meta["publisher"] == "宜春市统计局"          # 发布机构
    assert meta["written_date"] == "2023-03-31"        # 发文日期


def test_yichun_page_without_interpretation(corpus):
    assert related_links(page(corpus, YICHUN_YICHUN), "https://www.yichun.gov.cn/") == []


@pytest.mark.parametrize("parse", [lxml.html.fromstring, lxml.html.document_fromstring])
def test_hd_details_ignores_commented_fields(corpus, parse):
    # JSP-wrapped page; 成文日期/有效期 exist only inside <!-- -->; 文号：无.
    doc = parse(read_corpus_page(corpus, HD_DETAILS))
    meta = extract_doc_meta(doc)
    assert meta["index_no"] == "000014348/2020-35147"
    assert meta["publisher"] == "邯郸市教育局"
    assert meta["topic"] == "教育"
    assert meta["pub_date"] == "2020-08-02"
    assert meta["doc_number"] is None
    assert meta["validity"] is None
    assert meta["written_date"] is None
    assert meta["valid_until"] is None
    assert meta["title"] == "邯郸市教育局关于印发《全市教育系统安全专项整治三年行动实施方案》的通知"
    assert meta["has_meta_block"] is True
    # Its navigation has a "政策解读" column link: that is not a related-interpretation label.
    assert related_links(doc, "http://hdzfxxgk.hd.gov.cn/") == []
    assert "<%" not in body_text(doc)


def test_hd_list_header_row_is_not_a_meta_block(corpus):
    # <th>名称</th><th>索引号</th><th>发布机构</th><th>发布日期</th> heads a list table.
    meta = extract_doc_meta(page(corpus, HD_LIST))
    assert meta["index_no"] is None
    assert meta["has_meta_block"] is False


@pytest.mark.parametrize("relpath", [NFRA_36, NFRA_ZJ])
def test_nfra_prose_validity_is_not_a_label(corpus, relpath):
    html = read_corpus_page(corpus, relpath)
    assert "监管有效性" in html
    meta = extract_doc_meta(lxml.html.fromstring(html))
    assert meta["validity"] is None
    # The 索引号/主题分类 header is an empty ng-hide template: not shown, so no block.
    assert meta["index_no"] is None
    assert meta["has_meta_block"] is False


def test_nfra_pub_date_and_cited_number(corpus):
    doc = page(corpus, NFRA_36)
    meta = extract_doc_meta(doc)
    assert meta["pub_date"] == "2024-07-12"            # <span>发布时间：2024-07-12</span>
    assert meta["content_source"] == "保险和非银机构检查局"
    assert "金罚决字〔2024〕36号" in find_doc_numbers(body_text(doc))


# ---------------------------------------------------------------------------
# Synthetic label layouts
# ---------------------------------------------------------------------------

def test_table_label_and_value_in_adjacent_cells():
    doc = snippet("""<table>
      <tr><td>索 引 号：</td><td>001/2026-00001</td><td>主题分类：</td><td>综合政务</td></tr>
      <tr><td>发文字号：</td><td>临政办发〔2026〕33号</td><td>有效性：</td><td></td></tr>
    </table>""")
    meta = extract_doc_meta(doc)
    assert meta["index_no"] == "001/2026-00001"
    assert meta["topic"] == "综合政务"
    assert meta["doc_number"] == "临政办发〔2026〕33号"
    assert meta["validity"] == ""                       # printed, left empty
    assert validity_status(meta["validity"]) == "empty"
    assert meta["has_meta_block"] is True


def test_label_and_value_in_same_cell():
    doc = snippet("<table><tr><td>发文字号：市政办发【2017】101号</td>"
                  "<td>有效性：现行有效</td></tr></table>")
    meta = extract_doc_meta(doc)
    assert meta["doc_number"] == "市政办发【2017】101号"
    assert meta["validity"] == "现行有效"


def test_colonless_label_cells():
    doc = snippet("<table><tr><th>有效性</th><td>失效</td></tr>"
                  "<tr><th>索引号</th><td>A-1</td></tr></table>")
    meta = extract_doc_meta(doc)
    assert meta["validity"] == "失效"
    assert meta["index_no"] == "A-1"


def test_colonless_label_with_empty_value_cell():
    doc = snippet("<table><tr><td>有效性</td><td></td></tr></table>")
    assert extract_doc_meta(doc)["validity"] == ""


def test_definition_list_layout():
    doc = snippet("""<dl>
      <dd class="addWidth IndexNo"><label><font>索 引 号：</font></label>
        <div class="display-block"> 11/2026-1 </div></dd>
      <dd><label><font>有 效 性：</font></label><div class="display-block">部分失效</div></dd>
    </dl>""")
    meta = extract_doc_meta(doc)
    assert meta["index_no"] == "11/2026-1"
    assert meta["validity"] == "部分失效"


def test_li_with_ensp_spaced_labels():
    doc = snippet("""<ul class="trt-row">
      <li>索&ensp;引&ensp;号：<font>PZ-1</font></li>
      <li>标&ensp;&ensp;&ensp;&ensp;题：<font>某某办法</font></li>
      <li>有&ensp;效&ensp;性：<em class="red_base">尚未生效</em></li>
    </ul>""")
    meta = extract_doc_meta(doc)
    assert meta["index_no"] == "PZ-1"
    assert meta["title"] == "某某办法"                 # no ArticleTitle meta: 标题 field
    assert meta["validity"] == "尚未生效"


def test_strong_label_then_colon_text():
    doc = snippet("<p><strong>索引号</strong>：000014348/2020-35147</p>"
                  "<p><strong>文号</strong>：无</p><p><strong>有效性</strong>：已修改</p>")
    meta = extract_doc_meta(doc)
    assert meta["index_no"] == "000014348/2020-35147"
    assert meta["doc_number"] is None
    assert meta["validity"] == "已修改"


def test_plain_text_labels_with_nbsp_and_fullwidth_colon():
    doc = snippet("<div>发布时间：2026-11-03 10:00&nbsp;&nbsp;信息来源：临川市政府办公室</div>"
                  "<p>有&nbsp;效&nbsp;性:全文有效</p>"
                  "<p>主题分类：教育 主题词：安全</p>")
    meta = extract_doc_meta(doc)
    assert meta["pub_date"] == "2026-11-03"
    assert meta["content_source"] == "临川市政府办公室"
    assert meta["validity"] == "全文有效"
    assert meta["topic"] == "教育"                      # stops at the next label


@pytest.mark.parametrize("value,expected", [
    ("2026-11-03", "2026-11-03"),
    ("2026/11/03", "2026-11-03"),
    ("2026.11.03", "2026-11-03"),
    ("2026年11月3日", "2026-11-03"),
    ("2026-11-3 09:30:00", "2026-11-03"),
    ("2026年02月30日", None),
    ("不详", None),
])
def test_date_normalisation(value, expected):
    doc = snippet(f"<p>成文日期：{value}</p><p>有效期至：{value}</p>")
    meta = extract_doc_meta(doc)
    assert meta["written_date"] == expected
    assert meta["valid_until"] == expected


@pytest.mark.parametrize("value", ["无", "—", "空", "-", "〔〕号"])
def test_empty_doc_number_values(value):
    assert extract_doc_meta(snippet(f"<p>发文字号：{value}</p>"))["doc_number"] is None


@pytest.mark.parametrize("html", [
    "<table><tr><td>有效性：</td></tr></table><p>有效期五年的正文</p>",
    '<div class="row"><div class="l">有效性：</div><div class="v"></div></div><div>正文</div>',
    "<ul><li><span>有效性：</span></li></ul><p>正文</p>",
    "<p>有效性：<span></span></p><p>正文</p>",
])
def test_empty_value_does_not_borrow_following_text(html):
    assert extract_doc_meta(snippet(html))["validity"] == ""


def test_label_directly_in_body_text():
    assert extract_doc_meta(snippet("有效性：有效"))["validity"] == "有效"


def test_div_and_span_pairs():
    doc = snippet('<div class="row"><div class="l">有效性：</div><div class="v">有效</div></div>'
                  '<div class="row"><span>索引号</span><span>B-2</span></div>'
                  "<p>索引号：1 | 发布机构：临川市教育局 | 浏览次数：15</p>")
    meta = extract_doc_meta(doc)
    assert meta["validity"] == "有效"
    assert meta["index_no"] == "B-2"
    assert meta["publisher"] == "临川市教育局"


def test_commented_out_fields_are_ignored():
    doc = snippet("<p>索引号：1</p><!--<p>有效性：有效</p>--><!-- <p>成文日期：2020-01-01</p> -->")
    meta = extract_doc_meta(doc)
    assert meta["validity"] is None
    assert meta["written_date"] is None


def test_prose_is_not_a_label():
    doc = snippet("<p>进一步提升监管有效性，增强时效性。</p>"
                  "<p>本办法的<strong>有效性</strong>由市司法局确认。</p>"
                  "<p>有效性评估工作另行部署。</p>")
    assert extract_doc_meta(doc)["validity"] is None


def test_hidden_elements_are_ignored():
    doc = snippet('<div class="ng-hide"><span>有效性：有效</span></div>'
                  '<div style="display: none">索引号：9</div>')
    meta = extract_doc_meta(doc)
    assert meta["validity"] is None
    assert meta["index_no"] is None


def test_title_and_source_preferences():
    doc = lxml.html.document_fromstring(
        '<html><head><meta name="ArticleTitle" content="元标题">'
        '<meta name="ContentSource" content="元来源"><meta name="PubDate" content="2026/01/02 08:00">'
        '<title>页标题_栏目_站点</title></head>'
        '<body><h1>大标题</h1><p>标题：字段标题</p><p>来源：字段来源</p></body></html>')
    meta = extract_doc_meta(doc)
    assert meta["title"] == "元标题"
    assert meta["content_source"] == "元来源"
    assert meta["pub_date"] == "2026-01-02"
    h1_only = lxml.html.document_fromstring(
        "<html><head><title>页标题_栏目_站点</title></head><body><h1> 大 标题 </h1></body></html>")
    assert extract_doc_meta(h1_only)["title"] == "大 标题"
    title_only = lxml.html.document_fromstring(
        "<html><head><title>页标题_栏目_站点</title></head><body></body></html>")
    assert extract_doc_meta(title_only)["title"] == "页标题"


def test_jsp_prefix_is_tolerated():
    html = ('<%@ page contentType="text/html;charset=UTF-8" language="java" %>\n'
            "<html><body><p>索引号：X-1</p><p>有效性：废止</p></body></html>")
    for parse in (lxml.html.fromstring, lxml.html.document_fromstring):
        meta = extract_doc_meta(parse(html))
        assert meta["index_no"] == "X-1"
        assert meta["validity"] == "废止"


def test_absent_everything():
    meta = extract_doc_meta(snippet("<p>正文</p>"))
    assert set(meta) == KEYS
    assert all(meta[k] is None for k in KEYS - {"has_meta_block"})
    assert meta["has_meta_block"] is False


# ---------------------------------------------------------------------------
# 文号
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("临政办发〔2026〕33号", "临政办发〔2026〕33号"),
    ("国发〔2018〕43号", "国发〔2018〕43号"),
    ("威府办函[2018]46号", "威府办函〔2018〕46号"),
    ("市政办发【2017】101号", "市政办发〔2017〕101号"),
    ("岚综管综（2021）35号", "岚综管综〔2021〕35号"),
    ("国办秘函〔2019〕19号", "国办秘函〔2019〕19号"),
    ("京政发(2020)7号", "京政发〔2020〕7号"),
    ("湘政办发 〔 2020 〕 第 07 号", "湘政办发〔2020〕7号"),
])
def test_find_doc_numbers_bracket_styles(text, expected):
    assert find_doc_numbers(text) == [expected]
    assert normalize_doc_number(text) == expected


def test_find_doc_numbers_in_prose():
    text = ("根据《国务院关于XX的决定》（国发[2018]43号）和国发〔2018〕43号文件精神，"
            "按照临政办发【2026】33号要求，废止岚综管综（2021）35号。"
            "2021年（2021）年度报告，计价格2002（1980）号文。")
    assert find_doc_numbers(text) == ["国发〔2018〕43号", "临政办发〔2026〕33号", "岚综管综〔2021〕35号"]


def test_bracketed_year_in_prose_is_not_a_doc_number():
    assert find_doc_numbers("本市（2021）年工作要点，见附件（2022）。") == []


def test_normalize_doc_number_equalises_styles():
    assert normalize_doc_number("威府办函[2018]46号") == normalize_doc_number("威府办函〔2018〕46号")
    assert normalize_doc_number(" 国发 〔2018〕 43号 ") == "国发〔2018〕43号"


# ---------------------------------------------------------------------------
# Validity
# ---------------------------------------------------------------------------

def test_known_validity_values():
    assert KNOWN_VALIDITY == ("有效", "现行有效", "失效", "废止", "部分失效", "已修改", "尚未生效",
                              "全文有效", "部分有效", "全文失效", "全文废止", "部分废止", "修订", "已修订",
                              "修改", "无效")


@pytest.mark.parametrize("value,status", [
    (None, "missing"),
    ("", "empty"),
    ("  ", "empty"),
    ("有效", "ok"),
    (" 现 行 有 效 ", "ok"),
    ("全文废止", "ok"),
    ("有效期五年", "unknown"),
    ("是", "unknown"),
    # issue 11: the same markings worded differently (已…, a remark in brackets) are marked
    ("已废止", "ok"),
    ("已失效", "ok"),
    ("已修订", "ok"),
    ("部分有效", "ok"),
    ("有效（2027年12月31日前）", "ok"),
    # placeholders say nothing; an unknown word may be a marking we have not seen yet
    ("—", "empty"),
    ("无", "empty"),
    ("待定", "unknown"),
])
def test_validity_status(value, status):
    assert validity_status(value) == status


def test_validity_labels_and_valid_until_range():
    """效力状态/时效性 are validity labels, 效力级别 (legal rank) is not; an 有效期 range ends
    on its last date, and a date inside the validity value is its end (issue 11)."""
    row = "<table><tr><th>{0}：</th><td>{1}</td><th>主题词：</th><td></td></tr>{2}</table>"
    assert extract_doc_meta(snippet(row.format("效力状态", "部分有效", "")))["validity"] == "部分有效"
    assert extract_doc_meta(snippet(row.format("时效性", "已修订", "")))["validity"] == "已修订"
    rank = extract_doc_meta(snippet(row.format("效力级别", "地方规范性文件", "")))
    assert rank["validity"] is None
    ranged = extract_doc_meta(snippet(row.format(
        "有效性", "有效", "<tr><th>有效期：</th><td>2024年1月1日至2025年12月31日</td></tr>")))
    assert (ranged["validity"], ranged["valid_until"]) == ("有效", "2025-12-31")
    # 开普云-style list markup, label 有效期限 (blind fixture kaipu_city)
    kaipu = extract_doc_meta(snippet(
        '<div class="xxgk-info"><ul><li><label>有 效 性：</label><span>有效</span></li>'
        '<li><label>有效期限：</label><span>2023年7月1日至2026年6月30日</span></li></ul></div>'))
    assert (kaipu["validity"], kaipu["valid_until"]) == ("有效", "2026-06-30")
    # DedeCMS-style table with 文件类型 after 有效性 (blind fixture dede_bureau): not part of the value
    dede = extract_doc_meta(snippet(row.format("有效性", "有效", "<tr><th>文件类型：</th><td>规范性文件</td>"
                                                 "<th>有效期：</th><td>2024年9月20日至2026年9月19日</td></tr>")))
    assert (dede["validity"], dede["valid_until"]) == ("有效", "2026-09-19")
    inline = extract_doc_meta(snippet(row.format("有效性", "有效（2027年12月31日前）", "")))
    assert inline["valid_until"] == "2027-12-31"


def test_validity_status_custom_known_set():
    assert validity_status("继续有效", known=("继续有效",)) == "ok"
    assert validity_status("有效", known=("继续有效",)) == "unknown"


# ---------------------------------------------------------------------------
# Interpretation titles
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("title", [
    "《临川市促进民营经济发展若干措施》政策解读",
    "关于《临川市促进民营经济发展若干措施》的解读",
    "一图读懂临川市促进民营经济发展若干措施",
    "图解：临川市促进民营经济发展若干措施",
    "市发展改革委负责人就《临川市促进民营经济发展若干措施》答记者问",
    "【文字解读】临川市促进民营经济发展若干措施",
    "图文解读：《万载县2022年国民经济和社会发展统计公报》",
    "《江西省2022年国民经济和社会发展统计公报》解读",
    "政策问答",
    "《临川市促进民营经济发展若干措施》解读（图文）",
])
def test_interpretation_titles(title):
    assert is_interpretation_title(title)


@pytest.mark.parametrize("title", [
    "临川市人民政府办公室关于印发《临川市政策解读工作制度》的通知",
    "关于做好政策解读工作的通知",
    "临川市人民政府办公室关于加强政策解读回应工作的意见",
    "临川市促进民营经济发展若干措施",
    "政策解读工作会议召开",
    "进一步提升监管有效性",
    "",
])
def test_not_interpretation_titles(title):
    assert not is_interpretation_title(title)


CORE = "临川市促进民营经济发展若干措施"


@pytest.mark.parametrize("title", [
    "临川市人民政府办公室关于印发《临川市促进民营经济发展若干措施》的通知",
    "关于印发临川市促进民营经济发展若干措施的通知",
    "《临川市促进民营经济发展若干措施》政策解读",
    "关于《临川市促进民营经济发展若干措施》的解读",
    "一图读懂临川市促进民营经济发展若干措施",
    "一图读懂《临川市促进民营经济发展若干措施》",
    "图解：临川市促进民营经济发展若干措施",
    "【文字解读】《临川市促进民营经济发展若干措施》",
    "市发展改革委负责人就《临川市促进民营经济发展若干措施》答记者问",
    " 《临川市促进民营经济发展若干措施》 解读 ",
])
def test_core_title_strips_wrappers(title):
    assert core_title(title) == CORE


def test_core_title_matches_issuer_and_notice_forms():
    doc = "临川市人民政府关于进一步优化营商环境的若干意见"
    assert core_title(doc) == core_title("关于进一步优化营商环境的若干意见的解读")
    assert core_title(doc) == core_title("《临川市人民政府关于进一步优化营商环境的若干意见》解读")
    assert core_title("关于做好2026年春节期间安全生产工作的通知") == \
        core_title("《关于做好2026年春节期间安全生产工作的通知》政策解读")
    assert core_title("国务院办公厅关于转发《A市关于XX工作的意见》的通知") == core_title("XX工作的意见")


# ---------------------------------------------------------------------------
# Related links and body text
# ---------------------------------------------------------------------------

def test_related_links_blocks_and_kinds():
    doc = snippet("""
      <nav><a href="/zcjd/">政策解读</a><a href="/xxgk/">信息公开</a></nav>
      <div class="content"><p>正文……</p>
        <p>【相关解读】<a href="../jd/1.html">《某某办法》解读</a></p>
        <p>相关文件：<a href="/wj/2.html" title="关于印发某某办法的通知">关于印发某某办法的通知</a>
           <a href="javascript:void(0)">打印</a></p>
      </div>
      <div class="xgjd"><h3>图片解读</h3>
        <ul><li><a href="http://other.gov.cn/tj/3.html">某某办法</a></li></ul></div>
      <div><h3>关联稿件：</h3><ul><li><a href="/gj/4.html">某某办法实施细则</a></li></ul></div>
      <div><span>原文链接：</span><a href="/yw/5.html">某某办法</a></div>
    """)
    links = related_links(doc, "http://www.example.gov.cn/a/b/page.html")
    assert links == [
        {"url": "http://www.example.gov.cn/a/jd/1.html", "text": "《某某办法》解读",
         "kind": "interpretation"},
        {"url": "http://www.example.gov.cn/wj/2.html", "text": "关于印发某某办法的通知",
         "kind": "document"},
        {"url": "http://other.gov.cn/tj/3.html", "text": "某某办法", "kind": "interpretation"},
        {"url": "http://www.example.gov.cn/gj/4.html", "text": "某某办法实施细则",
         "kind": "document"},
        {"url": "http://www.example.gov.cn/yw/5.html", "text": "某某办法", "kind": "document"},
    ]


def test_related_links_anchor_text_decides_kind_under_neutral_label():
    doc = snippet('<div class="article-reldocuments"><h3><span>关联稿件：</span></h3><ul>'
                  '<li><a href="/a.html">一图读懂某某办法</a></li>'
                  '<li><a href="/b.html">某某负责人答记者问</a></li></ul></div>')
    kinds = [link["kind"] for link in related_links(doc, "http://x.gov.cn/")]
    assert kinds == ["interpretation", "interpretation"]


def test_related_links_block_ends_at_attachments():
    doc = snippet('<div class="c"><p>正文</p><p>相关解读：</p>'
                  '<p><a href="/j1.html">《某某办法》解读</a></p>'
                  '<p>附件：<a href="/f.pdf">附件1.pdf</a></p></div>')
    assert [link["url"] for link in related_links(doc, "http://a.gov.cn/x/")] == [
        "http://a.gov.cn/j1.html"]


def test_related_links_ignore_label_in_prose():
    doc = snippet('<p>要做好政策解读工作，<a href="/x.html">点击这里</a>。</p>')
    assert related_links(doc, "http://x.gov.cn/") == []


def test_body_text_drops_scripts_comments_and_hidden():
    doc = snippet('<div class="TRS_Editor"><style>.a{}</style><script>var a="国发〔2001〕1号";</script>'
                  '<!-- 国发〔2002〕2号 --><p>依据 国发〔2018〕43号 执行。</p>'
                  '<p class="ng-hide">国发〔2003〕3号</p></div><div>页脚</div>')
    text = body_text(doc)
    assert text == "依据 国发〔2018〕43号 执行。"
    assert find_doc_numbers(text) == ["国发〔2018〕43号"]


def test_body_text_falls_back_to_whole_body():
    doc = snippet("<div><p>第一段</p><p>第二段</p></div>")
    assert body_text(doc) == "第一段\n第二段"


def test_related_links_resolve_against_base_href() -> None:
    """One <base href> rule for every extractor: related_links used the page URL alone."""
    doc = lxml.html.fromstring("<html><head><base href='/zwgk/zcjd/'></head><body>"
                               "<p>相关解读：<a href='jd1.html'>《某办法》政策解读</a></p></body></html>")
    links = related_links(doc, "http://www.example.gov.cn/zwgk/wj/t1.html")
    assert [r["url"] for r in links] == ["http://www.example.gov.cn/zwgk/zcjd/jd1.html"]


def test_the_end_of_validity_the_document_states_in_its_own_text():
    """No 有效期 field: the closing clause of a 规范性文件 says when it ends; only a clause about the
    document itself counts, a later one wins, and 继续有效 leaves the end unknown."""
    from govaudit.crawler.docmeta import valid_until_in_text as until

    assert until("第四条　本办法自2024年6月20日起施行，有效期2年，至2026年6月19日止。", AS_OF) == "2026-06-19"
    assert until("本规定自2023年1月1日起施行，有效期三年。", AS_OF) == "2025-12-31"
    assert until("本办法由县司法局负责解释，自2021年3月1日起施行，有效期3年。", AS_OF) == "2024-02-29"
    assert until("本通知自印发之日起施行，有效期至2027年12月31日。", AS_OF) == "2027-12-31"
    assert until("本意见自印发之日起施行，有效期5年。", AS_OF, issued="2020-03-05") == "2025-03-04"
    assert until("本意见自印发之日起施行，有效期5年。", AS_OF) is None  # no 成文日期: unknown
    assert until("本办法自2024年1月1日起施行，有效期5年，原《某某办法》同时废止。", AS_OF) == "2028-12-31"
    assert until("本办法有效期至2025年12月31日。根据工作需要，本办法有效期延长至2028年12月31日。", AS_OF) == "2028-12-31"
    for other in ("本通知所称证照有效期至2025年1月1日。", "原《管理办法》有效期至2024年12月31日。",
                  "企业应在证书有效期届满前30日申请。", "本办法有效期至2025年12月31日，经评估继续有效。"):
        assert until(other, AS_OF) is None, other


def test_a_number_cited_after_a_verb_with_le():
    assert find_doc_numbers("近日，青柳镇人民政府印发了青柳府规〔2026〕1号文件") == ["青柳府规〔2026〕1号"]
    assert find_doc_numbers("省政府颁布了川府规〔2024〕2号") == ["川府规〔2024〕2号"]


def test_a_file_number_label_is_the_doc_number():
    """PowerEasy/ASP.NET 2-column tables print the 文号 as 文件编号 and the 成文日期 as 生成日期."""
    dm = extract_doc_meta(snippet('<table class="wjxx"><tr><td>索引号</td><td>11532935MB0R12345T/2026-00205</td></tr>'
                                  "<tr><td>生成日期</td><td>2026-11-04</td></tr><tr><td>文件编号</td><td>云市监发〔2026〕19号</td></tr>"
                                  "<tr><td>发布日期</td><td>2026-11-05</td></tr><tr><td>有效性</td><td>有效</td></tr></table>"))
    assert (dm["doc_number"], dm["written_date"], dm["validity"]) == ("云市监发〔2026〕19号", "2026-11-04", "有效")
