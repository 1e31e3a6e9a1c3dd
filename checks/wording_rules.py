"""Serious misstatements (严重表述错误) found by dictionary: abolished institution names and
miswritten fixed phrases. Pure functions; the ``wrong_expression`` check calls :func:`scan`.

Dictionaries are data (config/wording/institutions.yaml, phrases.yaml, shipped as package data)
and an office adds its own files (``wording.extra_files`` in its config) without code changes.

Matching is one Aho-Corasick pass per text (``pyahocorasick``: a C extension with wheels for
every CPython we support, maintained, installs without a compiler), so the cost is linear in the
text whatever the dictionary size; overlapping matches keep the longest (法制办公室 over 法制办,
银保监会 over 保监会).

An abolished name is only wrong when used *as current*:

- the page's own publication date is on or after the entry's ``since`` date (the reform done
  at that level); an undated page yields hits marked ``undated`` (the check says 需人工核实);
- it is not part of a current name: per-entry ``not_after``/``not_before`` characters
  (保监会 in 银保监会, 旅游局 in 文化和旅游局, 农业部 in 农业部门). Names such as 农业局 vs
  农业农村局 need nothing: the old name is not a substring of the new one (a test checks every
  pair of the shipped dictionary);
- it is not marked historical: 原… just before the name (原市国土资源局, 市原国土资源局), a
  sentence about the reform itself (更名, 组建, 不再保留, 划入, 前身, …), a sentence dated with a
  year before the reform only, or the name inside a quoted document title 《…》.

Fixed-phrase typos are wrong wherever they are, titles included (in_title makes them more severe).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

import ahocorasick
import yaml

__all__ = ["Entry", "Dictionaries", "WordingHit", "load_dictionaries", "scan", "scan_html", "page_title_and_text", "current_on"]

HISTORY_MARKERS = ("更名", "改名", "改革前", "组建", "不再保留", "撤销", "撤并", "划入", "划转", "整合", "前身",
                   "曾用名", "原名", "机构改革", "挂牌成立", "职责调整",
                   # a career told in the past (a leader's 简历): the posts it names were current then
                   "历任", "曾任", "先后任", "先后担任", "时任", "曾担任")
_SENTENCE_END = re.compile(r"[。！？!?；;\n\r]")
_CLAUSE_START = re.compile(r"[，,、：:（(\s“”\"《》【】\[\]]")
# 原则上, 原因: the only words where 原 before a name is plainly not "former". Kept this short on
# purpose: 原文/原址/原件… may well introduce old text, and a missed name beats a false veto.
_NOT_FORMER = re.compile(r"原[则因]")
_FORMER_PLACE = re.compile(r"[在由从自至于同按据被随将把对与和及为是经向的]原(?![则因])[\u4e00-\u9fa5]{0,6}$")
# A year written 2016年, or a month as in a résumé line: 2016.03—2019.01, 2016-03, 2016/3, 2016年3月.
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?:\s*年(?:\s*(\d{1,2})\s*月)?|[.．/-](\d{1,2})(?:[.．/-]\d{1,2})?(?![\d.]))")


@dataclass(frozen=True)
class Entry:
    kind: str                     # institution | phrase
    wrong: str
    right: str
    since: date | None = None     # institutions: wrong on pages published on/after this day
    reform: str = ""
    not_after: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()


@dataclass
class Dictionaries:
    entries: list[Entry]
    automaton: object = field(repr=False, default=None)

    def build(self) -> "Dictionaries":
        a = ahocorasick.Automaton()
        for i, e in enumerate(self.entries):
            a.add_word(e.wrong, i)  # a later file's entry for the same word replaces the earlier
        a.make_automaton()
        self.automaton = a
        return self


@dataclass
class WordingHit:
    kind: str
    wrong: str
    suggestion: str
    sentence: str
    in_title: bool
    offset: int
    reform: str = ""
    since: str | None = None
    undated: bool = False

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _as_date(v) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def _entries_from(data: dict, source: str) -> list[Entry]:
    out = []
    for row in data.get("institutions") or []:
        out.append(Entry("institution", str(row["old"]), str(row["new"]), _as_date(row.get("since")),
                         str(row.get("reform", "")), tuple(row.get("not_after") or ()),
                         tuple(row.get("not_before") or ())))
    for row in data.get("phrases") or []:
        out.append(Entry("phrase", str(row["wrong"]), str(row["right"]), None, "",
                         tuple(row.get("not_after") or ()), tuple(row.get("not_before") or ())))
    for e in out:
        if not e.wrong:
            raise ValueError(f"词典 {source} 中有空词条")
    return out


@lru_cache(maxsize=8)
def _load(extra: tuple[str, ...]) -> Dictionaries:
    entries: list[Entry] = []
    base = resources.files("govaudit.config").joinpath("wording")
    for name in ("institutions.yaml", "phrases.yaml"):
        entries += _entries_from(yaml.safe_load(base.joinpath(name).read_text(encoding="utf-8")) or {}, name)
    for path in extra:
        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(f"表述错误词典文件不存在：{p}")
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8-sig")) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"表述错误词典文件 {p} 格式错误：{exc}") from None
        if not isinstance(data, dict):
            raise ValueError(f"表述错误词典文件 {p} 的顶层应为 institutions/phrases 映射")
        try:
            entries += _entries_from(data, str(p))
        except KeyError as exc:
            raise ValueError(f"表述错误词典文件 {p} 的词条缺少字段 {exc}") from None
    return Dictionaries(entries).build()


def load_dictionaries(extra_files: Iterable[str | Path] = ()) -> Dictionaries:
    """Shipped dictionaries plus an office's own files (same YAML shape). Cached."""
    return _load(tuple(str(p) for p in extra_files))


def _sentence(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence around [start, end) and its start offset in ``text``."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 200), start)), default=max(0, start - 200))
    m = _SENTENCE_END.search(text, end, end + 200)
    right = m.start() + 1 if m else min(len(text), end + 200)
    return text[left:right], left


def _in_book_title(text: str, start: int) -> bool:
    opened = text.rfind("《", max(0, start - 120), start)
    return opened >= 0 and text.rfind("》", opened, start) < 0 and "》" in text[start: start + 120]


def _historical(text: str, start: int, end: int, e: Entry) -> bool:
    window = text[max(0, start - 12): start]
    cut = max((m.end() for m in _CLAUSE_START.finditer(window)), default=0)
    prefix = window[cut:]
    if (prefix.startswith("原") and not _NOT_FORMER.match(prefix)) or prefix.endswith("原") or re.search(r"[省市县区州盟旗]原", prefix):
        return True
    # 在原市食药监局…, 由原云川市工商局…: a word such as 在/由 + 原 + the place before the name
    # (not 原则/原因 …, nor a place named 平原/太原).
    if _FORMER_PLACE.search(prefix):
        return True
    if _in_book_title(text, start):
        return True
    sentence, _ = _sentence(text, start, end)
    if any(m in sentence for m in HISTORY_MARKERS):
        return True
    return e.since is not None and _all_dated_before(sentence, e.since)


def _all_dated_before(sentence: str, since: date) -> bool:
    """The sentence carries dates and all are before the reform: to the month where one is given
    ("2016.03—2019.01 江川市环境保护局副局长" before a reform done 2019-03-31), else to the year."""
    dates = []
    for y, m1, m2 in _YEAR.findall(sentence):
        month = int(m1 or m2 or 0)
        dates.append((int(y), month if 1 <= month <= 12 else 0))
    if not dates:
        return False
    return all(date(y, m, 1) < since if m else y < since.year for y, m in dates)


def _matches(text: str, d: Dictionaries) -> list[tuple[int, int, Entry]]:
    found = []
    for end_idx, i in d.automaton.iter(text):
        e = d.entries[i]
        found.append((end_idx - len(e.wrong) + 1, end_idx + 1, e))
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    chosen, last_end = [], -1
    for s, t, e in found:  # leftmost-longest, no overlaps
        if s >= last_end:
            chosen.append((s, t, e))
            last_end = t
    return chosen


def _scan_one(text: str, in_title: bool, pub: date | None, d: Dictionaries) -> list[WordingHit]:
    hits = []
    for s, t, e in _matches(text, d):
        if any(text[max(0, s - len(w)): s] == w for w in e.not_after):
            continue
        if any(text[t: t + len(w)] == w for w in e.not_before):
            continue
        undated = False
        if e.kind == "institution":
            if pub is None:
                undated = True
            elif e.since and pub < e.since:
                continue
            if _historical(text, s, t, e):
                continue
        sentence, _ = _sentence(text, s, t)
        hits.append(WordingHit(e.kind, e.wrong, e.right, sentence.strip()[:300], in_title, s, e.reform,
                               e.since.isoformat() if e.since else None, undated))
    return hits


def scan(text: str, title: str = "", pub_date: date | str | None = None,
         dicts: Dictionaries | None = None) -> list[WordingHit]:
    """Misstatements in a page's title and body text.

    ``pub_date`` is the page's own publication date (ISO string or date); None means undated:
    institution hits are then returned with ``undated=True``.
    """
    d = dicts or load_dictionaries()
    pub = _as_date(pub_date)
    return _scan_one(title or "", True, pub, d) + _scan_one(text or "", False, pub, d)


_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section",
                         "article", "dd", "dt", "table", "ul", "ol", "title"})


def current_on(hit: WordingHit, pub_date: date | str | None) -> bool | None:
    """Whether a hit found without a date (``scan(..., pub_date=None)`` at crawl time) is wrong on
    a page published on ``pub_date``: True/False, or None when the page is undated (需人工核实).
    Lets the crawler store candidates once and the check apply the reform dates later."""
    if hit.kind != "institution" or not hit.since:
        return True
    pub = _as_date(pub_date)
    if pub is None:
        return None
    return pub >= date.fromisoformat(hit.since)


def page_title_and_text(doc) -> tuple[str, str]:
    """A parsed page's title (ArticleTitle meta, else <h1>, else <title>) and its visible text,
    with block boundaries as line breaks so a sentence never runs across two blocks."""
    meta = doc.xpath("//meta[translate(@name,'ARTICLETITLE','articletitle')='articletitle']/@content")
    h1 = doc.find(".//h1")
    title = (meta[0] if meta else None) or (h1.text_content() if h1 is not None else None) or doc.findtext(".//title") or ""
    parts: list[str] = []
    body = doc.find(".//body")
    # Text nodes at C speed; a node following a block element, or in another block than the node
    # before it, starts a new line: list rows <li><a>title</a><span>date</span></li> hold no text
    # of their own, and two rows must not read as one sentence.
    prev_block = None
    for t in (body if body is not None else doc).xpath(
            ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"):
        el = t.getparent()
        block = el.getparent() if (el is not None and t.is_tail) else el
        while block is not None and block.tag not in _BLOCK_TAGS:
            block = block.getparent()
        if (el is not None and el.tag in _BLOCK_TAGS) or block is not prev_block:
            parts.append("\n")
        prev_block = block
        parts.append(t)
    text = re.sub(r"[ \t\u3000\xa0]+", " ", "".join(parts))
    return re.sub(r"\s+", " ", title).strip(), "\n".join(ln.strip() for ln in text.split("\n") if ln.strip())


def scan_html(doc, pub_date: date | str | None = None, dicts: Dictionaries | None = None,
              text_content: str | None = None) -> list[WordingHit]:
    """:func:`scan` over a parsed page: its title and visible body text.

    ``text_content`` is ``doc.text_content()`` when the caller already has it (shared by the
    detectors of one page)."""
    d = dicts or load_dictionaries()
    quick = (text_content if text_content is not None else doc.text_content()) + " " + " ".join(doc.xpath("//meta/@content"))
    if next(d.automaton.iter(quick), None) is None:  # most pages: no dictionary word at all
        return []
    dicts = d
    title, text = page_title_and_text(doc)
    hits = scan(text, title=title, pub_date=pub_date, dicts=dicts)
    # The <h1> is both the title and the first body line: report it once, as a title hit.
    return [h for h in hits if h.in_title or h.sentence != title]
