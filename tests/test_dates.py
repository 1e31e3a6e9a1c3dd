"""Date parsing: every format list and detail pages print, and the digit runs that only
look like dates (文号, 索引号, phone numbers)."""
from __future__ import annotations

from datetime import date

import pytest

from govaudit.crawler.dates import find_dates, labelled_date, parse_date

AS_OF = date(2026, 11, 10)


@pytest.mark.parametrize("text, expected", [
    ("2026-11-03", date(2026, 11, 3)),
    ("2026/11/03", date(2026, 11, 3)),
    ("2026.11.03", date(2026, 11, 3)),
    ("2026年11月3日", date(2026, 11, 3)),
    ("2026 年 11 月 3 日", date(2026, 11, 3)),
    ("2026-11-03 10:22:00", date(2026, 11, 3)),
    ("2026-1-5", date(2026, 1, 5)),
    ("[11-03]", date(2026, 11, 3)),
    ("【11-03】", date(2026, 11, 3)),
    ("11-03", date(2026, 11, 3)),
    ("11/03", date(2026, 11, 3)),
    ("11月3日", date(2026, 11, 3)),
    ("二〇二六年十一月三日", date(2026, 11, 3)),
    ("二○一七年十二月五日", date(2017, 12, 5)),
    ("二〇二五年三月三十一日", date(2025, 3, 31)),
    ("二〇二五年十月二十日印发", date(2025, 10, 20)),
    ("２０２６－１１－０３", date(2026, 11, 3)),
    ("发布时间：2023-05-01", date(2023, 5, 1)),
    ("发布日期:2023年5月1日", date(2023, 5, 1)),
    ("  标题文字 2020-09-03 ", date(2020, 9, 3)),
])
def test_formats(text: str, expected: date) -> None:
    assert parse_date(text, AS_OF) == expected


@pytest.mark.parametrize("text", [
    "临政办发〔2026〕33号",
    "岚综管综〔2021〕35号",
    "国办发[2018]123号",
    "索引号：000014348/2020-35147",
    "014742224A/2023-0043406",
    "PZ00101-1700-2023-00059",
    "举报电话：0477-2258659",
    "电话 010-12345678",
    "2026-02-30",
    "2026-13-01",
    "2025-11-31",
    "13-01",
    "02-30",
    "1985-06-01",
    "2028-01-01",           # more than a year after as_of
    "2023年1-9月",           # a range of months, not a day
    "2023年10-12月",
    "二○一七年",             # a year alone is not a publication date
    "10:22",
    "第3.5条",
    "",
])
def test_rejects(text: str) -> None:
    assert parse_date(text, AS_OF) is None
    assert find_dates(text, AS_OF) == []


def test_year_after_as_of_is_tolerated_by_one_year() -> None:
    assert parse_date("2027-01-01", AS_OF) == date(2027, 1, 1)


@pytest.mark.parametrize("text, as_of, expected", [
    ("12-30", date(2027, 1, 2), date(2026, 12, 30)),     # December seen in January
    ("[12-30]", date(2027, 1, 2), date(2026, 12, 30)),
    ("12月30日", date(2027, 1, 2), date(2026, 12, 30)),
    ("01-02", date(2027, 1, 2), date(2027, 1, 2)),
    ("01-03", date(2027, 1, 2), date(2027, 1, 3)),       # one day of tolerance
    ("01-04", date(2027, 1, 2), date(2026, 1, 4)),       # beyond it: last year
    ("11-11", date(2026, 11, 10), date(2026, 11, 11)),
    ("11-12", date(2026, 11, 10), date(2025, 11, 12)),
    ("02-29", date(2027, 3, 1), date(2024, 2, 29)),      # walks back to a leap year
])
def test_implied_year(text: str, as_of: date, expected: date) -> None:
    assert parse_date(text, as_of) == expected


def test_first_plausible_date_wins() -> None:
    text = "岚综管综〔2021〕35号 索引号 000014348/2020-35147 成文 2021-04-29 发布 2021-04-30"
    assert parse_date(text, AS_OF) == date(2021, 4, 29)


def test_find_dates_in_order() -> None:
    text = "2020-08-05 邯郸市教育局 [08-03] 2019年12月1日 电话0310-1234567 二〇一八年五月四日"
    assert find_dates(text, date(2020, 9, 1)) == [
        date(2020, 8, 5), date(2020, 8, 3), date(2019, 12, 1), date(2018, 5, 4)]


def test_time_after_date_is_not_a_second_date() -> None:
    assert find_dates("发布时间：2025-11-28 16:02:49", AS_OF) == [date(2025, 11, 28)]


def test_labelled_date_prefers_the_most_specific_label() -> None:
    text = "日期：2020-01-01 成文日期：2021-04-29 发布日期：2021-04-30"
    assert labelled_date(text, as_of=AS_OF) == date(2021, 4, 30)
    assert labelled_date(text, labels=("成文日期",), as_of=AS_OF) == date(2021, 4, 29)


@pytest.mark.parametrize("text, expected", [
    ("发布时间：2023-05-01 来源：本站", date(2023, 5, 1)),
    ("发布日期:2023年5月1日", date(2023, 5, 1)),
    ("发 布 日 期： 2023-05-01", date(2023, 5, 1)),
    ("发\u2002布\u2002日\u2002期：2021-04-29", date(2021, 4, 29)),   # &ensp; spacing
    ("生成日期\n2023-08-16", date(2023, 8, 16)),
    ("成文日期：二〇二一年四月二十九日", date(2021, 4, 29)),
    ("时间：[11-03]", date(2026, 11, 3)),
])
def test_labelled_date_forms(text: str, expected: date) -> None:
    assert labelled_date(text, as_of=AS_OF) == expected


@pytest.mark.parametrize("text", [
    "发布机构：邯郸市教育局 2020-08-05",      # a date, but not right after a label
    "发布日期 名称 索引号",                   # table header without values
    "文号：临政办发〔2026〕33号",
    "",
])
def test_labelled_date_needs_a_date_right_after_the_label(text: str) -> None:
    assert labelled_date(text, as_of=AS_OF) is None


def test_labelled_date_has_no_hidden_today() -> None:
    """--as-of rules everywhere: the caller must say which day the page is read on."""
    with pytest.raises(TypeError):
        labelled_date("发布日期：2020-08-02")  # type: ignore[call-arg]
    assert labelled_date("发布日期：2020-08-02", as_of=AS_OF) == date(2020, 8, 2)


@pytest.mark.parametrize("text, expected", [
    ("二〇二六年十一月三日", date(2026, 11, 3)),
    ("２０２６－１１－０３", date(2026, 11, 3)),
    ("2026年11月3日", date(2026, 11, 3)),
    ("2026.11.03", date(2026, 11, 3)),
])
def test_docmeta_reads_dates_with_the_one_parser(text: str, expected: date) -> None:
    """docmeta used its own Y-M-D regex, which lost Chinese numerals and full-width forms."""
    import lxml.html
    from govaudit.crawler.docmeta import extract_doc_meta
    doc = lxml.html.fromstring(f"<html><body><p>成文日期：{text}</p><p>发布日期：{text}</p></body></html>")
    meta = extract_doc_meta(doc, date(2026, 12, 2))
    assert meta["written_date"] == meta["pub_date"] == expected.isoformat()


def test_docmeta_refuses_dates_years_ahead_but_keeps_far_validity_ends() -> None:
    import lxml.html
    from govaudit.crawler.docmeta import extract_doc_meta
    doc = lxml.html.fromstring("<html><body><p>成文日期：2099-01-01</p><p>有效期至：2035年12月31日</p></body></html>")
    meta = extract_doc_meta(doc, date(2026, 12, 2))
    assert meta["written_date"] is None
    assert meta["valid_until"] == "2035-12-31"
