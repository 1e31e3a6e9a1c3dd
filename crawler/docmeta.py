"""Facts about a policy-document page: its 信息公开 metadata, 文号s and 解读 links.

The validity and interpretation checks (domain.md §4-5) need, for every document page,
what the page itself prints: 索引号, 发布机构, 成文/发布日期, 文号, 有效性 and the links to its
解读 (or, on a 解读 page, to its 原文). Sites print these in many layouts — table cells,
``<dl>/<dd>`` pairs, ``<li>`` with ``&ensp;``-spaced labels, ``<strong>`` labels followed
by a colon — so the reader works on the *text stream* of the page rather than on any
one template:

* the visible text is flattened into pieces in document order (HTML comments, scripts,
  form controls and hidden elements such as Angular ``ng-hide`` never contribute: a field
  that exists only inside ``<!-- -->`` is not shown to citizens and must not count);
* a label is recognised only where it stands as a label — at the start of an element's
  text, or after whitespace with a colon — so prose such as "监管有效性" is never a label;
* the value is the text after the label, up to the next label, looked for first in the
  label's own element and then, while that element holds nothing but the label, in its
  ancestors (so the value in the next ``<td>`` or in ``div.display-block`` is found).

An absent field is ``None``; a validity label printed with no value is ``""`` — the audit
treats "field missing" and "field left empty" as different findings.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urljoin

import lxml.etree
import lxml.html

from .dates import _iter_dates, parse_date
from .text import ENTER, EXIT, TAIL, TEXT, meta_content, strip_jsp, walk_text
from .text import base_url as document_base

__all__ = [
    "KNOWN_VALIDITY",
    "extract_doc_meta",
    "find_doc_numbers",
    "normalize_doc_number",
    "validity_status",
    "validity_core",
    "is_interpretation_title",
    "core_title",
    "related_links",
    "body_text",
]

#: Validity values that count as a proper marking (domain.md §4).
KNOWN_VALIDITY: tuple[str, ...] = (
    "有效", "现行有效", "失效", "废止", "部分失效", "已修改", "尚未生效",
    "全文有效", "部分有效", "全文失效", "全文废止", "部分废止", "修订", "已修订", "修改", "无效",
)

# ---------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------

#: Output field -> labels that introduce it. Synonyms differ between CMSs.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "index_no": ("索引号",),
    "topic": ("主题分类",),
    "publisher": ("发布机构", "发文机关", "发文单位", "责任部门", "发布单位", "发文部门", "办文部门"),
    "written_date": ("成文日期", "生成日期", "印发日期", "发文日期"),
    "pub_date": ("发布日期", "发布时间"),
    "doc_number": ("发文字号", "发文号", "文号", "文件编号", "发文编号", "文件字号"),
    # 效力级别 (legal rank: 地方规范性文件 …) is NOT validity; it is in OTHER_LABELS so that it
    # ends a value without ever being read as one.
    "validity": ("有效性", "时效性", "效力状态"),
    # "有效期：2024年1月1日至2025年12月31日" (有效期限：… on 开普云 pages): the range's end is the valid-until date.
    "valid_until": ("有效期至", "失效日期", "失效时间", "有效期", "有效期限", "有效期截止", "有效截止日期"),
    "title": ("标题", "公文名称", "文件名称", "名称"),
    "content_source": ("信息来源", "文章来源", "来源"),
}

#: Labels that are not extracted but must end the value of the label before them
#: (e.g. "主题分类：教育 主题词：安全" must not give topic "教育 主题词：安全").
OTHER_LABELS: tuple[str, ...] = (
    "主题词", "关键词", "公开方式", "公开时限", "公开范围", "公开形式", "公开类别", "体裁分类",
    "组配分类", "服务对象", "信息分类", "分类", "文章类型", "访问量", "浏览次数", "点击数",
    "作者", "责任编辑", "编辑", "效力级别", "统一编号", "登记号", "时间", "日期", "字号",
    "文件类型", "公文种类", "文种", "信息类别", "内容分类", "所属类别",
)

#: Fields whose labels make up a 信息公开 metadata block. 发布日期/来源/标题 are left out:
#: every news article prints those, so they do not show that a block exists.
META_BLOCK_FIELDS: tuple[str, ...] = (
    "index_no", "topic", "publisher", "written_date", "doc_number", "validity", "valid_until",
)

#: Labels of blocks that list related documents or interpretations.
INTERPRETATION_LINK_LABELS: tuple[str, ...] = (
    "相关解读", "政策解读", "图文解读", "文字解读", "图片解读", "图解解读", "视频解读", "H5解读",
    "解读材料", "解读文件",
)
DOCUMENT_LINK_LABELS: tuple[str, ...] = (
    "原文链接", "原文", "相关文件", "政策文件", "关联文件", "政策原文", "文件原文",
)
NEUTRAL_LINK_LABELS: tuple[str, ...] = ("关联稿件", "相关稿件", "关联信息")
#: Labels that are also column names: as a bare heading they title a column box, not a relation.
_COLUMN_NAME_LABELS: tuple[str, ...] = ("政策解读", "政策文件")
#: Labels that end such a block without starting one (attachments, generic links).
_LINK_BLOCK_END_LABELS: tuple[str, ...] = ("附件", "附件下载", "相关附件", "相关链接", "责任编辑")

# Whitespace as it occurs between label characters: ASCII, &nbsp;, &ensp;, &emsp;, 全角空格.
_WS = r"[\s\u00a0\u2002\u2003\u2009\u3000]"
_WS_RE = re.compile(_WS + "+")
_COLON = "[:：]"


def _spaced(label: str) -> str:
    """Regex for a label whose characters may be separated by any spacing."""
    return (_WS + "*").join(re.escape(ch) for ch in label)


def _label_alternation(labels: Iterable[str]) -> str:
    # Longest first so that 信息来源 wins over 来源 and 有效期至 over 有效期.
    return "|".join(_spaced(lb) for lb in sorted(set(labels), key=len, reverse=True))


_LABEL_TO_FIELD: dict[str, str | None] = {lb: None for lb in OTHER_LABELS}
for _field_name, _labels in FIELD_LABELS.items():
    for _lb in _labels:
        _LABEL_TO_FIELD[_lb] = _field_name

# A label at a piece start, or after whitespace/a separator bar; optional colon after it.
_FIELD_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s\u00a0\u2002\u2003\u3000|｜丨]))(?P<label>"
    + _label_alternation(_LABEL_TO_FIELD)
    + r")" + _WS + r"*(?P<colon>" + _COLON + r")?"
)

_RELATED_LABELS = INTERPRETATION_LINK_LABELS + DOCUMENT_LINK_LABELS + NEUTRAL_LINK_LABELS
_ALL_LINK_LABELS = _RELATED_LABELS + _LINK_BLOCK_END_LABELS
_RELATED_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s\u00a0\u2002\u2003\u3000|｜丨。；;，,]))[【\[]?(?P<label>"
    + _label_alternation(_ALL_LINK_LABELS)
    + r")[】\]]?" + _WS + r"*(?P<colon>" + _COLON + r")?"
)

# ---------------------------------------------------------------------------
# Flattening the visible text
# ---------------------------------------------------------------------------

_SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "select",
    "option", "optgroup", "textarea", "button", "input", "iframe", "object", "svg",
})
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "center", "dd", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
#: Elements that bound a label/value pair: the value is never looked for outside them.
_RECORD_TAGS = frozenset({"tr", "table", "li", "ul", "ol", "dd", "dl", "p",
                          "h1", "h2", "h3", "h4", "h5", "h6"})
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@dataclass
class _Piece:
    text: str
    is_tail: bool = False      # text after an element's end tag (belongs to the parent)
    in_anchor: bool = False
    separator: bool = False    # synthetic block boundary


@dataclass
class _Flat:
    """The visible text of a subtree as pieces, with each element's piece range."""
    pieces: list[_Piece] = field(default_factory=list)
    span: dict[lxml.etree._Element, tuple[int, int]] = field(default_factory=dict)
    owner: list[lxml.etree._Element] = field(default_factory=list)


def _is_element(node: object) -> bool:
    # Comments, processing instructions and entities have a non-string tag.
    return isinstance(getattr(node, "tag", None), str)


def _local_tag(el: lxml.etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _is_hidden(el: lxml.etree._Element) -> bool:
    """Hidden from readers: Angular ng-hide, display:none, the hidden attribute."""
    cls = el.get("class") or ""
    if "ng-hide" in cls.split():
        return True
    if el.get("hidden") is not None:
        return True
    return bool(_HIDDEN_STYLE_RE.search(el.get("style") or ""))


_LAST_FLAT: list = [None, None]  # (root, flat): one page is read by several functions in a row


def _flatten(root: lxml.etree._Element) -> _Flat:
    """Cached for the last root seen: extract_doc_meta, related_links and body_text each need
    the flattened page, and flattening dominates their cost on the crawl's hot path."""
    if _LAST_FLAT[0] is root:
        return _LAST_FLAT[1]
    flat = _flatten_uncached(root)
    _LAST_FLAT[0], _LAST_FLAT[1] = root, flat
    return flat


def _flatten_uncached(root: lxml.etree._Element) -> _Flat:
    """Visible text of ``root`` in document order (comments/scripts/hidden skipped), built on
    the shared walker (crawler.text.walk_text) with block separators and element spans."""
    flat = _Flat()
    starts: dict[lxml.etree._Element, int] = {}
    in_anchor: list[bool] = [False]

    def add(text: str | None, owner: lxml.etree._Element, *, is_tail: bool = False,
            in_a: bool = False, separator: bool = False) -> None:
        if text:
            flat.pieces.append(_Piece(text, is_tail, in_a, separator))
            flat.owner.append(owner)

    def skip(el: lxml.etree._Element) -> bool:
        return _local_tag(el) in _SKIP_TAGS or _is_hidden(el)

    for kind, el, text in walk_text(root, skip):
        if kind == ENTER:
            starts[el] = len(flat.pieces)
            in_anchor.append(in_anchor[-1] or _local_tag(el) == "a")
            if _local_tag(el) in _BLOCK_TAGS:
                add("\n", el, separator=True)
        elif kind == TEXT or kind == TAIL:
            add(text, el, is_tail=kind == TAIL, in_a=in_anchor[-1])
        elif kind == EXIT:
            if _local_tag(el) in _BLOCK_TAGS:
                add("\n", el, separator=True)
            in_anchor.pop()
            flat.span[el] = (starts.pop(el), len(flat.pieces))
        else:  # SKIPPED
            flat.span[el] = (len(flat.pieces), len(flat.pieces))
    return flat


def _content_root(doc: lxml.html.HtmlElement) -> lxml.etree._Element:
    body = doc.find(".//body") if _local_tag(doc) == "html" else None
    return body if body is not None else doc


def _collapse(text: str) -> str:
    return _WS_RE.sub(" ", text).strip()


# ---------------------------------------------------------------------------
# Labelled fields
# ---------------------------------------------------------------------------

@dataclass
class _Label:
    piece: int
    start: int
    end: int            # after the label and its colon
    label: str          # canonical label (no spacing)
    colon: bool


def _find_labels(flat: _Flat, regex: re.Pattern[str]) -> list[_Label]:
    """Label candidates: at a piece start (colon optional) or mid-piece with a colon."""
    found: list[_Label] = []
    for i, piece in enumerate(flat.pieces):
        if piece.separator or piece.in_anchor:
            continue
        text = piece.text
        lead = len(text) - len(text.lstrip())
        for m in regex.finditer(text):
            colon = m.group("colon") is not None
            at_start = m.start() == lead
            if not at_start and not colon:
                continue
            if not colon and text[m.end():].strip():
                continue  # "有效性评估……": a word in prose, not a label
            found.append(_Label(i, m.start(), m.end(), _WS_RE.sub("", m.group("label")), colon))
    return found


def _text_between(flat: _Flat, a: tuple[int, int], b: tuple[int, int]) -> tuple[str, bool]:
    """Text from position a to b (piece, offset); also whether the first non-blank text
    comes from an element's own text (a separate value element) rather than a tail."""
    parts: list[str] = []
    own_element_first: bool | None = None
    for i in range(a[0], min(b[0], len(flat.pieces) - 1) + 1):
        piece = flat.pieces[i]
        lo = a[1] if i == a[0] else 0
        hi = b[1] if i == b[0] else len(piece.text)
        chunk = piece.text[lo:hi]
        if own_element_first is None and chunk.strip() and not piece.separator:
            own_element_first = not piece.is_tail and i != a[0]
        parts.append(chunk)
    return "".join(parts), bool(own_element_first)


def _element_text_without(flat: _Flat, el: lxml.etree._Element, lab: _Label) -> str:
    s, e = flat.span[el]
    out = []
    for i in range(s, e):
        t = flat.pieces[i].text
        if i == lab.piece:
            t = t[:lab.start] + t[lab.end:]
        out.append(t)
    return "".join(out)


def _holds_only_label(flat: _Flat, el: lxml.etree._Element, lab: _Label) -> bool:
    """No text but the label, and no elements except those wrapping the label."""
    if _element_text_without(flat, el, lab).strip():
        return False
    wrappers = set(flat.owner[lab.piece].iterancestors())
    wrappers.add(flat.owner[lab.piece])
    return all(d in wrappers for d in el.iterdescendants() if _is_element(d))


def _next_sibling_empty(el: lxml.etree._Element) -> bool:
    nxt = el.getnext()
    while nxt is not None and not _is_element(nxt):
        nxt = nxt.getnext()
    return nxt is not None and not _collapse(nxt.text_content())


def _label_value(flat: _Flat, labels: list[_Label], k: int) -> str | None:
    """Value printed after label k, or None when the text there is not a real label."""
    lab = labels[k]
    nxt = (labels[k + 1].piece, labels[k + 1].start) if k + 1 < len(labels) else (len(flat.pieces), 0)
    el = flat.owner[lab.piece]
    cell = None
    while el is not None and el in flat.span:
        s, e = flat.span[el]
        stop = min(nxt, (e, 0))
        raw, separate = _text_between(flat, (lab.piece, lab.end), stop)
        value = _collapse(raw)
        if value:
            if lab.colon:
                return value
            if value[0] in ":：":
                return _collapse(value[1:])
            # A colonless label needs its value in a separate element: "<strong>有效性</strong>
            # 由……" in prose is not a field.
            return value if separate else None
        # Climb only out of elements that hold the label and nothing else, so an empty
        # value never borrows the text of the next row or of the article body.
        parent = el.getparent()
        if (parent is None or _local_tag(parent) in ("body", "html")
                or _local_tag(el) in _RECORD_TAGS or not _holds_only_label(flat, el, lab)):
            break
        if cell is None and _local_tag(el) in ("td", "th", "dt"):
            cell = el
        el = parent
    if lab.colon:
        return ""
    # "<td>有效性</td><td></td>": an empty value cell, unlike a header row of labels.
    if cell is not None and _next_sibling_empty(cell):
        return ""
    return None


# Page widgets printed right after a field ("来源：【打印】【关闭】"), not part of any value.
_UI_JUNK_RE = re.compile(
    r"[【\[](?:打印|关闭|打印本页|关闭窗口|收藏|分享|字体|字号|大|中|小)[^】\]]{0,12}[】\]]")


def _clean_value(value: str) -> str:
    return _collapse(_UI_JUNK_RE.sub(" ", value).strip(" |｜丨:："))


def _labelled_fields(root: lxml.etree._Element) -> dict[str, list[str]]:
    """All values printed after each field label, in document order."""
    flat = _flatten(root)
    labels = _find_labels(flat, _FIELD_LABEL_RE)
    out: dict[str, list[str]] = {}
    for k, lab in enumerate(labels):
        name = _LABEL_TO_FIELD.get(lab.label)
        if name is None:
            continue
        value = _label_value(flat, labels, k)
        if value is not None:
            out.setdefault(name, []).append(_clean_value(value))
    return out


# ---------------------------------------------------------------------------
# Value normalisation
# ---------------------------------------------------------------------------

def _norm_date(text: str | None, as_of: date, latest: date | None = None) -> str | None:
    """First plausible date in text as YYYY-MM-DD, read by crawler.dates (2026/11/03,
    2026年11月3日, 二〇二六年十一月三日, ２０２６－１１－０３ …); dates after ``latest`` (default: the
    year after ``as_of``) are not dates a page can have printed yet."""
    d = parse_date(text or "", as_of, latest)
    return d.isoformat() if d else None


def _last_date(text: str | None, as_of: date) -> str | None:
    """Last plausible date in text: the end of a range ("2024年1月1日至2025年12月31日"),
    or the only date; a validity end date may lie up to a century ahead."""
    found = list(_iter_dates(text or "", as_of, date(as_of.year + 100, 12, 31)))
    return found[-1][1].isoformat() if found else None


# "有效（2027年12月31日前）", "有效(至2027年12月31日)": a validity value that carries its end date.
_UNTIL_IN_VALUE_RE = re.compile(r"[（(][^（）()]*[）)]")


def _valid_until(fields: dict[str, list[str]], as_of: date) -> str | None:
    """The date a document's validity ends: an 有效期至/有效期 field (the end of a printed
    range), else a date written into the validity value itself (有效（2027年12月31日前）)."""
    for v in fields.get("valid_until", ()):
        d = _last_date(v, as_of)
        if d:
            return d
    for v in fields.get("validity", ()):
        for m in _UNTIL_IN_VALUE_RE.finditer(v or ""):
            d = _last_date(m.group(0), as_of)
            if d:
                return d
    return None


# The document's own validity clause, as 规范性文件 end: "本办法自2024年6月20日起施行，有效期2年，至2026年6月19日止",
# "本通知有效期至2026年12月31日", "本规定自2023年1月1日起施行，有效期3年". Only a clause about the document itself
# is read: it begins with 本办法/本通知 … (or with 有效期), and 有效期 follows the document's name or its 施行 clause
# ("本通知所称证照有效期至…" is about something else); the part quoting another document (原《…》) is cut off.
# A later clause wins (有效期延长至…); a text saying the document stays in force (继续有效) gives no date.
_SENTENCE_RE = re.compile(r"[^。；;\n]+")
_DOC_KINDS = ("实施意见|实施办法|实施细则|办法|规定|细则|通知|意见|方案|决定|规则|制度|标准|措施|规范|规程|指引|导则|"
              "目录|清单|政策|文件|条例|公告|通告")
_OWN_START_RE = re.compile(r"(?:^|[，,])\s*(?:第[一二三四五六七八九十百零〇\d]+条\s*)?(?:本(?:" + _DOC_KINDS + r")|有效期)")
# A later word that the document stays in force (经评估继续有效, 有效期届满后继续执行): its end is not known.
_RENEWED_RE = re.compile(r"继续有效|继续施行|继续执行|继续实施|长期有效")
_OWN_TERM_RE = re.compile(
    r"(?:^\s*(?:第[一二三四五六七八九十百零〇\d]+条\s*)?|本(?:" + _DOC_KINDS + r")\s*|[，,]\s*)"
    r"(?:自\s*(?P<start>[^起，,]{4,16}?)\s*起(?:施行|实施|执行|生效)\s*[，,]?\s*)?有效期")
_UNTIL_AFTER_RE = re.compile(r"(?:为|是)?\s*(?:[\d一二三四五六七八九十两]{1,3}\s*年\s*|[:：自]\s*[^至。；，,]{6,16}?\s*)?[，,]?\s*"
                             r"(?:延长|延续|顺延|延期)?\s*(?:至|到|截至|截止(?:到|至)?)\s*"
                             r"(?P<end>[^。；，,止]{6,16})")
_YEARS_AFTER_RE = re.compile(r"(?:为|是)?\s*(?P<n>[\d一二三四五六七八九十两]{1,3})\s*年")
def _term_start(text: str | None, as_of: date, far: date, issued: str | None, published: str | None) -> date | None:
    if not text:
        return None
    named = issued if "印发" in text or "签发" in text else published if "发布" in text or "公布" in text else None
    if named and "之日" in text:
        try:
            return date.fromisoformat(named[:10])
        except ValueError:
            return None
    return parse_date(text, as_of, far)


_CN_YEARS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def valid_until_in_text(text: str, as_of: date, issued: str | None = None, published: str | None = None) -> str | None:
    """The end of validity a document states in its own text (YYYY-MM-DD), or None.

    An explicit end date ("至2026年6月19日止") wins; else a term from the day it takes effect
    ("自2024年6月20日起施行，有效期2年" ends 2026-06-19; "自印发之日起" counts from ``issued``, the 成文日期,
    "自发布之日起" from ``published``). The last such clause of the text is its own (the closing
    附则); a clause about another document is never read."""
    found = None
    far = date(as_of.year + 100, 12, 31)
    if _RENEWED_RE.search(text or ""):
        return None
    for sentence in _SENTENCE_RE.findall(text or ""):
        if "有效期" not in sentence or not _OWN_START_RE.search(sentence):
            continue
        sentence = re.split(r"原?《|原[\u4e00-\u9fff]{0,8}(?:办法|规定|通知|意见)", sentence)[0]
        m = _OWN_TERM_RE.search(sentence)
        if not m:
            continue
        rest = sentence[m.end():]
        until = _UNTIL_AFTER_RE.match(rest)
        end = _last_date(until.group("end"), as_of) if until else None
        if end:
            found = end
            continue
        term = _YEARS_AFTER_RE.match(rest)
        begin = _term_start(m.group("start"), as_of, far, issued, published)
        n = term.group("n") if term else ""
        years = int(n) if n.isdigit() else _CN_YEARS.get(n)
        if begin and years and years <= 50:
            try:
                stop = begin.replace(year=begin.year + years)
            except ValueError:  # 29 February
                stop = begin.replace(year=begin.year + years, day=28)
            found = (stop - timedelta(days=1)).isoformat()
    return found


_NO_DOC_NUMBER_RE = re.compile(r"[无空暂\-—－–/／\\、.。\s〔〕\[\]【】（）()号null]*", re.I)


def _doc_number_value(value: str | None) -> str | None:
    """A printed 文号, or None when the page says there is none (无, —, 空, 〔〕号 …)."""
    if not value or _NO_DOC_NUMBER_RE.fullmatch(value) or value in ("无文号", "暂无文号"):
        return None
    return value


def _first(values: list[str] | None) -> str | None:
    """First non-empty value; "" when the label was printed with nothing after it."""
    if not values:
        return None
    for v in values:
        if v:
            return v
    return ""


def _meta(doc: lxml.html.HtmlElement, name: str) -> str | None:
    return meta_content(doc, name) or None


_CHROME_ANCESTOR_RE = re.compile(r"header|logo|top|banner|nav", re.I)
# "文件标题-青禾县农业农村局", "标题--某县人民政府网", "标题—某市政府": ASP/动易-era <title>s join the site name with an
# unspaced dash. Only a last segment without digits that ends like an organ or site name is cut ("2025-2026年" stays).
_SITE_SUFFIX_RE = re.compile(
    r"\s*(?:-{1,2}|—{1,2}|–)\s*[^\d\-—–《》]{2,30}?(?:政府|人民政府|局|委员会|委|办公室|办|厅|中心|网站|门户网|网|站)$")


def _fallback_title(doc: lxml.html.HtmlElement) -> str | None:
    for el in doc.iter("ucaptitle"):  # 江西 集约化 (UCAP) marks the article title
        text = _collapse(el.text_content())
        if text:
            return text
    site = _meta(doc, "SiteName") or ""
    for h1 in doc.iter("h1"):
        text = _collapse(h1.text_content())
        if not text or text.rstrip("-—_ ") == site:
            continue
        if any(_CHROME_ANCESTOR_RE.search(f"{a.get('class') or ''} {a.get('id') or ''}")
               for a in [h1, *h1.iterancestors()]):
            continue  # the site name / logo in the page header
        return text
    for t in doc.iter("title"):
        text = _collapse(t.text_content())
        if text:
            # "文件标题_栏目_站点" / "文件标题 | 站点": the document title comes first.
            head = re.split(r"\s*(?:_|\||｜| - | — )\s*", text)[0] or text
            return _SITE_SUFFIX_RE.sub("", head) or head
    return None


def extract_doc_meta(doc: lxml.html.HtmlElement, as_of: date) -> dict:
    """The 信息公开 metadata a document page prints.

    Keys: index_no, topic, publisher, written_date, pub_date, doc_number, validity,
    valid_until, title, content_source (str or None) and has_meta_block (bool).
    Dates are "YYYY-MM-DD". ``validity`` is the raw value, "" when the label is printed
    empty and None when it is absent. ``pub_date`` falls back to ``<meta name=PubDate>``;
    ``title`` prefers ``<meta name=ArticleTitle>``, then the 标题 field, then h1/<title>;
    ``content_source`` prefers ``<meta name=ContentSource>``. ``as_of`` is the inspection
    date: written/publication dates after the year following it are not read as dates; a
    validity end date may lie up to a century ahead.
    """
    fields = _labelled_fields(_content_root(doc))

    def text(name: str) -> str | None:
        return _first(fields.get(name)) or None

    def day(name: str, latest: date | None = None) -> str | None:
        for v in fields.get(name, ()):
            d = _norm_date(v, as_of, latest)
            if d:
                return d
        return None

    found = {name for name in META_BLOCK_FIELDS if name in fields}
    labelled_number = _doc_number_value(text("doc_number"))
    line_number = None if labelled_number else _doc_number_line(doc)
    return {
        "index_no": text("index_no"),
        "topic": text("topic"),
        "publisher": text("publisher"),
        "written_date": day("written_date"),
        "pub_date": day("pub_date") or _norm_date(_meta(doc, "PubDate"), as_of),
        "doc_number": labelled_number or line_number,
        # the 文号 was only a line at the head of the text: it does not make a page in another
        # column (a 通知公告 notice) a policy document by itself (checks/documents_common.py)
        **({"doc_number_from": "line"} if line_number and not labelled_number else {}),
        "validity": _first(fields.get("validity")),
        "valid_until": _valid_until(fields, as_of),
        "title": _meta(doc, "ArticleTitle") or text("title") or _fallback_title(doc),
        "content_source": _meta(doc, "ContentSource") or text("content_source"),
        "has_meta_block": len(found) >= 2,
    }


# ---------------------------------------------------------------------------
# 文号
# ---------------------------------------------------------------------------

def _doc_number_line(doc: lxml.html.HtmlElement) -> str | None:
    """A 文号 printed as a line of its own at the head of the text (centred above the title, as
    the paper document prints it: <p align=center>石水发〔2026〕8号</p>), where no field gives one.
    Only among the first paragraphs, and only a line that is nothing but the 文号."""
    seen = 0
    for el in _content_root(doc).iter("p"):
        line = re.sub(r"[\s\u3000\xa0]+", "", el.text_content() or "")
        if not line:
            continue
        m = _DOC_NO_RE.fullmatch(line)
        if m:
            return _doc_number_value(line)
        seen += 1
        if seen >= 6:
            return None
    return None


_OPEN = "〔\\[【（(［﹝{"
_CLOSE = "〕\\]】）)］﹞}"
_DOC_NO_RE = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12}?)\s*[" + _OPEN + r"]\s*(?P<year>(?:19|20)\d{2})\s*["
    + _CLOSE + r"]\s*第?\s*(?P<num>\d{1,5})\s*号"
)
# Words that end the prose before an issuer abbreviation ("根据国发〔2018〕43号").
_PREFIX_LEAD_RE = re.compile(
    r"^.*(?:号|根据|依据|按照|依照|参照|对照|详见|参见|印发|转发|废止|执行|落实|贯彻|文件|通知"
    r"|意见|办法|发布|出台|下发|颁布|制定|的|了|即|见|以|将|是|为|对|据|及|与|或)"
)
_AFTER_DOC_NO = "号）)》〕]】"
_BRACKETS = str.maketrans({**{c: "〔" for c in _OPEN.replace("\\", "")},
                           **{c: "〕" for c in _CLOSE.replace("\\", "")}})


def _canonical(prefix: str, year: str, num: str) -> str:
    return f"{prefix}〔{year}〕{int(num)}号"


def find_doc_numbers(text: str) -> list[str]:
    """文号s cited in text, canonicalised (〔〕 brackets, no spaces), first-seen order.

    Bracket styles differ between sites and even within one page (〔〕 [] 【】 （）), so
    canonical forms let a 解读 citing "国发[2018]43号" match a document "国发〔2018〕43号".
    A bracketed year must be followed by a number and 号, so "（2021）年" is not a 文号.
    """
    text = text or ""
    seen: dict[str, None] = {}
    for m in _DOC_NO_RE.finditer(text):
        prefix = _PREFIX_LEAD_RE.sub("", m["prefix"])
        # "…43号）和国发〔…〕": a conjunction right after a previous 文号 is not part of the
        # issuer (和 alone is too risky to strip: 和政县 abbreviates itself as 和政).
        before = text[m.start() - 1] if m.start() else ""
        if len(prefix) > 2 and prefix[0] in "和及与" and (
                prefix != m["prefix"] or before in _AFTER_DOC_NO):
            prefix = prefix[1:]
        if prefix:
            seen.setdefault(_canonical(prefix, m["year"], m["num"]), None)
    return list(seen)


def normalize_doc_number(s: str) -> str:
    """Canonical form of one 文号: 〔〕 around the year, no spaces, no leading zeros."""
    t = _WS_RE.sub("", s or "")
    m = _DOC_NO_RE.fullmatch(t)
    if m:
        return _canonical(m["prefix"], m["year"], m["num"])
    return t.translate(_BRACKETS)


# ---------------------------------------------------------------------------
# Validity
# ---------------------------------------------------------------------------

# Values that fill the cell without saying anything: as good as empty.
_MEANINGLESS_VALIDITY_RE = re.compile(r"(?:[-—－–/／\\、.。·*＊?？]|无|空|暂无|null|none)*", re.I)
_VALIDITY_REMARK_RE = re.compile(r"[（(【\[][^（）()【】\[\]]*[）)】\]]")


def validity_core(value: str) -> str:
    """A validity value reduced to its marking: no spacing, no remark in brackets
    ("有效（2027年12月31日前）" → 有效), no leading 已 ("已废止" → 废止) — sites word the same
    marking these ways and all of them mark the document."""
    v = _VALIDITY_REMARK_RE.sub("", _WS_RE.sub("", value))
    v = v.rstrip("。.;；")
    return v[1:] if len(v) > 2 and v.startswith("已") else v


def validity_status(value: str | None, known: Iterable[str] = KNOWN_VALIDITY) -> str:
    """Classify a printed 有效性: "missing" (no field), "empty" (nothing, or a
    placeholder such as 无 / — ), "unknown" (a value we cannot read, e.g. 待定 or a typo)
    or "ok". Missing and empty make a normative document *unmarked* (domain.md §4);
    an unknown value may well be a marking we have not seen yet, so the check only asks
    for a manual look (a false accusation is worse than a miss)."""
    if value is None:
        return "missing"
    v = _WS_RE.sub("", value)
    if not v or _MEANINGLESS_VALIDITY_RE.fullmatch(v):
        return "empty"
    cores = {validity_core(k) for k in known}
    return "ok" if validity_core(v) in cores else "unknown"


# ---------------------------------------------------------------------------
# Interpretation titles
# ---------------------------------------------------------------------------

_INTERP_WORDS = r"(?:解读|图解|一图读懂|答记者问|问答)"
_INTERP_LEAD_RE = re.compile(
    r"^(?:[【\[][^】\]]{0,12}(?:解读|图解|问答)[^】\]]{0,12}[】\]]"
    r"|一图(?:读懂|看懂|了解|速览)|图解|图说"
    r"|[\u4e00-\u9fffA-Za-z0-9]{0,4}?解读(?:[：:｜|丨《“\"]|$))"
)
_INTERP_TAIL_TAG_RE = re.compile(r"[【\[][^】\]]{0,12}(?:解读|图解|问答)[^】\]]{0,12}[】\]]$")
_TRAILING_PAREN_RE = re.compile(r"[（(][^（）()]{1,8}[）)]$")
_INTERP_END_RE = re.compile(_INTERP_WORDS + r"$")
# A title ending in a document type is a document, even when it is *about* 解读 work.
_DOC_TYPE_END_RE = re.compile(
    r"(?:通知|意见|办法|方案|规定|制度|决定|公告|通告|通报|批复|规划|细则|规则|条例|要点|措施"
    r"|函|报告|纪要|指引|指南|计划)$"
)


def is_interpretation_title(title: str) -> bool:
    """Whether a title names a 政策解读 (《…》政策解读, 一图读懂…, …答记者问, 【文字解读】…).

    "关于做好政策解读工作的通知" is a document about 解读 work, not an interpretation:
    a title that ends in a document type (通知/意见/办法…) is never one.
    """
    t = _WS_RE.sub("", title or "")
    if not t:
        return False
    if _INTERP_LEAD_RE.search(t) or _INTERP_TAIL_TAG_RE.search(t):
        return True
    t = _TRAILING_PAREN_RE.sub("", t)
    if _DOC_TYPE_END_RE.search(t):
        return False
    return bool(_INTERP_END_RE.search(t))


_CORE_LEAD_TAG_RE = re.compile(r"^[【\[][^】\]]{0,12}[】\]]")
_CORE_TAIL_TAG_RE = re.compile(r"[【\[][^】\]]{0,12}[】\]]$")
_CORE_TAIL_PAREN_RE = re.compile(
    r"[（(][^（）()]{0,8}(?:解读|图解|图文|文字|视频|一图|问答|全文)[^（）()]{0,8}[）)]$")
_CORE_LEAD_INTERP_RE = re.compile(
    r"^(?:一图(?:读懂|看懂|了解|速览)|图解|图说|[\u4e00-\u9fffA-Za-z0-9]{0,4}?解读[：:｜|丨]|解读)[：:｜|丨]?"
)
_CORE_TAIL_INTERP_RE = re.compile(
    r"(?:政策解读|的解读|解读稿|解读|答记者问|政策问答|问答|一图读懂|图解)$")
_CORE_ISSUER_RE = re.compile(r"^[^《》]{0,40}?关于(?=.{2,})")
_CORE_SPEAKER_RE = re.compile(r"^[^《》]{0,40}?(?:就|对)(?=《)")
_CORE_ISSUE_WRAP_RE = re.compile(r"^(?:印发|转发)(?=.{2,})")
_CORE_NOTICE_RE = re.compile(r"的通知$")
_PUNCT_RE = re.compile(r"[\W_]+")


def _strip_once(t: str) -> str:
    t = _CORE_LEAD_TAG_RE.sub("", t)
    t = _CORE_TAIL_TAG_RE.sub("", t)
    t = _CORE_TAIL_PAREN_RE.sub("", t)
    t = _CORE_LEAD_INTERP_RE.sub("", t)
    t = _CORE_TAIL_INTERP_RE.sub("", t)
    if t.startswith("《") and t.endswith("》") and t.count("《") == 1:
        return t[1:-1]
    t = _CORE_NOTICE_RE.sub("", t)
    t = _CORE_ISSUER_RE.sub("", t, count=1)
    t = _CORE_SPEAKER_RE.sub("", t, count=1)
    return _CORE_ISSUE_WRAP_RE.sub("", t)


def core_title(title: str) -> str:
    """The document name inside a title, for fuzzy-matching a 解读 to its document.

    Both sides lose the same wrappers — issuer prefix ("XX市人民政府办公室关于"), 印发/转发
    … 的通知, 《》, 解读/政策解读/答记者问/一图读懂/图解/【文字解读】 and all punctuation —
    so "关于印发《A》的通知", "《A》政策解读" and "一图读懂A" all reduce to "A".
    """
    t = _WS_RE.sub("", title or "")
    prev = None
    while t != prev:
        prev = t
        t = _strip_once(t)
    return _PUNCT_RE.sub("", t)


# ---------------------------------------------------------------------------
# Related links and body text
# ---------------------------------------------------------------------------

_INTERP_TEXT_RE = re.compile(r"解读|图解|一图读懂|一图看懂|答记者问")
_DOC_TEXT_RE = re.compile(r"原文|相关文件|政策文件")


def _link_kind(label: str, text: str) -> str:
    """interpretation / document: the anchor text decides when it is explicit, else the label."""
    if _INTERP_TEXT_RE.search(text) or is_interpretation_title(text):
        return "interpretation"
    if _DOC_TEXT_RE.search(text):
        return "document"
    if _INTERP_TEXT_RE.search(label):
        return "interpretation"
    return "document"


def related_links(doc: lxml.html.HtmlElement, base_url: str) -> list[dict]:
    """Links listed under a 相关解读/相关文件/原文/关联稿件… label, in page order.

    Each is ``{"url": absolute URL, "text": anchor text, "kind": "interpretation" |
    "document"}``. Only links *after* the label and before the next such label count,
    inside the smallest element around the label that holds links (a block such as
    ``div.article-reldocuments`` or the paragraph "相关解读：<a>…</a>"). A navigation link
    whose own text is 政策解读 is a column, not a label, and is ignored. Template anchors
    without an href (filled by AJAX on TRS trt_ pages) yield nothing.
    """
    base_url = document_base(doc, base_url)  # <base href> rules relative links here too
    root = _content_root(doc)
    flat = _flatten(root)
    labels = _find_labels(flat, _RELATED_LABEL_RE)
    out: list[dict] = []
    seen: set[str] = set()
    for k, lab in enumerate(labels):
        if lab.label in _LINK_BLOCK_END_LABELS:
            continue
        if lab.label in _COLUMN_NAME_LABELS and not lab.colon:
            continue  # "<h3>政策解读</h3><ul>…": the site's latest interpretations, on every page
        nxt = labels[k + 1].piece if k + 1 < len(labels) else len(flat.pieces)
        el = flat.owner[lab.piece]
        chosen: list[lxml.etree._Element] = []
        while el is not None and el in flat.span:
            chosen = [a for a in el.iter("a")
                      if a in flat.span and lab.piece < flat.span[a][0] <= nxt]
            # Climb only out of elements that hold the label and nothing else: an empty
            # "关联稿件" list must not borrow the share links of the page around it.
            if chosen or not _holds_only_label(flat, el, lab) or _local_tag(el) in ("body", "html"):
                break
            el = el.getparent()
        for a in chosen:
            href = (a.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:")):
                continue
            url = urljoin(base_url, href)
            if url in seen:
                continue
            seen.add(url)
            text = _collapse(a.text_content()) or _collapse(a.get("title") or "")
            out.append({"url": url, "text": text, "kind": _link_kind(lab.label, text)})
    return out


_MAIN_XPATHS: tuple[str, ...] = (
    ".//*[@id='UCAP-CONTENT']",
    ".//ucapcontent",
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    ".//*[@id='zoomcon']",
    ".//*[@id='wenzhang-content']",
    ".//div[contains(@class, 'article_content')]",
    ".//div[contains(@class, 'article-content')]",
    ".//div[contains(@class, 'pages_content')]",
    ".//*[@id='content']",
)
_INLINE_WS_RE = re.compile(r"[ \t\r\f\v\u00a0\u2002\u2003\u2009\u3000]+")


def _visible_text(el: lxml.etree._Element) -> str:
    flat = _flatten(el)
    text = strip_jsp("".join(p.text for p in flat.pieces))
    lines = (_INLINE_WS_RE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def body_text(doc: lxml.html.HtmlElement) -> str:
    """Visible text of the article body (the whole page body when no known content
    container is found), one line per block; scripts, comments, hidden elements and JSP
    directives removed. Used to find the 文号s a page cites."""
    root = _content_root(doc)
    for xp in _MAIN_XPATHS:
        for el in root.xpath(xp):
            text = _visible_text(el)
            if text:
                return text
    return _visible_text(root)
