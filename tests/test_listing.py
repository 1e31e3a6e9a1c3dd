"""List-page recognition on real government pages (read in place from the shared corpus)
and on small synthetic snippets for the markup the corpus lacks."""
from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import read_corpus_page

from govaudit.crawler.listing import (extract_listing, is_column_url, is_detail_url,
                                      parse_html, same_site)
from govaudit.crawler.listing import page_kind as _page_kind


def page_kind(doc, url: str, listing: dict | None = None) -> str:
    """The inspection date is the caller's (no hidden today); these pages are read on 2026-12-02."""
    return _page_kind(doc, url, listing, as_of=date(2026, 12, 2))

PINGTAN_LIST = "pingtan_archive_transcribed/pingtan.gov.cn_ghxx_gzjzqk_list_index.html"
YICHUN_HOME = "jiangxi_yichun_wanzai/www.yichun.gov.cn_homepage_2023-10-11_stat.php.html"
HD_LIST = "hd_gov_cn_jsp/hdzfxxgk_list.jsp.html"
HD_HOME = "hd_gov_cn_jsp/hdzfxxgk_index.jsp.html"
HD_GUIDE = "hd_gov_cn_jsp/hdzfxxgk_gkzn.jsp.html"
ORDOS_LIST = "ordos_trs_list_extracted/egb.ordos.gov.cn_xxgk_xxgknb_list_extracted.html"
JIUJIANG_SEARCH = "jiujiang_search/zmhd.jiujiang.gov.cn_irs_search_result_saved.html"

# Where a saved page does not record its own URL, the URL its breadcrumb points at.
PINGTAN_URL = "https://www.pingtan.gov.cn/zwgk/ghxx/gzjzqk/"
HD_LIST_URL = "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/"
HD_HOME_URL = "http://hdzfxxgk.hd.gov.cn/"
ORDOS_URL = "http://egb.ordos.gov.cn/xxgk/xxgknb/"
NEUTRAL_URL = "http://www.example.gov.cn/abc/page.html"


def _load(corpus: Path, rel: str):
    return parse_html(read_corpus_page(corpus, rel))


def _detail_pages(corpus_dir: Path) -> list[tuple[str, str]]:
    manifest = corpus_dir / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    with manifest.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [(r["local_path"], r["original_url"] if r["original_url"].startswith("http")
             else NEUTRAL_URL) for r in rows if r["page_type"] == "detail"]


def _corpus_dir() -> Path:
    from conftest import CORPUS
    return CORPUS


DETAIL_PAGES = _detail_pages(_corpus_dir())


# --------------------------------------------------------------------------- real lists

def test_pingtan_list(corpus: Path) -> None:
    raw = read_corpus_page(corpus, PINGTAN_LIST)
    doc = parse_html(raw)
    listing = extract_listing(doc, PINGTAN_URL, date(2025, 12, 1))
    static_dates = re.findall(r'<span class="bf-pass">(\d{4}-\d{2}-\d{2})</span>', raw)
    assert listing["is_list"] and not listing["blank"]
    assert len(listing["items"]) == len(static_dates) == 75
    assert [i["date"] for i in listing["items"]] == static_dates      # page order
    assert listing["newest"] == "2025-11-11"
    assert min(i["date"] for i in listing["items"]) == "2021-04-16"
    assert all(i["url"].startswith("https://www.pingtan.gov.cn/zwgk/") for i in listing["items"])
    assert listing["items"][2]["url"] == PINGTAN_URL + "202503/t20250321_97999.htm"
    # Later pages come from an AJAX API (list2.trsapi), not from static URLs.
    assert listing["pagination"] == []
    assert page_kind(doc, PINGTAN_URL, listing) == "list"


def test_ordos_trs_table_list(corpus: Path) -> None:
    doc = _load(corpus, ORDOS_LIST)
    listing = extract_listing(doc, ORDOS_URL, date(2020, 9, 10))
    assert listing["is_list"]
    assert listing["newest"] == "2020-09-03"
    assert len(listing["items"]) == 10 and all(i["date"] for i in listing["items"])
    assert listing["items"][0] == {
        "title": "鄂尔多斯市2019年政府信息公开工作年度报告",
        "url": ORDOS_URL + "202009/t20200903_2748784.html", "date": "2020-09-03"}
    # var countPage = 2 -> one more page; the sidebar column links are not items.
    assert listing["pagination"] == [ORDOS_URL + "index_1.html"]
    assert not any(i["url"].endswith("/") for i in listing["items"])
    assert page_kind(doc, ORDOS_URL, listing) == "list"


def test_hd_catalogue_table_list(corpus: Path) -> None:
    raw = read_corpus_page(corpus, HD_LIST)
    doc = parse_html(raw)
    listing = extract_listing(doc, HD_LIST_URL, date(2020, 8, 10))
    assert listing["is_list"]
    assert listing["newest"] == "2020-08-05"
    # 名称 | 索引号 | 发布机构 | 发布日期: the 索引号 000014348/2020-35428 is no date.
    assert listing["items"] == [{
        "title": "邯郸市教育局关于印发《邯郸市学校安全工作目标管理考核办法》的通知",
        "url": "http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200805_1353179.html",
        "date": "2020-08-05"}]
    count_page = int(re.search(r"var countPage=(\d+)", raw).group(1))
    assert len(listing["pagination"]) == count_page - 1
    assert listing["pagination"][0] == HD_LIST_URL + "index_1.html"
    assert listing["pagination"][-1] == HD_LIST_URL + f"index_{count_page - 1}.html"
    assert page_kind(doc, HD_LIST_URL, listing) == "list"


def test_ordos_list_without_url_hints(corpus: Path) -> None:
    # Relative links keep the list on the page's own site whatever the URL looks like.
    listing = extract_listing(_load(corpus, ORDOS_LIST), NEUTRAL_URL, date(2020, 9, 10))
    assert listing["is_list"] and listing["newest"] == "2020-09-03"


# --------------------------------------------------------------------------- home pages

def test_yichun_home(corpus: Path) -> None:
    doc = _load(corpus, YICHUN_HOME)
    url = "https://www.yichun.gov.cn/"
    listing = extract_listing(doc, url, date(2023, 10, 11))
    assert listing["newest"] == "2023-10-11"
    assert not listing["is_list"]          # a home page is not one column
    assert listing["items"] and all(i["date"] for i in listing["items"])
    # "MM-dd" lists get their year from as_of.
    assert any(i["title"].startswith("宜春市人民政府关于防空警报试鸣的通告") and
               i["date"] == "2023-09-09" for i in listing["items"])
    # A summary "10月9日至10日，…" next to <span class="fr">10-11</span>: the cell wins.
    first = [i for i in listing["items"] if i["title"].startswith("严允：加速打造")]
    assert first and first[0]["date"] == "2023-10-11"
    # Service link farms (other domains) are not news items.
    assert sum(not same_site(i["url"], url) for i in listing["items"]) <= 1
    assert page_kind(doc, url, listing) == "home"
    # meta PageCategory=index marks it as home even under an unhelpful URL.
    assert page_kind(doc, "https://www.yichun.gov.cn/ycsrmzf/stat.php") == "home"


def test_hd_home(corpus: Path) -> None:
    doc = _load(corpus, HD_HOME)
    listing = extract_listing(doc, HD_HOME_URL, date(2020, 8, 10))
    assert listing["newest"] == "2020-08-02"
    # The newest entry links only through <p onclick="xq(1)">: kept, with no URL.
    newest = [i for i in listing["items"] if i["date"] == "2020-08-02"]
    assert newest == [{"title": "邯郸市教育局关于印发《全市教育系统安全专项整治三年行动实施方案》的通知",
                       "url": "", "date": "2020-08-02"}]
    assert len(listing["items"]) == 5
    # The block heading "近期信息公开" above that list is not an entry of it.
    assert all(i["title"] != "近期信息公开" for i in listing["items"])
    assert page_kind(doc, HD_HOME_URL, listing) == "home"


# --------------------------------------------------------------------------- other kinds

def test_jiujiang_search_results(corpus: Path) -> None:
    raw = read_corpus_page(corpus, JIUJIANG_SEARCH)
    doc = parse_html(raw)
    url = "https://zmhd.jiujiang.gov.cn/irs-c-web/"
    listing = extract_listing(doc, url, date(2025, 12, 1))
    assert page_kind(doc, url, listing) == "search"
    assert len(listing["items"]) == raw.count("data-documentid=")
    assert listing["newest"] == "2025-11-28"


def test_hd_guide_is_not_a_list(corpus: Path) -> None:
    doc = _load(corpus, HD_GUIDE)
    listing = extract_listing(doc, "http://hdzfxxgk.hd.gov.cn/xxgkzn/", date(2020, 8, 10))
    assert not listing["is_list"] and not listing["blank"]
    assert page_kind(doc, "http://hdzfxxgk.hd.gov.cn/xxgkzn/", listing) != "list"


@pytest.mark.parametrize("rel, url", DETAIL_PAGES, ids=[p for p, _ in DETAIL_PAGES])
def test_detail_pages_are_not_lists(corpus: Path, rel: str, url: str) -> None:
    doc = _load(corpus, rel)
    for page_url in {url, NEUTRAL_URL}:   # with and without a telling URL
        listing = extract_listing(doc, page_url, date(2026, 1, 1))
        assert not listing["is_list"], page_url
        assert not listing["blank"], page_url
        assert listing["items"] == [] and listing["newest"] is None
        assert page_kind(doc, page_url, listing) == "detail", page_url


def test_corpus_has_the_detail_pages() -> None:
    if not _corpus_dir().is_dir():
        pytest.skip("corpus folder absent")
    rels = {p for p, _ in DETAIL_PAGES}
    assert len(rels) >= 16
    assert "gne_shanxi/www.shanxi.gov.cn_yw_t20190918_693227.html" in rels
    assert "hd_gov_cn_jsp/hdzfxxgk_details.jsp.html" in rels


def test_parse_html_survives_stray_closing_html(corpus: Path) -> None:
    # www.gov.cn includes a complete header file ending in </html>; libxml2 would drop
    # the article after it.
    doc = _load(corpus, "gne_govcn_gongbao/www.gov.cn_gongbao_2007_23_resolution.html")
    assert "第十届全国人民代表大会常务委员会第二十八次会议" in doc.text_content()


# --------------------------------------------------------------------------- synthetic

def _page(body: str, title: str = "通知公告_某某县人民政府", head: str = "") -> str:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>"
            "<div class='header'><ul class='nav'><li><a href='/'>首页</a></li>"
            "<li><a href='/xwzx/'>新闻中心</a></li><li><a href='/zwgk/'>政务公开</a></li>"
            "<li><a href='/hdjl/'>互动交流</a></li></ul></div>"
            f"<div class='main'>{body}</div>"
            "<div class='footer'><a href='/wzdt/'>网站地图</a><a href='/lxwm/'>联系我们</a>"
            "<p>主办单位：某某县人民政府办公室 网站标识码 1234000001 ICP备案号 电话 0477-2258659</p>"
            "</div></body></html>")


def _rows(n: int = 5) -> str:
    return "<ul class='list'>" + "".join(
        f"<li><a href='./202512/t202512{i:02d}_{i}.html'>关于第{i}项重点工作的进展情况通报</a>"
        f"<span>2025-12-{i:02d}</span></li>" for i in range(1, n + 1)) + "</ul>"


COLUMN = "http://www.example.gov.cn/xwzx/gzdt/"


def _extract(html: str, url: str = COLUMN, as_of: date = date(2026, 1, 5)) -> dict:
    return extract_listing(parse_html(html), url, as_of)


def test_dateless_list() -> None:
    html = _page("<ul class='list'>" + "".join(
        f"<li><a href='./2025{m:02d}/t2025{m:02d}01_{m}.html'>关于开展第{m}批专项工作的通知</a></li>"
        for m in range(1, 8)) + "</ul>")
    listing = _extract(html)
    assert listing["is_list"] and not listing["blank"]
    assert len(listing["items"]) == 7
    assert all(i["date"] is None for i in listing["items"])
    assert listing["newest"] is None
    assert listing["items"][0]["url"] == COLUMN + "202501/t20250101_1.html"


@pytest.mark.parametrize("placeholder", ["暂无信息", "此栏目暂无内容", "暂无数据", "没有记录",
                                         "暂无相关信息"])
def test_blank_column_placeholder(placeholder: str) -> None:
    listing = _extract(_page(f"<div class='lm-title'>通知公告</div><div class='list'>"
                             f"<p>{placeholder}</p></div>"))
    assert listing == {"is_list": True, "items": [], "blank": True, "pagination": [],
                       "newest": None}


def test_blank_column_empty_container() -> None:
    listing = _extract(_page("<div class='lm-title'>通知公告</div><ul class='news-list'></ul>"))
    assert listing["blank"] and listing["items"] == []


def test_placeholder_is_ignored_when_items_exist() -> None:
    # pingtan's avalon template carries a hidden "暂无数据" next to the static rows.
    listing = _extract(_page(_rows() + "<div ms-if='error'>暂无数据</div>"))
    assert not listing["blank"] and len(listing["items"]) == 5


def test_bracketed_month_day_dates_across_new_year() -> None:
    html = _page("<ul>" + "".join(
        f"<li><em>[{d}]</em><a href='/art/2025/{i}/1/art_12_{i}.html'>某某县召开第{i}次专题工作会议</a></li>"
        for i, d in enumerate(["01-04", "12-30", "12-02", "11-03"], 1)) + "</ul>")
    listing = _extract(html, "http://www.example.gov.cn/col/col12/index.html", date(2026, 1, 5))
    assert [i["date"] for i in listing["items"]] == [
        "2026-01-04", "2025-12-30", "2025-12-02", "2025-11-03"]
    assert listing["newest"] == "2026-01-04"


def test_dates_in_table_cells_and_h4_rows() -> None:
    html = _page("<ul class='newsList-dotLine'>" + "".join(
        f"<li><h4><a href='/x/xsqdt/202310/{i:032x}.shtml' title='县市区动态第{i}条标题文字'>"
        f"县市区动态第{i}条标题文字</a></h4><span class='time'>2023-10-{i:02d}</span></li>"
        for i in (11, 10, 9)) + "</ul>")
    listing = _extract(html, "https://www.example.gov.cn/x/xsqdt/list.shtml", date(2023, 10, 11))
    assert listing["newest"] == "2023-10-11" and len(listing["items"]) == 3


def test_create_page_html_pagination() -> None:
    listing = _extract(_page(_rows() + "<div class='page'><script>"
                             "createPageHTML(5, 0, \"index\", \"shtml\");</script></div>"))
    assert listing["pagination"] == [COLUMN + f"index_{i}.shtml" for i in range(1, 5)]


def test_create_page_html_with_div_id_variant() -> None:
    listing = _extract(_page(_rows() + "<div id='page_div'></div><script>"
                             "createPageHTML('page_div',4,1,'index','html',62);</script>"))
    assert listing["pagination"] == [COLUMN + f"index_{i}.html" for i in range(1, 4)]


def test_pagination_excludes_the_current_page() -> None:
    listing = _extract(_page(_rows() + "<script>createPageHTML(4, 1, 'index', 'html');</script>"),
                       COLUMN + "index_1.html")
    assert listing["pagination"] == [COLUMN + "index_2.html", COLUMN + "index_3.html"]


def test_next_page_links() -> None:
    pager = ("<div class='pages'><span>1</span><a href='list_2.html'>2</a>"
             "<a href='list_3.html'>3</a><a href='list_2.html'>下一页</a>"
             "<a href='list_7.html'>尾页</a>"
             "<a href='../../zwgk/list_2.html'>下一页</a>"            # another list
             "<a href='./202512/t20251201_1.html'>下一页</a></div>")  # a document
    listing = _extract(_page(_rows() + pager), COLUMN + "list.html")
    assert listing["pagination"] == [COLUMN + f"list_{i}.html" for i in range(2, 8)]


def test_query_string_pagination() -> None:
    pager = ("<div class='pages'><a href='?catid=7&page=2'>下一页</a>"
             "<a href='?catid=7&page=4'>末页</a></div>")
    listing = _extract(_page(_rows() + pager), "http://www.example.gov.cn/news/list.jsp?catid=7")
    assert listing["pagination"] == [
        f"http://www.example.gov.cn/news/list.jsp?catid=7&page={n}" for n in (2, 3, 4)]


def test_hanweb_jpage_datastore() -> None:
    records = "".join(
        f"<record><![CDATA[<li><a href='/art/2025/12/{d}/art_1229_{d}.html' "
        f"title='某某局{d}日工作动态标题'>某某局{d}日工作动态标题</a><span>2025-12-{d:02d}</span></li>]]></record>"
        for d in (20, 18, 3))
    proxy = ("/module/web/jpage/dataproxy.jsp?page=1&webid=3&path=/&columnid=1229"
             "&unitid=3928&webname=x&permissiontype=0")
    html = _page(f"<div id='3928'><script type='text/xml'><datastore><nextgroup><![CDATA["
                 f"<a href=\"{proxy}\"></a>]]></nextgroup><recordset>{records}</recordset>"
                 "</datastore></script></div>")
    url = "http://www.example.gov.cn/col/col1229/index.html"
    listing = _extract(html, url)
    assert listing["is_list"]
    assert [i["date"] for i in listing["items"]] == ["2025-12-20", "2025-12-18", "2025-12-03"]
    assert listing["items"][0]["url"] == "http://www.example.gov.cn/art/2025/12/20/art_1229_20.html"
    assert listing["pagination"] == ["http://www.example.gov.cn" + proxy]


def test_hanweb_empty_datastore_is_blank() -> None:
    html = _page("<div id='3928'><script type='text/xml'><datastore><recordset></recordset>"
                 "</datastore></script></div>")
    listing = _extract(html, "http://www.example.gov.cn/col/col1229/index.html")
    assert listing["blank"] and listing["is_list"]


def test_gbk_decoded_page() -> None:
    html = _page("<table class='gl_list'>" + "".join(
        f"<tr><td><a href='./2025{m:02d}/t2025{m:02d}15_{m}.html'>县政府关于第{m}月重点项目建设的通报</a>"
        f"</td><td> 2025-{m:02d}-15 </td></tr>" for m in (9, 6, 3)) + "</table>")
    html = html.replace("charset='utf-8'", "charset='gbk'")
    decoded = html.encode("gb18030").decode("gb18030")      # as a crawler hands it over
    listing = _extract(decoded, "http://www.example.gov.cn/zwgk/xmjs/")
    assert listing["newest"] == "2025-09-15"
    assert listing["items"][0]["title"] == "县政府关于第9月重点项目建设的通报"


def test_ordos_reencoded_as_gbk_gives_the_same_result(corpus: Path) -> None:
    raw = read_corpus_page(corpus, ORDOS_LIST).replace("charset=utf-8", "charset=gbk")
    decoded = raw.encode("gb18030").decode("gb18030")
    listing = extract_listing(parse_html(decoded), ORDOS_URL, date(2020, 9, 10))
    assert listing["newest"] == "2020-09-03" and len(listing["items"]) == 10


def test_detail_page_with_related_articles() -> None:
    body = "".join(f"<p>　　为进一步做好第{i}阶段的工作，现将有关事项通知如下。各单位要高度重视，"
                   "认真组织，确保各项任务按时保质完成，并及时报送工作情况。</p>" for i in range(1, 5))
    related = "<div class='xgwz'><h3>相关文章</h3><ul>" + "".join(
        f"<li><a href='/xwzx/gzdt/202512/t202512{i:02d}_{i}.html'>某某县召开第{i}次专题会议部署工作</a>"
        f"<span>2025-12-{i:02d}</span></li>" for i in range(1, 7)) + "</ul></div>"
    html = _page(f"<div class='article'><h1>关于做好年度重点工作的通知</h1>"
                 f"<div class='info'>发布时间：2025-12-20 来源：本站</div>"
                 f"<div class='TRS_Editor'>{body}</div></div>{related}")
    for url in ("http://www.example.gov.cn/xwzx/gzdt/202512/t20251220_99.html",
                "http://www.example.gov.cn/xwzx/gzdt/page.html"):
        doc = parse_html(html)
        listing = extract_listing(doc, url, date(2026, 1, 5))
        assert not listing["is_list"] and listing["items"] == []
        assert page_kind(doc, url, listing) == "detail"


def test_list_rows_with_labelled_dates_stay_a_list() -> None:
    html = _page("<ul class='list'>" + "".join(
        f"<li><a href='./202512/t202512{i:02d}_{i}.html'>关于第{i}项重点工作的进展情况通报</a>"
        f"<span>发布时间：2025-12-{i:02d}</span></li>" for i in range(1, 4)) + "</ul>")
    listing = _extract(html, "http://www.example.gov.cn/xwzx/gzdt/page.html")
    assert listing["is_list"] and listing["newest"] == "2025-12-03"


def test_nav_and_column_links_are_not_items() -> None:
    sidebar = "<div class='left'><ul>" + "".join(
        f"<li><a href='../lm{i}/'>信息公开栏目{i}</a></li>" for i in range(10)) + "</ul></div>"
    listing = _extract(_page(sidebar + _rows(3)))
    assert [i["url"] for i in listing["items"]] == [
        COLUMN + f"202512/t202512{i:02d}_{i}.html" for i in (1, 2, 3)]


def test_sitemap_and_search_kinds() -> None:
    sitemap = _page("<h2>网站地图</h2><ul>" + "".join(
        f"<li><a href='/lm{i}/'>栏目名称{i}号</a></li>" for i in range(8)) + "</ul>",
        title="网站地图_某某县人民政府")
    assert page_kind(parse_html(sitemap), "http://www.example.gov.cn/wzdt/") == "sitemap"
    search = _page(_rows(), title="搜索结果")
    url = "http://www.example.gov.cn/search/index.jsp?searchword=%E5%B7%A5%E4%BD%9C"
    assert page_kind(parse_html(search), url) == "search"
    assert page_kind(parse_html(_page(_rows())), "http://www.example.gov.cn/") == "home"
    assert page_kind(parse_html(_page(_rows())), COLUMN) == "list"
    assert page_kind(parse_html(_page("<p>联系电话：0477-2258659</p>")), COLUMN) == "other"


def test_url_helpers() -> None:
    assert is_detail_url("http://a.gov.cn/x/202009/t20200903_2748784.html")
    assert is_detail_url("http://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html")
    assert is_detail_url("http://www.gov.cn/zhengce/content/2018-12/29/content_5353307.htm")
    assert is_detail_url("https://www.yichun.gov.cn/ycsrmzf/tjgb/202305/"
                         "36796cdc82d04268913f2884cf2fe579.shtml")
    assert not is_detail_url("http://a.gov.cn/xxgk/xxgknb/index_1.html")
    assert is_column_url("http://a.gov.cn/xxgk/xxgknb/")
    assert is_column_url("http://a.gov.cn/col/col1229/index.html")
    assert not is_column_url("http://a.gov.cn/x/202009/t20200903_2748784.html")
    assert same_site("http://hdzfxxgk.hd.gov.cn/", "http://www.hd.gov.cn/x")
    assert not same_site("https://www.pingtan.gov.cn/",
                         "http://www.acas.org.cnx7a72968723868.ipv6best.cn/")


def test_same_directory_documents_are_not_pages() -> None:
    # news_123.html beside list.html is a document, not page 124 of the list.
    rows = "<ul class='list'>" + "".join(
        f"<li><a href='news_{n}.html'>某某部门第{n}期工作简报全文</a><span>2025-12-{d:02d}</span></li>"
        for n, d in ((123, 9), (122, 8), (121, 7))) + "</ul>"
    listing = _extract(_page(rows + "<a href='list_2.html'>下一页</a>"), COLUMN + "list.html")
    assert listing["pagination"] == [COLUMN + "list_2.html"]
    assert len(listing["items"]) == 3


def test_jpage_proxy_url_in_a_script() -> None:
    script = ("<script>var url = '/module/web/jpage/dataproxy.jsp?page=1&columnid=88&unitid=9';"
              "</script>")
    listing = _extract(_page(_rows() + script), "http://www.example.gov.cn/col/col88/index.html")
    assert listing["pagination"] == [
        "http://www.example.gov.cn/module/web/jpage/dataproxy.jsp?page=1&columnid=88&unitid=9"]


def test_site_name_title_alone_does_not_make_a_home_page() -> None:
    head = "<meta name='SiteName' content='某某县人民政府'>"
    html = _page(_rows(), title="某某县人民政府", head=head)
    assert page_kind(parse_html(html), "http://www.example.gov.cn/xwzx/") == "list"
    blocks = "".join(f"<div class='box{k}'>{_rows(3)}</div>".replace("<ul class='list'>",
                                                                   f"<ul class='b{k}'>")
                     for k in range(3))
    html = _page(blocks, title="某某县人民政府", head=head)
    assert page_kind(parse_html(html), "http://www.example.gov.cn/mzxrmzf/") == "home"


def test_catalogue_table_with_header_only_is_blank() -> None:
    table = ("<table class='xxgk-list'><tr><th>名称</th><th>索引号</th><th>发布机构</th>"
             "<th>发布日期</th></tr></table>")
    listing = _extract(_page(table), "http://www.example.gov.cn/xxgk/bmwj/")
    assert listing["blank"] and listing["is_list"] and listing["items"] == []


def test_page_without_list_or_placeholder_is_not_blank() -> None:
    html = _page("<div class='container'><form><input name='q'></form></div><ul class='icons'></ul>")
    listing = _extract(html, "http://www.example.gov.cn/hdjl/ldxx/")
    assert not listing["blank"] and not listing["is_list"]
