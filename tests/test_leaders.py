"""领导信息 pages (crawler/leaders.py) and the incomplete_leader_info check: page in, facts out; then a
real audit of a small loopback portal. A medium finding only where a page plainly lists leaders and
gives no 分工 (or 职务); anything less certain is info, 需人工核实; a nav label 领导信息 is no leader page."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import read_corpus_page
from demo.server import PortalServer
from govaudit import score as sc
from govaudit.checks import registry
from govaudit.checks.incomplete_leader_info import judge
from govaudit.crawler import facts as page_facts
from govaudit.crawler.leaders import extract_leaders, leader_signal, person_name, position_of
from govaudit.crawler.listing import parse_html
from portal import ROOT, run_cli, write_config

NAV = ("<div class='nav'><ul><li><a href='/'>首页</a></li><li><a href='/ldxx/'>领导信息</a></li>"
       "<li><a href='/hdjl/xzxx.html'>县长信箱</a></li><li><a href='/zwgk/'>政务公开</a></li></ul></div>")
FOOT = "<div class='footer'><p>主办：青山县人民政府办公室　网站标识码：3600000001</p></div>"


def page(title: str, body: str, column: str = "", crumb: str = "") -> str:
    meta = f"<meta name='ColumnName' content='{column}'>" if column else ""
    pos = f"<div class='position'>当前位置：<a href='/'>首页</a> &gt; {crumb}</div>" if crumb else ""
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{meta}</head>"
            f"<body><div class='header'><img src='/images/logo.png' alt='青山县人民政府'></div>{NAV}{pos}"
            f"<div class='main'>{body}</div>{FOOT}</body></html>")


def leaders_of(html: str, url: str = "http://www.qs.gov.cn/ldxx/index.html") -> dict | None:
    return page_facts.extract(parse_html(html), url, text="", as_of="2026-11-21").get("leaders")


def by_name(facts: dict) -> dict[str, dict]:
    return {e["name"]: e for e in facts["entries"] if e["name"]}


# ---------------------------------------------------------------------------------------------- shapes

TABLE = page("领导班子_青山县统计局", """
<table class="ld-table"><tr><th>照片</th><th>姓 名</th><th>职 务</th><th>工作分工</th></tr>
<tr><td><img src="/ldxx/zhang.jpg"></td><td>张建国</td><td>党组书记、局长</td><td>主持局全面工作，负责财务、审计工作。</td></tr>
<tr><td><img src="/ldxx/li.jpg"></td><td>李　红</td><td>党组成员、副局长</td><td>负责统计执法、办公室工作。</td></tr>
<tr><td></td><td>欧阳明辉</td><td>四级调研员</td><td></td></tr>
</table>""", column="领导班子")


def test_a_table_of_name_position_duties():
    facts = leaders_of(TABLE)
    assert facts["signal"] == "ColumnName:领导班子"
    got = by_name(facts)
    assert list(got) == ["张建国", "李红", "欧阳明辉"]
    assert got["张建国"]["position"] == "党组书记、局长" and got["张建国"]["duties"].startswith("主持局全面工作")
    assert got["张建国"]["photo"] and got["李红"]["photo"] and not got["欧阳明辉"]["photo"]
    assert got["欧阳明辉"]["duties"] is None
    finding = judge("http://www.qs.gov.cn/ldxx/index.html", facts, {})
    # a table with a 分工 column that leaves one leader's cell empty: plain, so medium
    assert finding["severity"] == "medium" and finding["data"]["missing_duties"] == ["欧阳明辉"]
    assert "欧阳明辉未公开分工" in finding["detail"] and finding["found_on"] == [finding["url"]]


LIST = page("领导信息_青山县人民政府", """
<div class="list"><ul>
<li><a href="./202601/t20260105_101.html">陈立新</a><span>2026-01-05</span></li>
<li><a href="./202601/t20260105_102.html">周海燕</a><span>2026-01-05</span></li>
<li><a href="./202601/t20260105_103.html">林志刚</a><span>2026-01-05</span></li>
</ul></div>""", column="领导信息", crumb="<a href='/ldxx/'>领导信息</a>")

DETAIL = page("{name}_青山县人民政府", """
<h1 class="title">{name}</h1><div class="info">发布时间：2026-01-05</div>
<div class="ldxx"><img src="/ldxx/{n}.jpg" alt="{name}">
<dl><dt>姓　　名：</dt><dd>{name}</dd><dt>职　　务：</dt><dd>{position}</dd>{duties}</dl>
<p>简历：{name}，男，汉族，1975年生，大学学历。</p></div>""", column="领导信息",
              crumb="<a href='/ldxx/'>领导信息</a>")


def detail(name: str, position: str, duties: str | None, n: int = 1) -> str:
    d = f"<dt>工作分工：</dt><dd>{duties}</dd>" if duties else ""
    return DETAIL.replace("{name}", name).replace("{position}", position).replace("{duties}", d).replace("{n}", str(n))


def test_a_list_of_names_linking_detail_pages_each_with_resume_and_duties():
    facts = leaders_of(LIST)
    got = by_name(facts)
    assert list(got) == ["陈立新", "周海燕", "林志刚"]
    assert got["陈立新"]["detail"] == "http://www.qs.gov.cn/ldxx/202601/t20260105_101.html"
    assert got["陈立新"]["position"] is None and not facts["duty_text"]
    one = leaders_of(detail("陈立新", "县委副书记、县长", "主持县政府全面工作。负责审计方面工作。"),
                     "http://www.qs.gov.cn/ldxx/202601/t20260105_101.html")
    (e,) = one["entries"]
    assert (e["name"], e["position"], e["photo"], e["resume"]) == ("陈立新", "县委副书记、县长", True, True)
    assert e["duties"] == "主持县政府全面工作。负责审计方面工作。"
    # the list is judged through its detail pages: read ones settle it, unread ones are 需人工核实
    assert judge("http://www.qs.gov.cn/ldxx/index.html", facts, {}) is None
    unread = {"http://www.qs.gov.cn/ldxx/202601/t20260105_103.html": "未抓取"}
    f = judge("http://www.qs.gov.cn/ldxx/index.html", facts, unread)
    assert f["severity"] == "info" and "需人工核实" in f["detail"] and "林志刚" in f["detail"]
    assert f["data"]["unverified"] == [{"name": "林志刚", "detail": "http://www.qs.gov.cn/ldxx/202601/t20260105_103.html",
                                        "reason": "未抓取"}]


TRS_CARDS = page("县政府领导-青山县人民政府", """
<div class="ldlist"><ul>
<li><div class="pic"><a href="./202301/t20230105_1.shtml"><img src="./W020230105.jpg"></a></div>
<div class="txt"><h3><a href="./202301/t20230105_1.shtml">王志强</a></h3><p class="zw">县委副书记、县长</p>
<p>主持县政府全面工作。负责审计、机构编制工作。</p></div></li>
<li><div class="pic"><img src="./W020230106.jpg"></div>
<div class="txt"><h3>刘　芳</h3><p class="zw">县委常委、常务副县长</p><p>负责县政府常务工作，分管财政、税务。</p></div></li>
<li><div class="txt"><h3>司马青云</h3><p class="zw">副县长</p><p>分管教育、卫生健康工作。</p></div></li>
</ul></div>""")


def test_a_trs_style_div_list():
    facts = leaders_of(TRS_CARDS, "http://www.qs.gov.cn/zwgk/xzfld/index.shtml")
    assert facts["signal"] == "title:县政府领导"
    got = by_name(facts)
    assert list(got) == ["王志强", "刘芳", "司马青云"]
    assert got["王志强"]["position"] == "县委副书记、县长" and got["王志强"]["photo"]
    assert got["刘芳"]["duties"] == "负责县政府常务工作，分管财政、税务。" and got["刘芳"]["photo"]
    assert got["司马青云"]["position"] == "副县长" and not got["司马青云"]["photo"]
    assert judge("http://www.qs.gov.cn/zwgk/xzfld/index.shtml", facts, {}) is None


NO_DUTIES = page("领导信息-青山县人民政府", """
<div class="ldbz"><ul>
<li><span class="name">赵德明</span><span class="zw">县委副书记、县长</span></li>
<li><span class="name">钱　伟</span><span class="zw">副县长</span></li>
<li><span class="name">孙丽华</span><span class="zw">副县长</span></li>
</ul></div>""")


def test_names_and_positions_without_duties_is_medium():
    facts = leaders_of(NO_DUTIES)
    got = by_name(facts)
    assert {n: e["position"] for n, e in got.items()} == {"赵德明": "县委副书记、县长", "钱伟": "副县长", "孙丽华": "副县长"}
    f = judge("http://www.qs.gov.cn/ldxx/index.html", facts, {})
    assert f["severity"] == "medium"
    assert f["data"]["missing_duties"] == ["赵德明", "钱伟", "孙丽华"] and f["data"]["missing_position"] == []
    assert f["detail"].startswith("领导信息页面列出了 3 位领导，赵德明、钱伟、孙丽华未公开分工。")
    assert "国办秘函〔2019〕19号" in f["detail"]


def test_duties_elsewhere_on_the_page_make_it_a_prompt_not_an_accusation():
    html = NO_DUTIES.replace("</ul></div>", "</ul><p>班子成员分工详见附件。</p></div>")
    f = judge("http://www.qs.gov.cn/ldxx/index.html", leaders_of(html), {})
    assert f["severity"] == "info" and "需人工核实" in f["detail"]


def test_position_led_lines_and_positions_without_names():
    html = page("领导之窗-青禾县农业农村局", "<table><tr><td><b>局长：</b>王堃 &nbsp;主持全面工作。</td></tr>"
                "<tr><td><b>副局长：</b>李明 &nbsp;分管种植业、农技推广。</td></tr></table>")
    got = by_name(leaders_of(html))
    assert {n: (e["position"], e["duties"]) for n, e in got.items()} == {
        "王堃": ("局长", "主持全面工作。"), "李明": ("副局长", "分管种植业、农技推广。")}
    unnamed = leaders_of(page("领导简介_澄江市生态环境局", "<p>局长：主持全面工作。副局长：负责大气、水污染防治工作。</p>",
                              column="领导信息"))
    assert [(e["name"], e["position"]) for e in unnamed["entries"]] == [(None, "局长"), (None, "副局长")]
    f = judge("http://x/ldxx/t1.shtml", unnamed, {})
    assert f["severity"] == "info" and "未识别出领导姓名" in f["detail"]


def test_a_nav_label_is_not_a_leader_page():
    home = page("青山县人民政府", "<div class='news'><ul><li><a href='/a/1.html'>县领导调研重点项目建设</a></li></ul></div>")
    assert leaders_of(home, "http://www.qs.gov.cn/") is None
    mailbox = page("领导信箱_青山县人民政府", "<p>来信须知</p>", column="领导信箱", crumb="<a href='/hdjl/'>互动交流</a> &gt; 领导信箱")
    assert leaders_of(mailbox) is None
    news = page("区领导带队督导重点项目建设-澜溪区人民政府", "<p>区领导带队督导重点项目建设。</p>",
                crumb="<a href='/xwzx/'>新闻中心</a> &gt; 澜溪要闻")
    assert leaders_of(news) is None
    for label in ("领导活动", "领导讲话", "领导信箱"):
        assert leader_signal(title=f"{label}_某市人民政府") is None
    for label in ("领导信息", "领导之窗", "领导简介", "领导班子", "班子成员", "市政府领导", "局领导"):
        assert leader_signal(title=f"{label}_某市人民政府") == f"title:{label}"


@pytest.mark.parametrize("path", [
    "pingtan_archive_transcribed/pingtan.gov.cn_ghxx_gzjzqk_list_index.html",   # nav 领导之窗
    "hd_gov_cn_jsp/hdzfxxgk_index.jsp.html",                                     # nav 领导分工
    "jiangxi_yichun_wanzai/www.yichun.gov.cn_homepage_2023-10-11_stat.php.html",  # 领导信箱
    "gne_shanxi/www.shanxi.gov.cn_yw_t20190918_693227.html",                      # 领导动态
])
def test_real_pages_with_leader_words_in_their_menus_are_not_leader_pages(corpus, path):
    # No real 领导信息 page is in ../shared/corpus (MANIFEST.tsv): real pages only test the negative side.
    html = read_corpus_page(corpus, path)
    assert leaders_of(html, "http://www.example.gov.cn/x/index.html") is None


def test_names_and_positions_by_shape():
    assert person_name("李　红") == "李红" and person_name("欧阳明辉") == "欧阳明辉"
    assert person_name("热依拉·买买提") == "热依拉·买买提"
    for word in ("领导信息", "政务公开", "首页", "县长信箱", "信息公开", "主持", "高新区"):
        assert person_name(word) is None, word
    assert position_of("县委副书记、县长") == "县委副书记、县长" and position_of("四级调研员") == "四级调研员"
    assert position_of("县长信箱") is None and position_of("负责教育工作") is None


def test_the_check_is_registered_and_the_score_sheet_feeds_it():
    spec = registry()["incomplete_leader_info"]
    assert spec.title == "领导信息不完整" and not spec.veto
    sheet = sc.load_sheet()
    item = next(i for i in sheet.items if i.item == "领导信息")
    assert any(fd.check == "incomplete_leader_info" and fd.deduct == 0.5 for fd in item.feeds)
    fed = {fd.check for i in sheet.items for fd in i.feeds}
    assert "leader_info_incomplete" not in fed
    findings = [{"check": "incomplete_leader_info", "url": f"http://x/ld{i}", "severity": "medium"} for i in range(2)]
    findings.append({"check": "incomplete_leader_info", "url": "http://x/ld9", "severity": "info"})
    r = sc.score_site("甲", findings, sheet)
    assert next(ln for ln in r.lines if ln.item == "领导信息").deduction == 1.0  # info never deducts


# ---------------------------------------------------------------------------------------------- end to end

def _portal(root: Path) -> None:
    files = {
        "index.html": page("青山县人民政府", "<div class='list'><ul>"
                           "<li><a href='/ldxx/index.html'>领导信息</a></li><li><a href='/ldbz/index.html'>领导班子</a></li>"
                           "<li><a href='/ldzc/index.html'>领导之窗</a></li><li><a href='/hdjl/xzxx.html'>县长信箱</a></li>"
                           "</ul></div>"),
        "ldxx/index.html": LIST,
        "ldxx/202601/t20260105_101.html": detail("陈立新", "县委副书记、县长", "主持县政府全面工作。", 1),
        "ldxx/202601/t20260105_102.html": detail("周海燕", "县委常委、常务副县长", "负责县政府常务工作。", 2),
        "ldxx/202601/t20260105_103.html": detail("林志刚", "副县长", None, 3),
        "ldbz/index.html": NO_DUTIES,
        "ldzc/index.html": page("领导之窗_青山县人民政府", "<div class='list'><ul>"
                                "<li><a href='/private/ld1.html'>吴国华</a></li><li><a href='/private/ld2.html'>郑晓东</a></li>"
                                "</ul></div>", column="领导之窗"),
        "private/ld1.html": detail("吴国华", "副县长", "分管农业农村工作。"),
        "private/ld2.html": detail("郑晓东", "副县长", "分管工业和信息化工作。"),
        "hdjl/xzxx.html": page("县长信箱_青山县人民政府", "<p>来信须知：请如实填写。</p>",
                               crumb="<a href='/hdjl/'>互动交流</a> &gt; 县长信箱"),
        "robots.txt": "User-agent: *\nDisallow: /private/\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for n in (1, 2, 3):
        (root / "ldxx" / f"{n}.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpg")
    (root / "images").mkdir(exist_ok=True)
    (root / "images" / "logo.png").write_bytes(b"\x89PNG\r\n")


def test_audit_of_a_small_portal(tmp_path):
    root = tmp_path / "site"
    _portal(root)
    server = PortalServer(root).start()
    cfg = write_config(tmp_path / "c.yaml")
    out = tmp_path / "out"
    proc = run_cli("audit", server.base_url + "/", "--as-of", "2026-11-21", "--out", str(out), "--config", str(cfg))
    server.shutdown()
    assert proc.returncode == 0, proc.stderr
    findings = [json.loads(l) for l in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    got = {f["url"].replace(server.base_url, ""): f for f in findings if f["check"] == "incomplete_leader_info"}
    assert {u: f["severity"] for u, f in got.items()} == {
        "/ldxx/202601/t20260105_103.html": "medium",  # 林志刚: 姓名 and 职务, no 分工 anywhere on his page
        "/ldbz/index.html": "medium",                  # names and positions, no 分工
        "/ldzc/index.html": "info",                    # names linking pages robots.txt keeps us from
    }
    assert got["/ldxx/202601/t20260105_103.html"]["data"]["missing_duties"] == ["林志刚"]
    assert [u.replace(server.base_url, "") for u in got["/ldbz/index.html"]["found_on"]] == ["/ldbz/index.html"]
    prompt = got["/ldzc/index.html"]
    assert "需人工核实" in prompt["detail"] and {u["name"] for u in prompt["data"]["unverified"]} == {"吴国华", "郑晓东"}
    csv = (out / "findings.csv").read_text(encoding="utf-8-sig")
    assert "领导信息不完整" in csv or "incomplete_leader_info" in csv


def test_labelled_names_without_any_position_are_medium_and_a_position_elsewhere_a_prompt():
    html = page("领导信息_青山县水利局", "<dl><dt>姓名：</dt><dd>何建平</dd><dt>工作分工：</dt><dd>主持局全面工作。</dd></dl>"
                "<dl><dt>姓名：</dt><dd>罗小军</dd><dt>工作分工：</dt><dd>负责水旱灾害防御工作。</dd></dl>")
    facts = leaders_of(html)
    assert [(e["name"], e["position"], e["duties"]) for e in facts["entries"]] == [
        ("何建平", None, "主持局全面工作。"), ("罗小军", None, "负责水旱灾害防御工作。")]
    f = judge("http://x/ldxx/", facts, {})
    assert f["severity"] == "medium" and f["data"]["missing_position"] == ["何建平", "罗小军"]
    assert "何建平、罗小军未公开职务" in f["detail"]
    elsewhere = leaders_of(html.replace("<dl>", "<p>局长</p><dl>", 1))
    assert judge("http://x/ldxx/", elsewhere, {})["severity"] == "info"


FIXTURES = ROOT / "tests" / "fixtures"


def _fixture(rel: str, url: str) -> dict | None:
    from govaudit.crawler.text import decode_html

    return leaders_of(decode_html((FIXTURES / rel).read_bytes(), ""), url)


def test_portal7_leader_pages_are_complete():
    """EXPECTED.md: each of the 3 leader pages has 姓名, 职务, 工作分工, photo and 简历; the 大汉 jpage list
    (CDATA records) names them and links each page."""
    base = "http://www.qinglan.gov.cn"
    listing = _fixture("portal7/col/col1252/index.html", f"{base}/col/col1252/index.html")
    assert {n: e["detail"] for n, e in by_name(listing).items()} == {
        "陈立新": f"{base}/art/2026/7/15/art_1252_3201.html", "周海燕": f"{base}/art/2026/7/15/art_1252_3202.html",
        "林志刚": f"{base}/art/2026/7/15/art_1252_3203.html"}
    for n, name in ((3201, "陈立新"), (3202, "周海燕"), (3203, "林志刚")):
        facts = _fixture(f"portal7/art/2026/7/15/art_1252_{n}.html", f"{base}/art/2026/7/15/art_1252_{n}.html")
        (e,) = facts["entries"]
        assert e["name"] == name and e["position"] and e["duties"] and e["photo"] and e["resume"], e
        assert judge(f"{base}/art/2026/7/15/art_1252_{n}.html", facts, {}) is None
    assert judge(f"{base}/col/col1252/index.html", listing, {}) is None


def test_portal4_leader_window_in_gb2312():
    facts = _fixture("portal4/ldzc.asp", "http://www.qhx.gov.cn/ldzc.asp")
    assert [(e["name"], e["position"]) for e in facts["entries"]] == [("王堃", "局长"), ("李明", "副局长")]
    assert judge("http://www.qhx.gov.cn/ldzc.asp", facts, {}) is None


def test_hostile_leader_pages_stay_linear():
    import time

    long_line = page("领导信息", "<p>" + "局长：主持工作。" * 20000 + "</p>")
    rows = page("领导信息", "<table><tr><th>姓名</th><th>职务</th></tr>" + "<tr><td>王强</td><td>副局长</td></tr>" * 20000
                + "</table>")
    started = time.monotonic()
    for html in (long_line, rows):
        assert len(leaders_of(html)["entries"]) == 60  # MAX_ENTRIES kept
    assert time.monotonic() - started < 5


KAIPU_CARDS = page("领导信息_澄川市人民政府", """
<div class="list-title"><h2>市政府领导</h2></div>
<div class="ld-item"><div class="ld-photo"><img src="/images/ld/zmy.png" alt="张明远"></div><div class="ld-info"><h3>张明远</h3>
<p class="zw"><b>职　　务：</b>市委副书记、市长</p><p class="fg"><b>分　　工：</b>主持市政府全面工作。负责审计方面工作。</p></div></div>
<div class="ld-item"><div class="ld-photo"><img src="/images/ld/cxy.png" alt="陈晓燕"></div><div class="ld-info"><h3>陈晓燕</h3>
<p class="zw"><b>职　　务：</b>副市长</p><p class="fg"><b>分　　工：</b>负责教育、卫生健康、文化旅游等方面工作。</p></div></div>
<div class="ld-item"><div class="ld-photo"><img src="/images/ld/zzg.png" alt="赵志刚"></div><div class="ld-info"><h3>赵志刚</h3>
<p class="zw"><b>职　　务：</b>副市长、市公安局局长</p></div></div>""", column="领导信息")


def test_a_card_with_a_labelled_position_and_no_duties_is_a_leader_without_duties():
    """Blind fixture kaipu_city: the last card (name heading, 职务 label, no 分工 label) was dropped as
    a stray name, so the page looked complete."""
    facts = leaders_of(KAIPU_CARDS, "http://www.cc.gov.cn/zwgk/ldxx/index.html")
    got = by_name(facts)
    assert list(got) == ["张明远", "陈晓燕", "赵志刚"]
    assert got["赵志刚"]["position"] == "副市长、市公安局局长" and not got["赵志刚"]["duties"] and got["赵志刚"]["photo"]
    f = judge("http://www.cc.gov.cn/zwgk/ldxx/index.html", facts, {})
    # the others' 分工 are on the page: a prompt naming him, not an accusation
    assert f["data"]["missing_duties"] == ["赵志刚"] and f["severity"] == "info" and "赵志刚" in f["detail"]


def test_duties_under_a_heading_of_their_own_are_the_duties():
    """TRS detail pages print <h3>工作分工</h3><p>……</p>: the heading is a label without a colon."""
    html = page("林振华_领导之窗", """<div class="ld-detail"><div class="ld-photo"><img src="lzh.png" alt="林振华"></div>
<div class="ld-info"><h2 class="ld-name">林振华</h2><p class="ld-zw">职务：市委副书记、市长</p>
<div class="ld-item"><h3>个人简历</h3><p>林振华，男，汉族，1970年3月生，研究生学历。</p></div>
<div class="ld-item"><h3>工作分工</h3><p>领导市政府全面工作。负责审计方面工作。</p></div></div></div>""",
                column="领导之窗")
    (e,) = leaders_of(html, "http://www.qs.gov.cn/ldzc/linzhenhua/index.html")["entries"]
    assert (e["name"], e["position"], e["resume"], e["duties"]) == ("林振华", "市委副书记、市长", True, "领导市政府全面工作。负责审计方面工作。")
    without = html.replace("<div class=\"ld-item\"><h3>工作分工</h3><p>领导市政府全面工作。负责审计方面工作。</p></div>", "")
    (e,) = leaders_of(without, "http://www.qs.gov.cn/ldzc/linzhenhua/index.html")["entries"]
    assert e["duties"] is None and e["resume"]


def test_a_rare_surname_under_a_name_header_is_a_leader():
    """字国华 (a Bai surname) is in no surname list; under 姓名, beside a position, it is a name."""
    html = page("领导信息", """<table class="ldxx"><tr><th>姓名</th><th>职务</th><th>分工</th></tr>
<tr><td>杨建明</td><td>党组书记、局长</td><td>主持局全面工作。</td></tr>
<tr><td>字国华</td><td>党组成员、副局长</td><td></td></tr>
<tr><td>工作职责</td><td>详见机构职能</td><td></td></tr></table>""", column="领导信息")
    got = by_name(leaders_of(html))
    assert list(got) == ["杨建明", "字国华"] and got["字国华"]["duties"] in (None, "")
