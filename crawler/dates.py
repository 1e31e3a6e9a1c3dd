"""Publication dates as Chinese government sites print them.

The update checks (首页不更新, 栏目不更新) compare the newest item date of a page with the
inspection date, so a date read wrongly is a wrong verdict. The parser is therefore strict:
it only accepts forms that list and detail pages really use, and it refuses digit runs that
merely look like dates (文号 〔2026〕33号, 索引号 000014348/2020-35147, phone numbers).

Years may be implied (``[11-03]``, ``11月3日``); they are resolved against ``as_of``, the
inspection date: the most recent such day that is not after ``as_of`` (one day of tolerance
for time zones and late-night publishing), so ``12-30`` read on 2 January is last year's.
Explicit years must lie between :data:`MIN_YEAR` and ``latest`` (default: the year after
``as_of``), which the caller chooses: a publication date cannot be years ahead, a validity
end date (有效期至) can. There is no hidden "today": the caller always passes ``as_of``.

Kept as our own code rather than a library: ``dateparser`` (zh) misses 发布时间：2023-05-01,
二〇一七年… and 5月20日, and ``htmldate`` mis-reads 2022年11月3日 (../shared/scrapy-notes.md);
every pattern here is linear (bounded repeats, no nested quantifiers).
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from itertools import islice

__all__ = ["parse_date", "find_dates", "labelled_date", "calendar_block_date", "DEFAULT_LABELS", "MIN_YEAR"]

#: Earliest year accepted; government sites did not publish before this.
MIN_YEAR = 1990

#: Labels that introduce a publication date on detail pages, most specific first.
DEFAULT_LABELS: tuple[str, ...] = ("发布时间", "发布日期", "成文日期", "生成日期", "日期", "时间")

# Full-width digits and separators are common in hand-typed pages; fold them to ASCII first.
_FOLD = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                       "／": "/", "－": "-", "．": ".", "：": ":", "［": "[", "］": "]"})

# 〇 (U+3007) is correct, ○ (U+25CB) and Ｏ are what people type: 二○一七年.
_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = "[〇○零Ｏ一二三四五六七八九]"
_CN_SMALL = "[一二三四五六七八九十]"

# One alternation so that finditer reports matches left to right without overlaps.
# Guards: a full date must not be glued to other digits or to the "/" and "-" of index
# numbers; a month-day must be zero-padded (or bracketed) and not be part of a range
# such as "1-9月" or a longer number.
_DATE_RE = re.compile(
    r"(?P<cn>(?P<cy>" + _CN_YEAR + r"{4})\s*年\s*(?P<cm>" + _CN_SMALL + r"{1,2})\s*月\s*"
    r"(?P<cd>" + _CN_SMALL + r"{1,3})\s*日)"
    r"|(?P<ymd>(?<![\d/\-.])(?P<y>\d{4})(?:"
    r"\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日?"
    r"|-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})"
    r"|/(?P<m3>\d{1,2})/(?P<d3>\d{1,2})"
    r"|\.(?P<m4>\d{1,2})\.(?P<d4>\d{1,2})"
    r")(?![\d/\-]|\.\d))"
    r"|(?P<cnmd>(?<![\d年])(?P<m5>\d{1,2})\s*月\s*(?P<d5>\d{1,2})\s*日)"
    r"|(?P<br>[\[【(（]\s*(?P<m6>\d{1,2})[-/](?P<d6>\d{1,2})\s*[\]】)）])"
    r"|(?P<md>(?<![\d/\-.:])(?P<m7>\d{2})[-/](?P<d7>\d{2})(?![\d/\-:.]|\s*[月日号]))"
)


def _cn_small_number(s: str) -> int | None:
    """Value of 一..三十一 written with 十 (month and day numerals)."""
    if "十" not in s:
        return _CN_DIGIT.get(s) if len(s) == 1 else None
    tens, _, units = s.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return None
    t = _CN_DIGIT.get(tens, 0) if tens else 1
    u = _CN_DIGIT.get(units, 0) if units else 0
    return t * 10 + u if t else None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year_ok(y: int, as_of: date, latest: date | None = None) -> bool:
    return MIN_YEAR <= y <= (latest.year if latest else as_of.year + 1)


def _infer_year(m: int, d: int, as_of: date) -> date | None:
    """Most recent month-day not after as_of (+1 day); 02-29 walks back to a leap year."""
    limit = as_of + timedelta(days=1)
    for y in range(as_of.year + 1, as_of.year - 8, -1):
        cand = _safe_date(y, m, d)
        if cand is not None and cand <= limit:
            return cand if cand.year >= MIN_YEAR else None
    return None


def _bounded(d: date | None, latest: date | None) -> date | None:
    return d if d is None or latest is None or d <= latest else None


def _from_match(mt: re.Match[str], as_of: date, latest: date | None = None) -> date | None:
    if mt.group("cn"):
        y = 0
        for ch in mt.group("cy"):
            y = y * 10 + _CN_DIGIT[ch]
        m, d = _cn_small_number(mt.group("cm")), _cn_small_number(mt.group("cd"))
        if m is None or d is None or not _year_ok(y, as_of, latest):
            return None
        return _bounded(_safe_date(y, m, d), latest)
    if mt.group("ymd"):
        y = int(mt.group("y"))
        for i in "1234":
            if mt.group("m" + i) is not None:
                m, d = int(mt.group("m" + i)), int(mt.group("d" + i))
                break
        if not _year_ok(y, as_of, latest):
            return None
        return _bounded(_safe_date(y, m, d), latest)
    for i in "567":
        if mt.group("m" + i) is not None:
            return _infer_year(int(mt.group("m" + i)), int(mt.group("d" + i)), as_of)
    return None  # pragma: no cover - every alternative has a branch above


def _iter_dates(text: str, as_of: date, latest: date | None = None
                ) -> Iterator[tuple[int, date]]:
    """(offset, date) for each plausible date, left to right."""
    folded = text.translate(_FOLD)
    for mt in _DATE_RE.finditer(folded):
        found = _from_match(mt, as_of, latest)
        if found is not None:
            yield mt.start(), found


def find_dates(text: str, as_of: date) -> list[date]:
    """All plausible dates in ``text``, in reading order (for scanning rows and pages)."""
    if not text:
        return []
    return [d for _, d in _iter_dates(text, as_of)]


def parse_date(text: str, as_of: date, latest: date | None = None) -> date | None:
    """First plausible publication date in a short text (a list row, a date cell), or None.

    ``latest`` widens or narrows the upper bound for explicit dates (default: any day of
    the year after ``as_of``)."""
    if not text:
        return None
    return next((d for _, d in _iter_dates(text, as_of, latest)), None)


_DAY_THEN_MONTH = re.compile(r"^\s*(?P<d>\d{1,2})\s+(?P<y>(?:19|20)\d{2})\s*[-./年]\s*(?P<m>\d{1,2})\s*月?\s*$")
_MONTH_THEN_DAY = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})\s*[-./年]\s*(?P<m>\d{1,2})\s*月?\s+(?P<d>\d{1,2})\s*日?\s*$")


def calendar_block_date(text: str, as_of: date) -> date | None:
    """A list row's date drawn as a calendar block, day and year-month in separate elements:
    "23 2026-10" (<span class=day>23</span><span class=ym>2026-10</span>) or "2026.11 27"
    (<em>2026.11</em><b>27</b>). Only when that is all the text beside the row's title, so
    a number in a title never reads as a day."""
    m = _DAY_THEN_MONTH.match(text or "") or _MONTH_THEN_DAY.match(text or "")
    if not m:
        return None
    d = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return d if d is not None and MIN_YEAR <= d.year <= as_of.year + 1 else None


#: A page prints its date label a few times at most; more hits are not worth reading.
_MAX_LABEL_HITS = 50

_GAP = r"[\s\u00a0\u2002\u2003\u3000]*"


def _label_re(label: str) -> re.Pattern[str]:
    # Metadata tables space labels out ("发 布 日 期", "发&ensp;布&ensp;日&ensp;期").
    spaced = _GAP.join(re.escape(ch) for ch in label)
    return re.compile(spaced + _GAP + r"[:：]?" + _GAP)


def labelled_date(text: str, labels: Sequence[str] = DEFAULT_LABELS, *,
                  as_of: date) -> date | None:
    """Date printed right after one of ``labels`` (detail pages: 发布时间：2023-05-01).

    Labels are tried in the given order, so the most specific label wins even when a more
    generic one (日期) appears earlier in the text. ``as_of`` (the inspection date) decides
    year-less dates and the plausibility window.
    """
    if not text:
        return None
    folded = text.translate(_FOLD)
    for label in labels:
        for mt in islice(_label_re(label).finditer(folded), _MAX_LABEL_HITS):
            tail = folded[mt.end():mt.end() + 40]
            hit = next(_iter_dates(tail, as_of), None)
            if hit is not None and hit[0] == 0:
                return hit[1]
    return None
