"""Messages of 领导信箱/咨询/投诉 columns (互动回应差): recognised on list and detail pages, and
judged against the inspection date.

Why: the 2019 indicators make 互动回应差 a veto ("监测时间点前1年内存在超过3个月未回应的有效留言")
and 留言答复 not updated within 2 months a deduction; a site with no working message channel
at all is a veto too (未提供网上有效咨询建言渠道). The crawler calls :func:`extract_messages` on every
page of a consultation column (:func:`is_consultation_channel`) and stores the rows; the
``unanswered_message`` check merges them (:func:`merge`, a detail page wins over its list row) and
calls :func:`judge`.

Recognised forms: tables whose header names a title column and a status or date column
(标题 · 留言时间 · 状态 · 回复时间), list items (``li``) carrying a link and a status word
(已回复/未回复/办理中 …), and detail pages with labelled fields (留言时间：…, 回复时间：…,
回复内容：…, 办理状态：…). A status is read only from those words: when neither status, reply
date nor reply text says anything, the message is *unknown* and never counted as unanswered —
a false 单项否决 is the worst outcome.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Iterable, Sequence
from urllib.parse import urljoin

from .dates import find_dates, labelled_date, parse_date

__all__ = ["Message", "MessageJudgement", "normalise_status", "is_consultation_channel", "find_channels", "extract_messages",
           "merge", "judge"]

CHANNEL_WORDS = ("信箱", "咨询", "投诉", "留言", "建议", "问政", "民意", "12345", "在线问答", "网上信访")
NOT_CONSULTATION = ("在线访谈", "访谈", "调查征集", "征集", "调查", "纪检", "举报", "信访")

_UNANSWERED = ("未回复", "未答复", "待回复", "待答复", "未处理", "待处理", "未办结", "未受理", "待受理", "暂未回复", "尚未回复")
_IN_PROGRESS = ("办理中", "处理中", "正在办理", "正在处理", "已受理", "受理中", "已转办", "转办中", "已交办", "交办中", "已签收", "审核中")
_ANSWERED = ("已回复", "已答复", "已办结", "已处理", "已反馈", "已解决", "办结", "已回", "已完成")
_INVALID = ("不予受理", "无效", "重复", "已撤销", "不予公开")
_NO_REPLY_TEXT = ("暂无", "无回复", "待回复", "未回复", "正在办理", "办理中", "尚未")
_NO_REPLY_SAID = ("暂无答复", "暂无回复", "尚未答复", "尚未回复", "待答复", "待回复", "未答复", "未回复")
_WRAP = " \t（()【】[]〔〕。.…"


def _reply_shown(text: str | None) -> bool:
    """A reply field's text is a reply, not a placeholder: "暂无", "（信件正在办理中，暂无答复）"."""
    t = (text or "").strip(_WRAP)
    if not t or any(t.startswith(w) for w in _NO_REPLY_TEXT):
        return False
    return not (len(t) <= 30 and any(w in t for w in _NO_REPLY_SAID))

ASKED_LABELS = ("留言时间", "来信时间", "提问时间", "咨询时间", "写信时间", "提交时间", "投诉时间", "留言日期", "来信日期", "反映时间")
REPLY_LABELS = ("回复时间", "答复时间", "办结时间", "回复日期", "答复日期", "处理时间", "反馈时间")
REPLY_TEXT_LABELS = ("回复内容", "答复内容", "回复意见", "答复意见", "办理结果", "处理结果", "回复", "答复")
STATUS_LABELS = ("办理状态", "回复状态", "处理状态", "状态")
TITLE_LABELS = ("留言标题", "信件标题", "来信标题", "咨询标题", "标题", "主题")


_HINT = re.compile("|".join(re.escape(w) for w in (*_UNANSWERED, *_IN_PROGRESS, *_ANSWERED, *_INVALID, *ASKED_LABELS))
                   + r"|留\s*言\s*时\s*间|来\s*信\s*时\s*间")


@dataclass
class Message:
    title: str
    url: str
    asked: str | None = None        # ISO date the message was left
    status: str | None = None       # answered | in_progress | unanswered | invalid | None (unknown)
    status_text: str = ""
    replied: str | None = None      # ISO date of the reply
    reply_present: bool | None = None
    source: str = ""                # table | list | detail | block (shown whole on a list page)
    channel: str = ""
    anchor: str | None = None       # a block's id on its page: several messages share the page's URL

    def as_dict(self) -> dict:
        return asdict(self)


def normalise_status(text: str) -> str | None:
    t = re.sub(r"\s+", "", text or "")
    if not t:
        return None
    for words, status in ((_INVALID, "invalid"), (_UNANSWERED, "unanswered"), (_IN_PROGRESS, "in_progress"),
                          (_ANSWERED, "answered")):
        if any(w in t for w in words):
            return status
    return None


def is_consultation_channel(name: str) -> bool:
    """领导信箱/咨询/投诉 columns count; 在线访谈, 调查征集, 信访, 纪检举报 do not (domain.md §9)."""
    n = name or ""
    return any(w in n for w in CHANNEL_WORDS) and not any(w in n for w in NOT_CONSULTATION)


def _clean(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _col(header: Sequence[str], labels: Iterable[str]) -> int | None:
    for label in labels:
        for i, h in enumerate(header):
            if label in h:
                return i
    return None


def _from_tables(doc, page_url: str, as_of: date) -> list[Message]:
    out = []
    for table in doc.iter("table"):
        if table.xpath(".//table"):
            continue
        trs = list(table.iter("tr"))
        if len(trs) < 2:
            continue
        header = [_clean(c.text_content()) for c in trs[0] if c.tag in ("td", "th")]
        t_col = _col(header, TITLE_LABELS + ("内容", "事项"))
        s_col = _col(header, STATUS_LABELS)
        a_col = _col(header, ASKED_LABELS)
        r_col = _col(header, REPLY_LABELS)
        if t_col is None or (s_col is None and a_col is None and r_col is None):
            continue
        if a_col is None and s_col is not None:
            a_col = _col(header, ("时间", "日期"))
        for tr in trs[1:]:
            cells = [c for c in tr if c.tag in ("td", "th")]
            if len(cells) <= t_col:
                continue
            link = cells[t_col].find(".//a[@href]")
            if link is None:
                link = tr.find(".//a[@href]")
            text = [_clean(c.text_content()) for c in cells]
            cell = lambda i: text[i] if i is not None and i < len(text) else ""
            status = normalise_status(cell(s_col))
            replied = parse_date(cell(r_col), as_of) if r_col is not None else None
            out.append(Message(
                title=cell(t_col), url=urljoin(page_url, link.get("href")) if link is not None else page_url,
                asked=_iso(parse_date(cell(a_col), as_of) if a_col is not None else None), status=status,
                status_text=cell(s_col), replied=_iso(replied),
                reply_present=True if replied or status == "answered" else (False if status == "unanswered" else None),
                source="table"))
    return out


def _labelled(text: str, labels: Sequence[str], as_of: date) -> date | None:
    return labelled_date(text, labels, as_of=as_of)


def _from_items(doc, page_url: str, as_of: date) -> list[Message]:
    out = []
    for li in doc.iter("li", "dl"):
        links = li.findall(".//a[@href]")
        if not links or li.find(".//li") is not None:
            continue
        text = _clean(li.text_content())
        status_text = next((w for w in (*_INVALID, *_UNANSWERED, *_IN_PROGRESS, *_ANSWERED) if w in text), "")
        if not status_text:
            continue
        link = max(links, key=lambda a: len(_clean(a.text_content())))
        asked = _labelled(text, ASKED_LABELS, as_of)
        replied = _labelled(text, REPLY_LABELS, as_of)
        if asked is None:
            dates = find_dates(text, as_of)
            asked = dates[0] if dates else None
            if replied is None and len(dates) >= 2:
                replied = dates[1]
        status = normalise_status(status_text)
        out.append(Message(
            title=_clean(link.get("title")) or _clean(link.text_content()), url=urljoin(page_url, link.get("href")),
            asked=_iso(asked), status=status, status_text=status_text, replied=_iso(replied),
            reply_present=True if replied or status == "answered" else (False if status == "unanswered" else None),
            source="list"))
    return out


def _field(text: str, labels: Sequence[str]) -> str | None:
    for label in labels:
        m = re.search(rf"{label}\s*[:：]\s*(.*)", text)
        if m:
            return m.group(1).strip()
    return None


def _page_lines(doc) -> list[str]:
    """Visible text, one line per text node (a table's label and value cells become two lines)."""
    body = doc.find(".//body")
    root = body if body is not None else doc
    lines = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript"):
            if el.tail and el.tail.strip():
                lines.append(_clean(el.tail))
            continue
        for t in (el.text, el.tail if el is not root else None):
            if t and t.strip():
                lines.append(_clean(t))
    return lines


_ALL_LABELS = REPLY_TEXT_LABELS + STATUS_LABELS + TITLE_LABELS + ASKED_LABELS + REPLY_LABELS


_LABEL_LINE = re.compile(r"^(" + "|".join(sorted(_ALL_LABELS, key=len, reverse=True)) + r")\s*(?:[:：]\s*(.*)|$)")


def _fields(lines: list[str]) -> dict[str, str]:
    """label -> value for "label：value" lines and for a label line followed by its value line."""
    out: dict[str, str] = {}
    label_re = _LABEL_LINE
    i = 0
    while i < len(lines):
        m = label_re.match(lines[i].replace(" ", "") if len(lines[i]) < 12 else lines[i])
        if m:
            label, value = m.group(1), (m.group(2) or "").strip()
            if not value and i + 1 < len(lines) and not label_re.match(lines[i + 1]):
                value = lines[i + 1]
                i += 1
            out.setdefault(label, value)
        i += 1
    return out


def _from_detail(doc, page_url: str, as_of: date) -> Message | None:
    fields = _fields(_page_lines(doc))
    asked_text = next((fields[k] for k in ASKED_LABELS if k in fields), None)
    asked = parse_date(asked_text, as_of) if asked_text else None
    if asked is None:
        return None
    replied_text = next((fields[k] for k in REPLY_LABELS if k in fields), None)
    replied = parse_date(replied_text, as_of) if replied_text else None
    status_text = next((fields[k] for k in STATUS_LABELS if k in fields), "")[:20]
    status = normalise_status(status_text)
    reply_text = next((fields[k] for k in REPLY_TEXT_LABELS if k in fields), None)
    present: bool | None = None
    if reply_text is not None:
        present = _reply_shown(reply_text)
    if replied is not None:
        present = True
    if status is None and present is True:
        status = "answered"
    if status is None and present is False:
        status = "unanswered"
    title = next((fields[k] for k in TITLE_LABELS if fields.get(k)), "")
    if not title:
        h = doc.find(".//h1")
        title = _clean(h.text_content()) if h is not None else _clean(doc.findtext(".//title"))
    return Message(title=title[:200], url=page_url, asked=_iso(asked), status=status, status_text=status_text,
                   replied=_iso(replied), reply_present=present, source="detail")


_ASKED_START = re.compile(r"^(?:" + "|".join(ASKED_LABELS) + r")\s*[:：]?")
_NUMBER_PREFIX = re.compile(r"^(?:信件|留言|来信)?编号\s*[:：]\s*[A-Za-z0-9\-_]+\s*")
_STATUS_WORDS = (*_INVALID, *_UNANSWERED, *_IN_PROGRESS, *_ANSWERED)


def _from_blocks(doc, page_url: str, as_of: date) -> list[Message]:
    """Messages shown whole on a list page (PHPCMS/帝国 留言板: each a box with its title, status,
    留言时间, 回复时间 and 回复内容): each block is the largest element holding one 留言时间 label.
    Fewer than two blocks is a detail page, read by _from_detail."""
    labels = []
    for el in doc.iter():
        if isinstance(el.tag, str) and el.tag not in ("script", "style") and el.text and \
                _ASKED_START.match(el.text.strip().replace(" ", "").replace("\u3000", "")):
            labels.append(el)
    if len(labels) < 2:
        return []
    count: dict = {}
    for el in labels:
        for a in el.iterancestors():
            count[a] = count.get(a, 0) + 1
    blocks = []
    for el in labels:
        block = el
        for a in el.iterancestors():
            if count[a] > 1:
                break
            block = a
        if block is el or block in blocks:
            return []  # labels side by side in one element: not one box per message
        blocks.append(block)
    out = []
    for block in blocks:
        lines = _page_lines(block)
        fields = _fields(lines)
        asked_text = next((fields[k] for k in ASKED_LABELS if k in fields), None)
        asked = parse_date(asked_text, as_of) if asked_text else None
        if asked is None:
            continue
        # The status badge sits before the labels, beside the title ("…堵塞 未回复").
        head = " ".join(lines[:next((i for i, t in enumerate(lines) if _ASKED_START.match(t.replace(" ", ""))), len(lines))])
        status_text = next((fields[k] for k in STATUS_LABELS if fields.get(k)), "") or \
            next((w for w in _STATUS_WORDS if w in head), "")
        status = normalise_status(status_text[:20])
        replied_text = next((fields[k] for k in REPLY_LABELS if k in fields), None)
        replied = parse_date(replied_text, as_of) if replied_text else None
        reply_text = next((fields[k] for k in REPLY_TEXT_LABELS if k in fields), None)
        present: bool | None = None
        if reply_text is not None:
            present = _reply_shown(reply_text)
        if replied is not None:
            present = True
        if status is None:
            status = {True: "answered", False: "unanswered"}.get(present)
        title = next((fields[k] for k in TITLE_LABELS if fields.get(k)), "")
        if not title:
            h = next((e for e in block.iter("h1", "h2", "h3", "h4", "h5", "strong", "b") if _clean(e.text_content())), None)
            title = _clean(h.text_content()) if h is not None else head
            title = _NUMBER_PREFIX.sub("", _clean(title))
            for w in sorted(_STATUS_WORDS, key=len, reverse=True):
                title = re.sub(rf"(?:已?转交)?{w}$", "", title.strip())
        anchor = block.get("id") or next((a.get("name") for a in block.iter("a") if a.get("name")), None)
        out.append(Message(title=_clean(title)[:200], url=page_url, asked=_iso(asked), status=status,
                           status_text=status_text[:20], replied=_iso(replied), reply_present=present,
                           source="block", anchor=anchor))
    return out if len(out) >= 2 else []


def extract_messages(doc, page_url: str, as_of: date, channel: str = "",
                     text_content: str | None = None) -> list[Message]:
    """Message rows on one page (lxml tree): list rows, or the one message of a detail page.
    ``text_content``: ``doc.text_content()`` when the caller already has it."""
    text = text_content if text_content is not None else doc.text_content()
    if not _HINT.search(text):  # most pages: no status word, no 留言时间-like label
        return []
    rows = _from_tables(doc, page_url, as_of) or _from_items(doc, page_url, as_of) or _from_blocks(doc, page_url, as_of)
    if not rows:
        d = _from_detail(doc, page_url, as_of)
        rows = [d] if d else []
    for m in rows:
        m.channel = channel
    return rows


def find_channels(doc, page_url: str) -> list[tuple[str, str]]:
    """Links (anchor text, absolute URL) into a consultation channel: 领导信箱, 政务咨询, 投诉建议 …

    Recorded on the home page (and nav pages) so that 未提供网上有效咨询建言渠道 can be decided:
    a channel hosted on another platform (the province's 12345) counts as a channel too.
    """
    out = []
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        text = _clean(a.text_content()) or _clean(a.get("title")) or _clean(" ".join(a.xpath(".//img/@alt")))
        if not href or href.startswith(("#", "javascript:", "mailto:")) or len(text) > 20:
            continue
        if is_consultation_channel(text):
            out.append((text, urljoin(page_url, href)))
    return out


_TITLE_TAG = re.compile(r"^\s*(?:[\[【〔(（][^\]】〕)）]{1,8}[\]】〕)）]\s*)+")
_TITLE_CUT = re.compile(r"(?:\.{2,}|…+|\s)+$")


def same_title(a: str | None, b: str | None) -> bool:
    """One message's title as a home block and its list show it: "[咨询] 开办食品小作坊…" and
    "开办食品小作坊需要办理哪些手续？" (a category tag before it, the end cut off)."""
    x, y = (_TITLE_CUT.sub("", _TITLE_TAG.sub("", t or "")).strip() for t in (a, b))
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    return len(short) >= 6 and long_.startswith(short)


def merge(messages: Iterable[Message]) -> list[Message]:
    """One row per URL; a detail page's fields win over the list row's where it has them."""
    by_url: dict[str, Message] = {}
    rank = {"detail": 2, "table": 1, "list": 1}
    for m in messages:
        key = m.url if m.source == "detail" or m.url else f"{m.title}|{m.asked}"
        if m.source != "detail" and m.url and any(x.url == m.url and x.source != "detail" and not same_title(x.title, m.title)
                                                   for x in by_url.values()):
            key = f"{m.url}#{m.title}"  # several rows linking one page (no detail links)
        old = by_url.get(key)
        if old is None:
            by_url[key] = Message(**m.as_dict())
            continue
        hi, lo = (m, old) if rank.get(m.source, 0) >= rank.get(old.source, 0) else (old, m)
        merged = Message(**lo.as_dict())
        for k, v in hi.as_dict().items():
            if v not in (None, ""):
                setattr(merged, k, v)
        by_url[key] = merged
    return list(by_url.values())


@dataclass
class MessageJudgement:
    unanswered: list[Message] = field(default_factory=list)
    stale_replies: dict | None = None      # {"newest_reply": ISO, "days": n} when older than the limit
    no_channel: bool = False
    counted: int = 0                       # messages inside the window with a known date
    unknown: int = 0                       # inside the window, status unknown: 需人工核实
    #: 办理中/已受理 for more than the limit with no reply shown: the unit may have answered by phone
    #: or be within a longer 办理时限, so a person decides (unless in_progress_counts).
    long_in_progress: list[Message] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"unanswered": [m.as_dict() for m in self.unanswered], "stale_replies": self.stale_replies,
                "no_channel": self.no_channel, "counted": self.counted, "unknown": self.unknown}


def judge(messages: Iterable[Message], as_of: date, channel_found: bool, unanswered_days: int = 90,
          window_days: int = 365, stale_reply_days: int = 60, in_progress_counts: bool = False) -> MessageJudgement:
    """Unanswered messages, stale replies and a missing channel, as of the inspection date.

    Unanswered: left more than ``unanswered_days`` and at most ``window_days`` before ``as_of``,
    status 未回复-like (or a detail page whose reply is empty); 办理中 past the limit with no reply
    shown goes to ``long_in_progress`` (a question), or counts when ``in_progress_counts``; invalid
    messages do not count. Stale: the newest reply date of all messages is more than
    ``stale_reply_days`` before ``as_of``.
    """
    msgs = list(messages)
    out = MessageJudgement(no_channel=not channel_found)
    newest: date | None = None
    for m in msgs:
        if m.replied:
            r = date.fromisoformat(m.replied)
            if r <= as_of + timedelta(days=1):
                newest = r if newest is None or r > newest else newest
        if not m.asked or m.status == "invalid":
            continue
        age = (as_of - date.fromisoformat(m.asked)).days
        if age > window_days or age < 0:
            continue
        out.counted += 1
        if m.status is None and m.reply_present is None and not m.replied:
            out.unknown += 1
            continue
        if age > unanswered_days and m.status == "unanswered" and not m.replied:
            out.unanswered.append(m)
        elif age > unanswered_days and m.status is None and m.reply_present is False:
            out.unanswered.append(m)
        elif age > unanswered_days and m.status == "in_progress" and not m.replied and m.reply_present is not True:
            (out.unanswered if in_progress_counts else out.long_in_progress).append(m)
    if newest is not None and (as_of - newest).days > stale_reply_days:
        out.stale_replies = {"newest_reply": newest.isoformat(), "days": (as_of - newest).days}
    return out
