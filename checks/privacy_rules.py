"""Personal data that should have been de-identified (个人信息未去标识化): the detection rules.

Pure functions, no I/O: the ``privacy_leak`` check feeds them page blocks (from HTML via
:func:`blocks_from_html`) or attachment extractions (via :func:`blocks_from_extraction`) and
turns the :class:`PrivacyFinding` rows into findings.

A false accusation in an official notice is worse than a miss, so each kind needs more than a
digit pattern:

- ``id18`` 18-digit 居民身份证号码: valid province code, a real birth date (1900 … 2099) and a
  valid ISO 7064 MOD 11-2 check digit. A wrong checksum is not an ID (统一社会信用代码, order
  and serial numbers).
- ``id15`` 15-digit old IDs: valid province code and birth date (19YYMMDD), and only where the
  table column or the words just before say 身份证/证件号 — fifteen digits alone are too often
  a registration or serial number.
- ``mobile`` 1[3-9]\\d{9}, not part of a longer digit run, of private persons: only in a
  公示/名单/低保/补贴 … context (page title, caption, sheet name), and then either in a table with
  a person column (姓名/户主/申请人…) or, in running text, at least ``min_text_mobiles``
  distinct numbers (a list); one contact number for the office is not a person's.
- ``bank_card`` 16–19 digits passing Luhn, next to 账号/卡号/银行卡 (column header, or label
  within a few characters before), not a collecting account (收款/对公/开户行), and in a person
  context as for mobiles.

Masked forms (``3505**********1234``, ``138****1234``) never match (the ``*`` breaks the digit
run); landlines and hotlines (0591-…, 12345) are not mobiles. Output never carries a full
number: samples are masked as the rules require them to be published.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence, Union

__all__ = ["Block", "TableBlock", "Hit", "PrivacyFinding", "KIND_LABELS", "valid_id18", "valid_id15",
           "luhn", "mask", "scan_text", "scan_table", "scan_blocks", "blocks_from_html",
           "blocks_from_extraction", "scan_html"]

KIND_LABELS = {"id18": "居民身份证号码", "id15": "居民身份证号码（15位）", "mobile": "手机号码",
               "bank_card": "银行卡号"}

#: Context words that make a page or table a list of private persons.
PERSON_CONTEXT = ("公示", "名单", "名册", "花名册", "低保", "特困", "救助", "补贴", "补助", "慰问", "困难",
                  "五保", "残疾", "优抚", "抚恤", "养老金", "发放", "获奖", "录用", "拟聘", "资助", "贫困",
                  "申请人", "人员信息", "户主")
PERSON_COLUMNS = ("姓名", "户主", "申请人", "户名", "名字", "人员", "持卡人", "领取人", "收款人", "家长", "学生")
#: Contexts whose numbers are published on purpose (contact directories of offices and cadres).
CONTACT_DIRECTORY = ("通讯录", "联系方式", "联系电话", "服务热线", "办公电话", "值班电话", "咨询电话", "监督电话", "举报电话")
#: Who wrote a letter or message (领导信箱, 咨询投诉): the 联系电话 beside it is that person's, not an office's.
WRITER_LABELS = ("来信人", "留言人", "写信人", "提问人", "咨询人", "投诉人", "反映人", "求助人", "诉求人", "建议人", "来电人")
ID_LABELS = ("身份证", "证件号", "公民身份", "身份号码", "证件编号")
CARD_LABELS = ("账号", "帐号", "卡号", "银行卡", "账户", "帐户", "存折")
NOT_PERSONAL_ACCOUNT = ("收款", "开户行", "对公", "单位账", "基本账户", "汇款", "缴款", "缴费", "财政", "专户")

_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
              50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91}
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

# Full-width digits and X fold to ASCII one-for-one, so offsets stay valid.
_FOLD = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "x"})
_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z\-])(?:\+?86[\s-]?)?(1[3-9]\d{9}|1[3-9]\d([ -])\d{4}\2\d{4})(?![0-9A-Za-z\-])")
_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{4}(?: \d{4}){3}(?: \d{1,3})?|\d{16,19})(?![0-9A-Za-z])")


def _valid_date(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def valid_id18(s: str) -> bool:
    s = s.upper()
    if len(s) != 18 or not s[:17].isdigit() or int(s[:2]) not in _PROVINCES:
        return False
    y, m, d = int(s[6:10]), int(s[10:12]), int(s[12:14])
    if not 1900 <= y <= 2099 or not _valid_date(y, m, d):
        return False
    return _CHECK[sum(int(c) * w for c, w in zip(s[:17], _WEIGHTS)) % 11] == s[17]


def valid_id15(s: str) -> bool:
    if len(s) != 15 or not s.isdigit() or int(s[:2]) not in _PROVINCES:
        return False
    return _valid_date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))


def luhn(s: str) -> bool:
    digits = [int(c) for c in s if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask(kind: str, s: str) -> str:
    """The published form: ``3505**********1234``, ``138****1234``, ``6222***********1234``."""
    s = s.replace(" ", "")
    if kind == "mobile":
        return s[:3] + "****" + s[-4:]
    return s[:4] + "*" * (len(s) - 8) + s[-4:]


@dataclass(frozen=True)
class Block:
    """Running text with the words that say what it is (page title, column, caption)."""
    text: str
    where: str = "正文"
    context: str = ""


@dataclass(frozen=True)
class TableBlock:
    rows: Sequence[Sequence[str]]
    where: str = "表格"
    context: str = ""


@dataclass(frozen=True)
class Hit:
    kind: str
    masked: str
    where: str
    key: str = field(default="", repr=False, compare=False)  # dedup key (hash), never the number


@dataclass
class PrivacyFinding:
    kind: str
    label: str
    count: int
    samples: list[str]
    where: list[str]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "label": self.label, "count": self.count, "samples": self.samples,
                "where": self.where}


def _has(text: str, words: Iterable[str]) -> bool:
    return any(w in text for w in words)


def _key(s: str) -> str:
    import hashlib
    return hashlib.sha1(s.replace(" ", "").upper().encode()).hexdigest()[:16]


def _ids(text: str, where: str, id_column: bool) -> list[Hit]:
    hits = [Hit("id18", mask("id18", m.group()), where, _key(m.group()))
            for m in _ID18.finditer(text) if valid_id18(m.group())]
    for m in _ID15.finditer(text):
        before = text[max(0, m.start() - 15): m.start()]
        if valid_id15(m.group()) and (id_column or _has(before, ID_LABELS)):
            hits.append(Hit("id15", mask("id15", m.group()), where, _key(m.group())))
    return hits


def _cards(text: str, where: str, card_column: bool, id_keys: set[str]) -> list[Hit]:
    out = []
    for m in _CARD.finditer(text):
        raw = m.group(1).replace(" ", "")
        if not luhn(raw) or _key(raw) in id_keys:
            continue
        label = text[max(0, m.start() - 12): m.start()]
        if card_column or (_has(label, CARD_LABELS) and not _has(label, NOT_PERSONAL_ACCOUNT)):
            out.append(Hit("bank_card", mask("bank_card", raw), where, _key(raw)))
    return out


def _mobiles(text: str, where: str) -> list[Hit]:
    out = []
    for m in _MOBILE.finditer(text):
        number = re.sub(r"[ -]", "", m.group(1))
        out.append(Hit("mobile", mask("mobile", number), where, _key(number)))
    return out


_LABELLED_MOBILE = re.compile(r"(?:联系电话|联系手机|手机号码|手机号|手机|电话号码|电话|联系方式)\s*[：:]?\s*(?<!\d)(1[3-9]\d{9})(?!\d)")


def _writer_mobiles(text: str, where: str) -> list[Hit]:
    """A letter's 来信人 | 联系电话 pair (a 县长信箱 letter printed with its writer's mobile in full):
    a mobile right after a phone label, on the line (table row) naming the writer and within a
    few characters of it — not a number a reply gives elsewhere (请联系经办人，电话 138…: an office's)."""
    if not _has(text, WRITER_LABELS):
        return []
    out = []
    for line in text.splitlines():
        starts = [line.find(w) for w in WRITER_LABELS if w in line]
        if not starts:
            continue
        first = min(starts)
        for m in _LABELLED_MOBILE.finditer(line, first):
            if m.start() - first <= 30:
                out.append(Hit("mobile", mask("mobile", m.group(1)), where, _key(m.group(1))))
    return out


def scan_text(text: str, where: str = "正文", context: str = "", min_text_mobiles: int = 3) -> list[Hit]:
    """Hits in running text. ``context`` is the page title/column/caption (for mobiles and cards)."""
    text = text.translate(_FOLD)
    hits = _ids(text, where, id_column=False) + _writer_mobiles(text, where)
    if _person_context(context):
        id_keys = {h.key for h in hits}
        hits += _cards(text, where, card_column=False, id_keys=id_keys)
        mobiles = _mobiles(text, where)
        if len({h.key for h in mobiles}) >= min_text_mobiles:
            hits += mobiles
    return hits


def _person_context(context: str) -> bool:
    return _has(context, PERSON_CONTEXT) and not _has(context, CONTACT_DIRECTORY)


def _header_index(rows: Sequence[Sequence[str]]) -> int | None:
    """The header row: among the first 5, the first with label-like cells and no long digits."""
    for i, row in enumerate(rows[:5]):
        cells = [c.strip() for c in row if c and c.strip()]
        if len(cells) >= 2 and not any(re.search(r"\d{6,}", c) for c in cells) \
                and sum(bool(re.search(r"[\u4e00-\u9fff]", c)) for c in cells) >= len(cells) / 2:
            return i
    return None


def scan_table(rows: Sequence[Sequence[str]], where: str = "表格", context: str = "",
               min_text_mobiles: int = 3) -> list[Hit]:
    """Hits in a table; a column header decides what its values are (header → column)."""
    rows = [[(c or "").translate(_FOLD) for c in r] for r in rows]
    h = _header_index(rows)
    if h is None:
        return scan_text("\n".join("\t".join(r) for r in rows), where, context, min_text_mobiles)
    header = [c.strip() for c in rows[h]]
    caption = context + " " + " ".join(" ".join(r) for r in rows[:h]) + " " + where
    person_table = _has(" ".join(header), PERSON_COLUMNS) and (
        _person_context(caption) or _has(" ".join(header), PERSON_CONTEXT))
    writer_table = _has(" ".join(header), WRITER_LABELS)
    # a letter's label | value rows (来信人 | 张** | 联系电话 | 138…) read as lines, whatever the header
    hits: list[Hit] = _writer_mobiles("\n".join("\t".join(r) for r in rows), where)
    for r in rows[h + 1:]:
        for j, cell in enumerate(r):
            if not cell.strip():
                continue
            name = header[j] if j < len(header) and header[j] else f"第{j + 1}列"
            place = f"{where}“{name}”列"
            ids = _ids(cell, place, id_column=_has(name, ID_LABELS))
            hits += ids
            if person_table:
                hits += _cards(cell, place, card_column=_has(name, CARD_LABELS) and not _has(name, NOT_PERSONAL_ACCOUNT),
                               id_keys={x.key for x in ids})
                hits += _mobiles(cell, place)
            elif writer_table and _has(name, ("电话", "手机", "联系方式")):
                hits += _mobiles(cell, place)  # a list of letters with each writer's mobile
    return hits


def blocks_from_html(doc, context: str = "") -> list[Union[Block, TableBlock]]:
    """Blocks of a parsed page (lxml): innermost tables as tables, the rest as text lines.

    Layout tables (a table holding tables) are read as text so that their inner tables keep
    their own headers.
    """
    tables = [t for t in doc.iter("table") if not t.xpath(".//table")]
    skip = set(tables)
    out: list[Union[Block, TableBlock]] = []
    for n, t in enumerate(tables, 1):
        rows = []
        for tr in t.iter("tr"):
            cells = [re.sub(r"\s+", " ", c.text_content()).strip() for c in tr if c.tag in ("td", "th")]
            if any(cells):
                rows.append(cells)
        if rows:
            cap = t.find("caption")
            label = re.sub(r"\s+", "", cap.text_content())[:40] if cap is not None else ""
            out.append(TableBlock(rows, where=f"页面表格{n}", context=context + " " + label))
    parts: list[str] = []
    block_tags = {"p", "div", "br", "li", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "dd", "dt"}

    def walk(el) -> None:
        if el in skip or el.tag in ("script", "style", "noscript") or not isinstance(el.tag, str):
            if isinstance(el.tag, str) or el.tail:
                parts.append(el.tail or "")
            return
        if el.tag in block_tags:
            parts.append("\n")
        parts.append(el.text or "")
        for child in el:
            walk(child)
        if el.tag in block_tags:
            parts.append("\n")
        parts.append(el.tail or "")

    body = doc.find(".//body")
    walk(body if body is not None else doc)
    text = re.sub(r"[ \t\u3000\xa0]+", " ", "".join(parts))
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if lines:
        out.insert(0, Block("\n".join(lines), where="正文", context=context))
    return out


def blocks_from_extraction(extraction, context: str = "") -> list[Union[Block, TableBlock]]:
    """Blocks of a :class:`govaudit.crawler.attachments.Extraction` (paragraphs, sheets)."""
    out: list[Union[Block, TableBlock]] = []
    # An attachment's own title lines; not a sentence carrying a phone number (a 公示's
    # "监督电话：0571-…" line must not make the list look like a contact directory).
    titles = [p for p in extraction.paragraphs[:2] if len(p) <= 60 and not re.search(r"\d{5,}|\d{3,4}-\d{5,}", p)]
    context = " ".join([context, *titles])
    if extraction.paragraphs:
        out.append(Block("\n".join(extraction.paragraphs), where="附件正文", context=context))
    for t in extraction.tables:
        out.append(TableBlock(t.rows, where=f"附件表格“{t.name}”", context=context + " " + t.name))
    return out


def scan_blocks(blocks: Iterable[Union[Block, TableBlock]], max_samples: int = 3,
                min_text_mobiles: int = 3) -> list[PrivacyFinding]:
    """One finding per kind: distinct numbers counted once, a few masked samples, the places."""
    by_kind: dict[str, dict[str, Hit]] = {}
    places: dict[str, list[str]] = {}
    for b in blocks:
        if isinstance(b, TableBlock):
            hits = scan_table(b.rows, b.where, b.context, min_text_mobiles)
        else:
            hits = scan_text(b.text, b.where, b.context, min_text_mobiles)
        for hit in hits:
            by_kind.setdefault(hit.kind, {}).setdefault(hit.key, hit)
            where = places.setdefault(hit.kind, [])
            if hit.where not in where:
                where.append(hit.where)
    order = list(KIND_LABELS)
    return [PrivacyFinding(kind, KIND_LABELS[kind], len(hits),
                           [h.masked for h in list(hits.values())[:max_samples]], places[kind])
            for kind, hits in sorted(by_kind.items(), key=lambda kv: order.index(kv[0]))]


_LONG_DIGITS = re.compile(r"[0-9０-９]{11,}|\d{4} \d{4} \d{4} \d{4}")


def scan_html(doc, context: str = "", text_content: str | None = None, **kw) -> list[PrivacyFinding]:
    """Findings of a parsed page; pages without an 11-digit run are skipped at regex speed.

    ``context``: page title, column name (what makes it a 公示/名单 page); ``text_content``:
    ``doc.text_content()`` when the caller already has it."""
    if not _LONG_DIGITS.search(text_content if text_content is not None else doc.text_content()):
        return []
    return scan_blocks(blocks_from_html(doc, context), **kw)
