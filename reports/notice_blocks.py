"""The notice's text, written once: a list of typed blocks both writers lay out.

`notice.notice_data` computes the figures; :func:`blocks` turns them into the notice's
sentences, headings and tables. The Word writer (notice_docx) and the HTML writer
(notice_html) only decide how each kind of block looks, so the .docx and the .html can never
say different things.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Union

from govaudit.workdays import cn_date


@dataclass(frozen=True)
class Strong:
    """A figure the reader should see at a glance (bold on screen; plain in the printed body)."""

    text: str


Run = Union[str, Strong]


@dataclass(frozen=True)
class Masthead:
    """版头: the issuing office in red, the 文号 and the red rule. ``form`` is GB/T 9704-2012's
    信函格式 (``letter``: a 函, no page number on page 1) or 文件格式 (``file``)."""

    issuer: str
    number: str
    form: str = "file"


@dataclass(frozen=True)
class Title:
    """The title; ``lines`` is how it breaks (whole words on each line, no lone last character)."""

    text: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Imprint:
    """版记: 抄送 and, in 文件格式, 印发机关 and 印发日期, between the rules at the end."""

    cc: str
    printer: str
    date: str
    form: str = "file"

    @property
    def lines(self) -> tuple[str, ...]:
        out = (f"抄送：{self.cc}。",) if self.cc else ()
        if self.form == "file":
            out += (f"{self.printer}　　{self.date}印发",)
        return out


@dataclass(frozen=True)
class Heading:
    """一、… (level 1, 黑体) or （一）… (level 2, 楷体)."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """Body text; ``indent`` is the two-character first-line indent; ``note`` is small print;
    ``screen_only`` text is for the HTML reader (about the data), not the printed notice."""

    runs: tuple[Run, ...]
    indent: bool = True
    note: bool = False
    screen_only: bool = False

    @property
    def text(self) -> str:
        return "".join(r if isinstance(r, str) else r.text for r in self.runs)


@dataclass(frozen=True)
class Table:
    """A table; ``numeric`` columns are right-aligned; ``wide`` columns only fit on a screen."""

    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    numeric: frozenset[int] = frozenset()
    wide: frozenset[int] = frozenset()
    empty: str = ""  # said instead of an empty table


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str


@dataclass(frozen=True)
class Attachments:
    """附件：1. …, one line each, linked to the file in the HTML."""

    items: tuple[tuple[str, str], ...]  # (label, relative path)


@dataclass(frozen=True)
class Signature:
    """落款: issuer and date, right-aligned."""

    lines: tuple[str, ...]


Block = Union[Masthead, Title, Heading, Paragraph, Table, Figure, Attachments, Signature, Imprint]

_SPACE_NUM = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t]+(?=[\d.%]+)|(?<=[\d%])[ \t]+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


def tidy(text: str) -> str:
    """Office text: no spaces between Chinese and figures (共发现问题39个), and a title inside a title
    as 《…〈…〉…》 (GB/T 15834)."""
    text = _SPACE_NUM.sub("", text)
    return _nest_titles(text)


def _nest_titles(text: str) -> str:
    out, depth = [], 0
    for ch in text:
        if ch in "《〈":
            out.append("《" if depth % 2 == 0 else "〈")
            depth += 1
        elif ch in "》〉" and depth:
            depth -= 1
            out.append("》" if depth % 2 == 0 else "〉")
        else:
            out.append(ch)
    return "".join(out)


def title_lines(text: str, width: float = 18) -> tuple[str, ...]:
    """Break a long title where the words allow (before 检查情况 / after 政府网站), so no line ends
    mid-word and the last line is not a lone character; figures count half a character."""
    def w(t: str) -> float:
        return sum(0.5 if ord(c) < 128 else 1 for c in t)

    if w(text) <= width:
        return (text,)
    for mark in ("政府网站", "网站", "关于"):
        i = text.rfind(mark)
        if i > 0:
            cut = i + len(mark) if mark != "关于" else i
            head, tail = text[:cut], text[cut:]
            if tail and w(head) <= width and w(tail) <= width and len(tail) >= 3:
                return (head, tail)
    mid = len(text) // 2
    return (text[:mid], text[mid:])


def _p(*runs: Run, indent: bool = True, note: bool = False, screen_only: bool = False) -> Paragraph:
    runs = tuple(tidy(r) if isinstance(r, str) else r for r in runs if r != "")
    return Paragraph(runs, indent=indent, note=note, screen_only=screen_only)


def _cell(value: Any) -> Any:
    return tidy(value) if isinstance(value, str) else value


def _url_free(text: str) -> str:
    """The body names sites, columns and counts; addresses are in the 附件 (整改清单)."""
    return "地址见附件整改清单" if re.match(r"https?://", text or "") else text


def _score_sentence(d: dict[str, Any]) -> list[Run]:
    if not d["scored"]:
        return []
    return ["按评分表评分，合格", Strong(str(d["pass_count"])), "个、不合格", Strong(str(d["fail_count"])),
            "个，合格率", Strong(d["pass_rate"]), "。"]


def _availability(d: dict[str, Any]) -> list[Block]:
    rows = d["availability"]
    if not rows:
        return []
    first, last = rows[0]["window"]
    veto = [r for r in rows if r["verdict"] == "veto"]
    warn = [r for r in rows if r["verdict"] == "warning"]
    short = [r for r in rows if r["verdict"] == "insufficient"]
    parts = [f"{cn_date(first)}至{cn_date(last)}，对{len(rows)}个网站首页进行了可用性监测"
             "（每天间隔性访问20次以上，超过15秒仍打不开计为无法访问）"]
    if veto:
        parts.append("无法访问次数占比达到5%、构成单项否决的" + f"{len(veto)}个："
                     + "、".join(f"{r['label']}（{r['ratio']}）" for r in veto))
    if warn:
        parts.append("占比达到3%预警线、尚未构成单项否决的" + f"{len(warn)}个："
                     + "、".join(f"{r['label']}（{r['ratio']}）" for r in warn) + "，请及时排查")
    if short:
        parts.append("监测次数不足、不作结论的" + f"{len(short)}个：" + "、".join(r["label"] for r in short))
    closures = [f"{r['label']}报备关停{'；'.join(r['closures'])}" for r in rows if r["closures"]]
    if closures:
        parts.append("已剔除报备关停期间的监测（" + "；".join(closures) + "）")
    out: list[Block] = [_p("；".join(parts) + "。")]
    out.append(Table(("网站名称", "监测次数", "无法访问次数", "无法访问占比", "最长连续无法访问", "结论", "说明"),
                     tuple((r["name"], r["probes"], r["failures"], r["ratio"], r["outage"], r["verdict_text"], r["note"])
                           for r in rows), numeric=frozenset({1, 2, 3})))
    return out


def _overview(d: dict[str, Any], png: bytes | None) -> list[Block]:
    types = "、".join(f"{t['title']}{t['count']}个" for t in d["by_type"])
    info = (f"另有提示类事项{d['info_total']}个（需人工核实，不计入问题数）" if d.get("info_total") else "")
    out: list[Block] = [
        Heading(1, "一、总体情况"),
        _p("本次共检查政府网站", Strong(str(d["sites_checked"])), f"个（涉及{d['units']}个单位），其中",
           Strong(str(d["veto_count"])), f"个网站存在单项否决问题。", *_score_sentence(d),
           "共发现问题", Strong(str(d["total"])), "个" + (f"，其中{types}" if types else "") + (f"；{info}" if info else "") + "。"),
    ]
    if d["has_baseline"]:
        when = f"上次检查（{d['baseline_month_cn']}）" if d["baseline_month_cn"] else "上次检查"
        unverified = f"，因网站无法访问或检查未完成未能复核{d['unverified']}个" if d["unverified"] else ""
        out.append(_p(f"{when}发现的{d['baseline_total']}个问题中，已整改", Strong(str(d["fixed"])), "个，仍未整改",
                      Strong(str(d["open"])), f"个{unverified}；本月新发现问题", Strong(str(d["new"])), "个。"))
    else:
        out.append(_p(f"本月为首次检查，发现的问题均为新增问题（{d['new']}个）。"))
    if d.get("appealed"):
        out.append(_p(f"经审定，同意核减单位申请核减的问题{d['appealed']}个，不计入本次通报问题数。"))
    out.extend(_availability(d))
    out.append(Table(("问题类型", "问题数", "涉及网站数"), tuple((t["title"], t["count"], t["sites"]) for t in d["by_type"]),
                     numeric=frozenset({1, 2}), empty="未发现问题。"))
    if png:
        out.append(Figure(png, f"图：{d['month_cn']}问题类型、各网站问题数及近期变化趋势"))
    return out


def _veto_parts(problems: list[dict]) -> str:
    return "；".join(f"{it['title']}，{it['detail']}" + (f"（已连续{it['months_open']}个月未整改）" if it["status"] == "未整改" else "")
                     for it in problems)


def _failed(d: dict[str, Any]) -> list[Block]:
    """（一）: the sites that failed (单项否决 or a score below the pass line), before any other problem."""
    if not d["scored"]:
        out: list[Block] = [Heading(2, "（一）单项否决问题")]
        if not d["veto_sites"]:
            out.append(_p("本次检查未发现单项否决问题。"))
        for i, s in enumerate(d["veto_sites"], 1):
            out.append(_p(f"{i}. {s['label']}：" + _veto_parts(s["problems"]) + "。"))
        return out
    out = [Heading(2, "（一）不合格网站")]
    if not d["failed_sites"]:
        out.append(_p("本次检查未发现不合格网站。"))
    for i, s in enumerate(d["failed_sites"], 1):
        if s["veto"] or s["vetoed_items"]:
            text = _veto_parts(s["problems"]) or "单项否决：" + "、".join(s["vetoed_items"])
            out.append(_p(f"{i}. {s['label']}：" + text + "，单项否决，不合格。"))
        else:
            lost = "、".join(f"{item}扣{x:g}分" for item, x in s["deductions"][:5])
            out.append(_p(f"{i}. {s['label']}：{s['reason']}，不合格" + (f"。主要扣分：{lost}" if lost else "") + "。"))
    return out


def _long_open_rows(items: list[dict[str, Any]]) -> list[tuple]:
    """Named problems (a column, a document) one per row; problems known only by an address are
    counted per site, type and streak, their addresses left to the 整改清单 (附件)."""
    rows: list[tuple] = []
    grouped: dict[tuple, int] = {}
    for r in items:
        first = cn_date(r["first_seen"]) if r["first_seen"] else ""
        if re.match(r"https?://", r["what"] or ""):
            mark = "（单位报称已整改，经复核不属实）" if r.get("review_false") else ""
            key = (r["label"], r["title"], first, r["months_open"], mark)
            if key not in grouped:
                grouped[key] = len(rows)
                rows.append([r["label"], r["title"], [0, mark], first, r["months_open"]])
            rows[grouped[key]][2][0] += 1
        else:
            rows.append([r["label"], r["title"], _cell(r["what"]), first, r["months_open"]])
    out = []
    for label, title, what, first, months in rows:
        if isinstance(what, list):
            what = f"{what[0]}个（地址见附件整改清单）{what[1]}"
        out.append((label, title, what, first, months))
    return out


def _ranking(d: dict[str, Any], n: str) -> list[Block]:
    types = d["types"]
    if d["scored"]:
        header = ("排名", "网站名称", "主办单位", "得分", "结论", "较上次", "问题数", *(d["type_titles"][c] for c in types),
                  "新增", "未整改", "上次问题已整改")
        rows = tuple((r["rank"], r["name"], r["unit"], r["score_text"], r["verdict"], r["change_text"], r["total"],
                      *(r["counts"].get(c, 0) for c in types), r["new"], r["open"], r["fixed"]) for r in d["ranking"])
        title = f"（{n}）各网站检查情况（按得分从高到低排序，单项否决网站列后）"
        first_type = 7
        numeric = frozenset({0, 3, 5, *range(6, len(header))})
    else:
        header = ("排名", "网站名称", "主办单位", "单项否决", "问题数", *(d["type_titles"][c] for c in types), "新增", "未整改",
                  "上次问题已整改")
        rows = tuple((r["rank"], r["name"], r["unit"], r["veto_text"], r["total"], *(r["counts"].get(c, 0) for c in types),
                      r["new"], r["open"], r["fixed"]) for r in d["ranking"])
        title = f"（{n}）各网站检查情况（按单项否决和问题数量排序）"
        first_type = 5
        numeric = frozenset({0, *range(4, len(header))})
    return [Heading(2, title), Table(header, rows, numeric=numeric, wide=frozenset(range(first_type, first_type + len(types))))]


def _problems(d: dict[str, Any]) -> list[Block]:
    out: list[Block] = [Heading(1, "二、存在的问题"), *_failed(d), Heading(2, "（二）其他问题")]
    if not d["sections"]:
        out.append(_p("本次检查未发现其他问题。"))
    for i, sec in enumerate(d["sections"], 1):
        out.append(_p(f"{i}. {sec['title']}。共{sec['total']}个，涉及{sec['sites']}个网站：" + "；".join(sec["lines"]) + "。"))
    numbers = iter("三四五六七")
    if d["long_open"]:
        out.append(Heading(2, f"（{next(numbers)}）上次检查发现但仍未整改的问题"))
        out.append(Table(("序号", "单位及网站", "问题类型", "问题", "首次发现", "持续月数"),
                         tuple((i, *row) for i, row in enumerate(_long_open_rows(d["long_open"]), 1)), numeric=frozenset({0, 5})))
        if d.get("review_false"):
            out.append(_p(f"其中{d['review_false']}个问题单位报称已整改，经复核仍未整改。"))
        if d["long_open_total"] > len(d["long_open"]):
            out.append(_p(f"共{d['long_open_total']}个，此处列出持续时间最长的{len(d['long_open'])}个，其余见各单位整改清单。",
                          note=True))
    if d.get("pending"):
        out.append(Heading(2, f"（{next(numbers)}）需人工核实事项"))
        for i, g in enumerate(d["pending"], 1):
            sites = "、".join(g["sites"]) if len(g["sites"]) < d["sites_checked"] else f"全部{d['sites_checked']}个网站"
            out.append(_p(f"{i}. {sites}：" + "、".join(g["items"]) + "，机器无法判断，需检查人员核实后记录结论并计入评分。"))
    out.extend(_ranking(d, next(numbers)))
    return out


def _requirements(d: dict[str, Any]) -> list[Block]:
    out: list[Block] = [
        Heading(1, "三、整改要求"),
        _p("（一）各单位要对照问题整改清单（附件）逐项整改，于", Strong(d["deadline_cn"]),
           f"前（{d['deadline_days']}个工作日内）完成整改，并在整改清单“整改情况”栏填写整改情况，经单位负责同志审核后报送{d['issuer']}。"),
        _p("（二）存在单项否决问题的单位要立即整改，对连续两个月未整改的问题，将在下次通报中予以重点通报。"),
        _p("（三）各单位要举一反三，建立健全网站日常巡查和信息更新机制，确保网站链接可用、栏目信息及时更新。"),
    ]
    if d["contact"]:
        out.append(_p(f"联系人及电话：{d['contact']}"))
    out.append(Attachments(tuple((f"{a['unit']}网站问题整改清单", f"整改清单/{a['file']}") for a in d["attachments"])))
    issued = d.get("issued_cn") or d["as_of_cn"]
    out.append(Signature((d["issuer"], issued)))
    shots = (d.get("evidence") or {}).get("items") or []
    if shots:
        limit = int(d.get("evidence_limit") or 10)
        out.append(Heading(2, "附：单项否决和严重问题截图"))
        for i, it in enumerate(shots[:limit], 1):
            out.append(Figure(it["png"], f"图{i}：{it['label']}，{it['title']}（{it['url']}，截图时间{it['taken_at'][:16].replace('T', ' ')}）"))
        if len(shots) > limit:
            out.append(_p(f"共截图{len(shots)}张，此处列出前{limit}张，其余见各网站检查报告的“问题截图”文件夹。", note=True))
    if d.get("cc") or d.get("form") == "file":
        out.append(Imprint(d.get("cc") or "", d.get("printer") or d["issuer"], issued, d.get("form") or "file"))
    out.append(_p(f"本通报中的数字均来自检查数据库（检查基准日{d['as_of_cn']}）。链接无法验证等提示类事项（需人工核实）"
                  "不计入问题数，在各网站检查报告中单独列出。", indent=False, note=True, screen_only=True))
    return out


def blocks(d: dict[str, Any], png: bytes | None = None) -> list[Block]:
    """The whole notice, in reading order, from notice.notice_data's figures."""
    intro = (f"根据《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）有关要求，{d['issuer']}于{d['as_of_cn']}"
             f"对{d['scope']}{d['sites_checked']}个政府网站进行了检查。现将有关情况通报如下：")
    out = [Masthead(d["issuer"], d["number"] or "", d.get("form") or "file"), Title(d["title"], title_lines(d["title"])),
           _p(f"{d['addressees']}：", indent=False), _p(intro), *_overview(d, png), *_problems(d), *_requirements(d)]
    return [_tidy_block(b) for b in out]


def _tidy_block(b: Block) -> Block:
    if isinstance(b, Heading):
        return Heading(b.level, tidy(b.text))
    if isinstance(b, Table):
        return Table(tuple(map(_cell, b.header)), tuple(tuple(map(_cell, row)) for row in b.rows), b.numeric, b.wide, b.empty)
    return b
