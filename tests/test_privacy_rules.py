"""Personal-data rules: what must be found, and the look-alikes that must not be."""
from __future__ import annotations

import lxml.html
import pytest

from govaudit.checks.privacy_rules import (Block, TableBlock, blocks_from_extraction, luhn, scan_blocks,
                                           scan_html, scan_table, scan_text, valid_id15, valid_id18)
from govaudit.crawler.attachments import Extraction, Table

ID_A = "110101199003074514"
ID_B = "350502198512310026"
ID_BAD_DATE = "440306200102291236"     # checksum right, 2001-02-29 does not exist
ID_BAD_SUM = "110101199003074515"
OLD_ID = "350102880808123"             # 15 digits, born 1988-08-08
CARD = "6222021234567890128"           # Luhn-valid
CARD_BAD = "6222021234567890127"


def kinds(hits):
    return sorted(h.kind for h in hits)


def test_checksums():
    assert valid_id18(ID_A) and valid_id18(ID_B) and valid_id18("11010519491231002X")
    assert not valid_id18(ID_BAD_SUM) and not valid_id18(ID_BAD_DATE)
    assert valid_id15(OLD_ID) and not valid_id15("350102881308123")
    assert luhn(CARD) and not luhn(CARD_BAD)


@pytest.mark.parametrize("text", [
    f"张三，身份证号{ID_A}，住址……",
    f"身份证号：{ID_A[:-1]}x",  # lower-case x would be ID_A only if the digit were X: tested below
])
def test_id18_in_text(text):
    hits = scan_text(text)
    if text.endswith("x"):
        assert hits == []
    else:
        assert kinds(hits) == ["id18"] and hits[0].masked == "1101**********4514"


def test_full_width_digits_and_lowercase_x():
    assert kinds(scan_text("身份证：１１０１０５１９４９１２３１００２ｘ")) == ["id18"]


@pytest.mark.parametrize("text", [
    f"订单号{ID_BAD_SUM}",
    f"编号 {ID_BAD_DATE}",
    "统一社会信用代码：91350100MA2XYZ1234",
    "统一社会信用代码：113501000036543210",    # all digits, checksum fails
    "交易流水号202611031234567890",
    "身份证号：3505**********1234",
    "身份证号：35**************123",
    "索引号：11350100003654321X/2026-00123",
    f"卡号{ID_A}1",                            # 19 digits: not an ID inside a longer run
])
def test_id_lookalikes_not_flagged(text):
    assert [h for h in scan_text(text, context="低保公示") if h.kind.startswith("id")] == []


def test_id15_needs_id_label():
    assert kinds(scan_text(f"身份证号码：{OLD_ID}")) == ["id15"]
    assert scan_text(f"注册号：{OLD_ID}") == []
    assert kinds(scan_table([["姓名", "证件号码"], ["李四", OLD_ID]])) == ["id15"]
    assert scan_table([["单位", "注册号"], ["某公司", OLD_ID]]) == []


def test_mobiles_in_person_table():
    rows = [["序号", "姓名", "联系电话", "补贴金额"], ["1", "张三", "13812345678", "300"],
            ["2", "李四", "138****1234", "300"], ["3", "王五", "0591-87654321", "300"]]
    hits = scan_table(rows, where="附件表格“Sheet1”", context="2026年城乡低保公示")
    assert kinds(hits) == ["mobile"]
    assert hits[0].masked == "138****5678" and hits[0].where == "附件表格“Sheet1”“联系电话”列"


def test_mobiles_not_flagged_outside_person_context():
    office = [["单位", "联系电话"], ["市民政局", "13812345678"], ["市财政局", "0591-87654321"]]
    assert scan_table(office, context="2026年城乡低保公示") == []   # no person column
    person = [["姓名", "电话"], ["张三", "13812345678"]]
    assert scan_table(person, context="通讯录下载") == []            # not a 公示/名单 context


@pytest.mark.parametrize("text", [
    "低保公示：如有异议请致电民政局 13812345678。",                    # one contact number
    "低保公示 监督电话：12345，0591-87654321，0591-12345678",
    "低保公示 编号 8613812345678901 201381234567890 113812345678",     # inside longer digit runs
    "低保公示 张三 138****1234 李四 139****5678 王五 137****0000",     # masked
])
def test_mobile_lookalikes_in_text(text):
    assert [h for h in scan_text(text, context="低保公示") if h.kind == "mobile"] == []


def test_a_letter_writers_mobile_beside_the_writer():
    # blind fixture empire_county: a 县长信箱 letter printed with its writer's mobile in full
    row = [["来信人", "张**", "联系电话", "13857816624"], ["来信时间", "2026-09-14 08:47", "办理状态", "已回复"]]
    assert [h.masked for h in scan_table(row, context="反映东岭乡某养猪场异味扰民问题")] == ["138****6624"]
    assert kinds(scan_text("留言人：李先生  手机：13912345678")) == ["mobile"]
    assert kinds(scan_table([["留言人", "联系电话", "留言时间"], ["王**", "13712345678", "2026-10-01"]])) == ["mobile"]
    # an office's number given in the reply, a masked one, no writer named: not the writer's
    assert scan_text("留言人：李先生\n答复：请联系县住建局经办人，电话 13912345678。") == []
    assert scan_text("来信人：张**  联系电话：139****5678") == []
    assert scan_text("联系电话：13912345678") == []


def test_context_comes_from_the_caller_not_the_nav():
    text = "首页 公示公告 名单\n村干部：张 13812345678 李 13912345678 王 13712345678"
    assert scan_text(text, context="村干部联系方式") == []
    assert scan_text(text, context="村务动态") == []
    assert scan_table([["姓名", "联系电话"], ["张", "13812345678"]], context="低保经办人员通讯录") == []


def test_mobile_list_in_text():
    text = "拟享受补贴人员名单：张三 13812345678；李四 13912345678；王五 +86 13712345678"
    hits = scan_text(text, context="拟享受补贴人员名单公示")
    assert kinds(hits) == ["mobile"] * 3


def test_spaced_mobiles_in_list():
    hits = scan_text("张三 138 1234 5678；李四 139-1234-5678；王五 13712345678", context="困难群众慰问名单")
    assert sorted(h.masked for h in hits) == ["137****5678", "138****5678", "139****5678"]
    assert scan_text("电话 0591-8765-4321 0591 8765 4321 400-123-4567", context="困难群众慰问名单") == []


def test_bank_cards():
    rows = [["户主", "银行卡号", "金额"], ["张三", CARD, "500"], ["李四", CARD_BAD, "500"]]
    assert kinds(scan_table(rows, context="惠民补贴发放名单")) == ["bank_card"]
    assert kinds(scan_text(f"张三 卡号：{CARD}", context="补贴发放名单")) == ["bank_card"]
    assert kinds(scan_text("张三 卡号：6222 0212 3456 7890 128", context="补贴发放名单")) == ["bank_card"]


@pytest.mark.parametrize("text", [
    f"补贴发放名单 收款账号：{CARD}（开户行：某银行）",   # collecting account of the office
    f"补贴发放名单 流水号{CARD}",                        # no label
    f"补贴发放名单 卡号：{CARD_BAD}",                    # fails Luhn
    f"新闻 张三 卡号：{CARD}",                            # not a person list context
    "补贴发放名单 卡号：6222***********0128",
])
def test_bank_card_lookalikes(text):
    context, _, body = text.partition(" ")
    assert [h for h in scan_text(body, context=context.replace("新闻", "")) if h.kind == "bank_card"] == []
    assert [h for h in scan_text(text) if h.kind == "bank_card"] == []


def test_id_column_in_table_and_masked_column():
    rows = [["姓名", "身份证号", "备注"], ["张三", ID_A, ""], ["李四", "3505**********1234", ""],
            ["王五", ID_B, "复核"]]
    out = scan_blocks([TableBlock(rows, where="页面表格1")])
    assert len(out) == 1 and out[0].kind == "id18" and out[0].count == 2
    assert out[0].where == ["页面表格1“身份证号”列"]
    assert ID_A not in repr(out) and ID_B not in repr(out)


def test_scan_blocks_counts_distinct_numbers_once():
    out = scan_blocks([Block(f"{ID_A} {ID_A}"), Block(f"又见 {ID_A}", where="第2段")])
    assert out[0].count == 1 and out[0].where == ["正文", "第2段"]


HTML = f"""<html><head><title>关于2026年第三批临时救助对象的公示</title></head><body>
<table class="layout"><tr><td>
  <div class="nav">首页 | 政务公开 | 服务热线 12345</div>
  <p>经审核，下列人员符合临时救助条件，现予公示。联系电话：0591-87654321。</p>
  <table><tr><th>序号</th><th>姓名</th><th>身份证号码</th><th>手机号码</th></tr>
    <tr><td>1</td><td>张三</td><td>{ID_A}</td><td>13812345678</td></tr>
    <tr><td>2</td><td>李四</td><td>3505**********1234</td><td>139****5678</td></tr></table>
  <p>经办人身份证号 {ID_B}。</p>
  <script>var orderNo = "{ID_A}";</script>
</td></tr></table></body></html>"""


def test_html_page_tables_and_text():
    doc = lxml.html.fromstring(HTML)
    out = {f.kind: f for f in scan_html(doc, context=doc.findtext(".//title"))}
    assert set(out) == {"id18", "mobile"}
    assert out["id18"].count == 2
    assert set(out["id18"].where) == {"页面表格1“身份证号码”列", "正文"}
    assert out["mobile"].count == 1 and out["mobile"].samples == ["138****5678"]


def test_html_without_personal_data():
    doc = lxml.html.fromstring("<html><body><p>统一社会信用代码 91350100MA2XYZ1234，热线 12345，"
                               "电话 0591-87654321，文号 榕政〔2026〕12号，索引号 000014348/2026-00123</p>"
                               "<table><tr><th>单位</th><th>电话</th></tr><tr><td>民政局</td><td>13812345678</td></tr></table>"
                               "</body></html>")
    assert scan_html(doc, context="低保政策问答") == []


def test_blocks_from_attachment_extraction():
    e = Extraction("ok", "xlsx", tables=[Table("低保名单", [["姓名", "身份证号", "电话"], ["张三", ID_A, "13812345678"]])],
                   paragraphs=["城乡低保对象公示"])
    out = {f.kind: f for f in scan_blocks(blocks_from_extraction(e, context="附件：低保对象.xlsx"))}
    assert set(out) == {"id18", "mobile"}
    assert out["id18"].where == ["附件表格“低保名单”“身份证号”列"]


def test_doc_attachment_table_keeps_header():
    from govaudit.crawler.attachments import extract_bytes
    from ole_build import word_doc

    e = extract_bytes(word_doc(f"2026年低保对象名单\r姓名\x07身份证号\x07手机\x07\x07张三\x07{ID_A}\x0713812345678\x07\x07"), "名单.doc")
    out = {f.kind: f for f in scan_blocks(blocks_from_extraction(e, context="附件"))}
    assert out["id18"].where == ["附件表格“表格1”“身份证号”列"]
    assert out["mobile"].samples == ["138****5678"]
