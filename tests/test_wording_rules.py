"""Misstatement dictionaries: abolished institution names used as current, fixed-phrase typos."""
from __future__ import annotations

import pytest

from govaudit.checks.wording_rules import load_dictionaries, scan

AFTER = "2024-06-01"


def found(text, pub=AFTER, title=""):
    return [(h.wrong, h.suggestion) for h in scan(text, title=title, pub_date=pub)]


@pytest.mark.parametrize("text,wrong,right", [
    ("市国土资源局关于开展土地执法检查的通知", "国土资源局", "自然资源局"),
    ("县卫生和计划生育委员会召开会议", "卫生和计划生育委员会", "卫生健康委员会"),
    ("联系单位：区卫计委", "卫计委", "卫健委"),
    ("市环境保护局发布空气质量周报", "环境保护局", "生态环境局"),
    ("县安全生产监督管理局开展检查", "安全生产监督管理局", "应急管理局"),
    ("市农业局部署春耕", "农业局", "农业农村局"),
    ("区工商行政管理局提醒", "工商行政管理局", "市场监督管理局"),
    ("市质量技术监督局抽查", "质量技术监督局", "市场监督管理局"),
    ("县食品药品监督管理局通告", "食品药品监督管理局", "市场监督管理局"),
    ("市政府法制办公室审查", "法制办公室", "司法局（司法厅）"),
    ("经市法制办审核", "法制办", "司法局（司法厅）"),
    ("福建银保监局发布风险提示", "银保监局", "金融监管局"),
    ("按银保监会要求", "银保监会", "国家金融监督管理总局"),
    ("平原县国土资源局公告", "国土资源局", "自然资源局"),     # 平原 is a place name, not 原…
    ("由太原市国土资源局负责", "国土资源局", "自然资源局"),   # 太原 too
    ("原则上由市食药监局统一受理", "食药监局", "市场监督管理局"),  # 原则 is not 原…
    ("中国保监会有关规定", "保监会", "国家金融监督管理总局"),
    ("市旅游局发布假日出游提示", "旅游局", "文化和旅游局"),
])
def test_abolished_names_used_as_current(text, wrong, right):
    assert found(text) == [(wrong, right)]


@pytest.mark.parametrize("text", [
    "市农业农村局部署春耕",                          # 农业局 is not inside 农业农村局
    "市卫生健康委员会召开会议",
    "市生态环境局发布周报",
    "市文化和旅游局发布提示", "县文化体育和旅游局", "市文化广电和旅游局",  # 旅游局 inside current names
    "银保监会",                                      # after 2023 only; page below is 2022
    "各级农业部门要做好准备", "环境保护部门联合执法",        # 农业部/环境保护部 + 门
    "原市国土资源局的职责整合后", "市原国土资源局办公楼", "（原县环保局）",
    "在原市食药监局工作基础上建立全链条监管", "由原云川市工商局承担的登记业务",  # 在/由 + 原 + place
    "国土资源局更名为自然资源局", "更名前的市环保局", "煤矿安监局", "组建市应急管理局，不再保留市安全生产监督管理局",
    "根据《福建省国土资源厅关于土地登记的通知》办理",      # quoting an old document's title
    "2017年，市环保局开展了专项行动",                   # dated before the reform
    # a leader's 简历 (blind fixture jeecms_city): dated to the month, or a career told in the past
    "2016.03—2019.01\u3000江川市环境保护局党组成员、副局长", "2005-03至2016-03 市环境保护局科长",
    "2000年7月参加工作，历任安平县环境保护局副局长、江川市生态环境局安平分局局长，2023年3月任现职",
    "曾任县环保局局长",
    "自原国家食品药品监督管理总局在全国推行餐饮服务“明厨亮灶”工程以来",  # blind fixture calendar_district
])
def test_not_flagged(text):
    pub = "2022-06-01" if text == "银保监会" else AFTER
    assert found(text, pub=pub) == []


@pytest.mark.parametrize("text", [
    "2019.01—2022.06\u3000江川市环境保护局副局长",        # the post went on after the reform (2019-03-31)
    "2022.06— 江川市环境保护局局长",                       # a post held to this day
    "2026.11.12 市环境保护局召开会议",                     # a full date after the reform
    "现任县环保局局长",
])
def test_a_dated_line_after_the_reform_is_still_flagged(text):
    assert found(text) != []


def test_publication_date_before_reform():
    assert found("市国土资源局关于土地执法检查的通知", pub="2018-06-01") == []
    assert found("按银保监会要求", pub="2023-01-10") == []
    assert found("按银保监会要求", pub="2023-06-01") == [("银保监会", "国家金融监督管理总局")]


def test_undated_page_marked_for_review():
    hits = scan("市国土资源局通知", pub_date=None)
    assert len(hits) == 1 and hits[0].undated


@pytest.mark.parametrize("wrong,right", [
    ("中华人民共合国", "中华人民共和国"), ("中国特色社会主意", "中国特色社会主义"), ("扫黑险恶", "扫黑除恶"),
    ("攻府", "政府"), ("齐齐哈市", "齐齐哈尔市"), ("秸杆", "秸秆"),
])
def test_phrase_typos_with_sentence_and_title(wrong, right):
    hits = scan(f"第一句。依据有关规定，{wrong}相关工作要落实。第三句。", title=f"关于{wrong}的通知", pub_date=AFTER)
    assert [(h.wrong, h.suggestion, h.in_title) for h in hits] == [(wrong, right, True), (wrong, right, False)]
    assert hits[1].sentence == f"依据有关规定，{wrong}相关工作要落实。"


@pytest.mark.parametrize("text", ["中华人民共和国", "中国特色社会主义", "扫黑除恶", "市政府", "齐齐哈尔市", "秸秆综合利用"])
def test_phrase_correct_forms(text):
    assert found(text) == []


CURRENT_NAMES = ["文化广电和旅游局", "文化体育和旅游局", "文化旅游局", "粮食和物资储备局", "国家粮食和物资储备局",
                 "农业农村委员会", "国家金融监督管理总局", "金融监管分局", "市场监督管理局", "应急管理局", "生态环境局"]


def test_every_old_name_contained_in_a_current_name_is_guarded():
    """No current name (every replacement in the dictionary, and known variants) yields a hit."""
    d = load_dictionaries()
    current = {e.right for e in d.entries if e.kind == "institution"} | set(CURRENT_NAMES)
    for name in current:
        assert scan(f"市{name}发布通知", pub_date=AFTER, dicts=d) == [], name


def test_extra_dictionary_file(tmp_path):
    extra = tmp_path / "office.yaml"
    extra.write_text("phrases:\n  - {wrong: 鼓楼去, right: 鼓楼区}\n"
                     "institutions:\n  - {old: 城市管理行政执法局, new: 城市管理局, since: 2020-01-01}\n", encoding="utf-8")
    d = load_dictionaries([extra])
    hits = scan("鼓楼去城市管理行政执法局", pub_date=AFTER, dicts=d)
    assert [(h.kind, h.wrong) for h in hits] == [("phrase", "鼓楼去"), ("institution", "城市管理行政执法局")]
    bad = tmp_path / "bad.yaml"
    bad.write_text("phrases:\n  - {right: x}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="缺少字段"):
        load_dictionaries([bad])


def test_longest_match_and_linear_cost():
    d = load_dictionaries()
    assert [h.wrong for h in scan("市政府法制办公室", pub_date=AFTER, dicts=d)] == ["法制办公室"]
    import time
    text = "这是一段普通的政务公开文字，没有任何错误。" * 20000
    t = time.perf_counter()
    assert scan(text, pub_date=AFTER, dicts=d) == []
    assert time.perf_counter() - t < 1.0


def test_scan_html_title_and_blocks():
    import lxml.html

    from govaudit.checks.wording_rules import scan_html

    doc = lxml.html.fromstring("<html><head><title>x</title><script>var a='中华人民共合国';</script></head><body>"
                               "<h1>关于秸杆禁烧的通知</h1><div>第一段没有问题</div><div>市国土资源局</div>"
                               "<p>落实扫黑险恶专项斗争</p></body></html>")
    hits = scan_html(doc, pub_date=AFTER)
    assert [(h.wrong, h.in_title, h.sentence) for h in hits] == [
        ("秸杆", True, "关于秸杆禁烧的通知"),
        ("国土资源局", False, "市国土资源局"), ("扫黑险恶", False, "落实扫黑险恶专项斗争")]


def test_list_rows_without_text_of_their_own_are_separate_sentences():
    """Blind fixture sudy_town: a 博达 list (<li><a>title</a><span>date</span></li>) read as one
    sentence, so a title with 秸杆 was not seen as just a link to its article: a veto on the list
    page and the home page besides the article's own."""
    import lxml.html

    from govaudit.checks.wording_rules import scan_html

    doc = lxml.html.fromstring('<html><body><ul><li id="line_u8_0"><a href="a.htm">白溪镇召开第四季度村级财务规范会议</a>'
                               '<span>[2026-11-20]</span></li><li><a href="b.htm">关于做好秋冬季秸杆禁烧工作的通知</a>'
                               '<span>[2026-10-09]</span></li></ul><p>正文<b>加粗</b>接着写秸杆。</p></body></html>')
    assert [h.sentence for h in scan_html(doc, pub_date=AFTER)] == [
        "关于做好秋冬季秸杆禁烧工作的通知[2026-10-09]", "正文加粗接着写秸杆。"]


def test_store_candidates_then_apply_dates():
    from govaudit.checks.wording_rules import current_on

    hits = scan("市国土资源局通知，落实扫黑险恶", pub_date=None)
    assert [h.wrong for h in hits] == ["国土资源局", "扫黑险恶"]
    assert [current_on(h, "2018-06-01") for h in hits] == [False, True]
    assert [current_on(h, "2024-06-01") for h in hits] == [True, True]
    assert current_on(hits[0], None) is None
