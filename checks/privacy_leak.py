"""个人信息未去标识化: full 身份证号码, private persons' 手机号码 and 银行卡号 published on a page or in
an attachment (.xls .xlsx .et .csv .doc .docx .wps .pdf .txt).

Why a check of its own: provincial notices name leaked 公示/名单 lists as a serious error
(2018 政务公开工作要点: 涉及个人隐私的信息公开时要去标识化; 《互联网政务应用安全管理规定》2024). The rules
(checksums, person contexts, masked forms that are correct) are in checks/privacy_rules.py and are
applied at crawl time; the store keeps masked samples only, so neither it nor any report re-leaks
a number.

One finding per page or attachment holding the data: ``url`` = that page or attachment,
``found_on`` = the page itself, or the pages linking the attachment; ``data.kinds`` = kind, count
of distinct numbers, masked samples and where they sit (table column, paragraph, sheet). Severity
high. An attachment that could not be read (a scanned PDF without text, over the size or time
limit, corrupt) is an ``info`` prompt (需人工核实) only where its link text (or, for a bare 附件1,
the linking page's title) says it is a 公示/名单-like list: an unreadable annual report is no
suspicion of anything.
"""
from __future__ import annotations

import re
from typing import Iterable

from .content_common import attachments, content_pages, found_on
from .crawl import Crawl
from .privacy_rules import CONTACT_DIRECTORY, PERSON_CONTEXT
from .spec import CheckSpec
from .wording import book_title

RULE = ("依据《2018年政务公开工作要点》（国办发〔2018〕23号）“涉及个人隐私的信息公开时要去标识化”"
        "和《互联网政务应用安全管理规定》（2024年）")
UNREAD = {"no_text": "无可提取的文字（可能为扫描件）", "too_large": "超过读取上限", "timeout": "读取超时",
          "failed": "文件无法读取", "unsupported": "格式无法读取"}


def _describe(kinds: list[dict]) -> str:
    return "、".join(f"{k['label']} {k['count']} 个（如 {k['samples'][0]}）" if k.get("samples") else f"{k['label']} {k['count']} 个"
                    for k in kinds)


def _places(kinds: list[dict]) -> list[str]:
    out: list[str] = []
    for k in kinds:
        for w in k.get("where") or []:
            if w not in out:
                out.append(w)
    return out


def _decisive_context(att: dict) -> str:
    """A descriptive link text (统计年报.xlsx, 救助对象名单.pdf) says what the file is; a bare one
    (附件1.xlsx, 下载) leaves it to the linking page's title."""
    anchor = att.get("anchor") or ""
    return anchor if len(re.findall(r"[\u4e00-\u9fff]", anchor)) >= 4 else (att.get("context") or "")


def _person_list(context: str) -> bool:
    return any(w in context for w in PERSON_CONTEXT) and not any(w in context for w in CONTACT_DIRECTORY)


def run(crawl: Crawl) -> Iterable[dict]:
    for page in content_pages(crawl, "privacy"):
        kinds = page["value"]
        yield {
            "url": page["url"], "found_on": [page["url"]], "severity": "high",
            "detail": f"页面公开了未去标识化的个人信息：{_describe(kinds)}，位于{'、'.join(_places(kinds)[:3])}。{RULE}",
            "data": {"kinds": kinds, "where": _places(kinds), "source": "page", "title": page.get("title") or ""},
        }
    for att in attachments(crawl):
        kinds = att["privacy"]
        pages, count = found_on(crawl, att["url"])
        if kinds:
            yield {
                "url": att["url"], "found_on": pages, "severity": "high",
                "detail": f"附件公开了未去标识化的个人信息：{_describe(kinds)}，位于{'、'.join(_places(kinds)[:3])}。{RULE}",
                "data": {"kinds": kinds, "where": _places(kinds), "source": "attachment", "format": att.get("kind"),
                         "anchor": att.get("anchor") or "", "found_on_count": count, "truncated": bool(att.get("truncated"))},
            }
        elif att["status"] in UNREAD and _person_list(_decisive_context(att)):
            yield {
                "url": att["url"], "found_on": pages, "severity": "info",
                "detail": f"名单类附件{UNREAD[att['status']]}，未能检查其中是否有未去标识化的个人信息，需人工核实"
                          f"（{att.get('reason') or ''}）。{RULE}",
                "data": {"kinds": [], "status": att["status"], "reason": att.get("reason") or "", "format": att.get("kind"),
                         "anchor": att.get("anchor") or "", "found_on_count": count, "rule": "unread"},
            }


def _where(f: dict) -> str:
    data = f.get("data") or {}
    places = "、".join((data.get("where") or [])[:3])
    if data.get("source") == "attachment" or data.get("rule") == "unread":
        pages = f.get("found_on") or []
        name = data.get("anchor") or f.get("url", "")
        return f"附件“{name}”" + (f"（{places}）" if places else "") + (f"\n所在页面：{pages[0]}" if pages else "")
    title = data.get("title")
    return (book_title(title) if title else f.get("url", "")) + (f"（{places}）" if places else "")


def _short(f: dict) -> str:
    data = f.get("data") or {}
    if data.get("source") == "attachment" or data.get("rule") == "unread":
        return f"附件“{data.get('anchor') or f.get('url', '')}”"
    return book_title(data["title"]) if data.get("title") else f.get("url", "")


def _summary(items: list[dict]) -> str:
    n = len(items)
    labels = list(dict.fromkeys(k["label"] for f in items for k in (f.get("data") or {}).get("kinds") or []))
    names = "".join(_short(f) for f in items[:2])
    return (f"有 {n} 处页面或附件公开未去标识化的个人信息" + (f"（{'、'.join(labels)}）" if labels else "")
            + f"，如{names}" + ("等" if n > 2 else ""))


CHECK = CheckSpec(
    id="privacy_leak", title="个人信息未去标识化", run=run, order=38,
    hint="页面或附件（表格、文档、PDF）公开了完整的身份证号码、个人手机号码或银行卡号。",
    where=_where, short=_short, summary=_summary,
)
