"""The notice's text, written once: a list of typed blocks both writers lay out.

`notice.notice_data` computes the figures; :func:`blocks` turns them into the notice's
sentences, headings and tables. The Word writer (notice_docx) and the HTML writer
(notice_html) only decide how each kind of block looks, so the .docx and the .html can never
say different things.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(frozen=True)
class Strong:
    """A figure the reader should see at a glance (bold on screen; plain in the printed body)."""

    text: str


Run = Union[str, Strong]


@dataclass(frozen=True)
class Masthead:
    """版头: the issuing office in red, the 文号 and the red rule."""

    issuer: str
    number: str


@dataclass(frozen=True)
class Title:
    text: str


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


Block = Union[Masthead, Title, Heading, Paragraph, Table, Figure, Attachments, Signature]


def _p(*runs: Run, indent: bool = True, note: bool = False, screen_only: bool = False) -> Paragraph:
    return Paragraph(tuple(r for r in runs if r != ""), indent=indent, note=note, screen_only=screen_only)


def _overview(d: dict[str, Any], png: bytes | None) -> list[Block]:
    types = "、".join(f"{t['title']} {t['count']} 个" for t in d["by_type"])
    out: list[Block] = [
        Heading(1, "一、总体情况"),
        _p("本次共检查政府网站 ", Strong(str(d["sites_checked"])), f" 个（涉及 {d['units']} 个单位），其中 ",
           Strong(str(d["veto_count"])), f" 个网站存在单项否决问题，{d['pass_count']} 个网站未发现单项否决问题。"
           "共发现问题 ", Strong(str(d["total"])), " 个" + (f"，其中{types}" if types else "") + "。"),
    ]
    if d["has_baseline"]:
        when = f"上次检查（{d['baseline_month_cn']}）" if d["baseline_month_cn"] else "上次检查"
        unverified = f"，因网站无法访问或检查未完成未能复核 {d['unverified']} 个" if d["unverified"] else ""
        out.append(_p(f"{when}发现的 {d['baseline_total']} 个问题中，已整改 ", Strong(str(d["fixed"])), " 个，仍未整改 ",
                      Strong(str(d["open"])), f" 个{unverified}；本月新发现问题 ", Strong(str(d["new"])), " 个。"))
    else:
        out.append(_p(f"本月为首次检查，发现的问题均为新增问题（{d['new']} 个）。"))
    if d.get("appealed"):
        out.append(_p(f"经审定，同意核减单位申请核减的问题 {d['appealed']} 个，不计入本次通报问题数。"))
    out.append(Table(("问题类型", "问题数", "涉及网站数"), tuple((t["title"], t["count"], t["sites"]) for t in d["by_type"]),
                     numeric=frozenset({1, 2}), empty="未发现问题。"))
    if png:
        out.append(Figure(png, f"图：{d['month_cn']}问题类型、各网站问题数及近期变化趋势"))
    return out


def _problems(d: dict[str, Any]) -> list[Block]:
    out: list[Block] = [Heading(1, "二、存在的问题"), Heading(2, "（一）单项否决问题")]
    if not d["veto_sites"]:
        out.append(_p("本次检查未发现单项否决问题。"))
    for i, s in enumerate(d["veto_sites"], 1):
        parts = [f"{it['title']}，{it['detail']}" + (f"（已连续 {it['months_open']} 个月未整改）" if it["status"] == "未整改" else "")
                 for it in s["problems"]]
        out.append(_p(f"{i}. {s['label']}：" + "；".join(parts) + "。"))
    out.append(Heading(2, "（二）其他问题"))
    if not d["sections"]:
        out.append(_p("本次检查未发现其他问题。"))
    for i, sec in enumerate(d["sections"], 1):
        out.append(_p(f"{i}. {sec['title']}。共 {sec['total']} 个，涉及 {sec['sites']} 个网站：" + "；".join(sec["lines"]) + "。"))
    n = "三"
    if d["long_open"]:
        out.append(Heading(2, "（三）上次检查发现但仍未整改的问题"))
        out.append(Table(("序号", "单位及网站", "问题类型", "问题", "首次发现", "持续月数"),
                         tuple((i, r["label"], r["title"], r["what"], r["first_seen"], r["months_open"])
                               for i, r in enumerate(d["long_open"], 1)), numeric=frozenset({0, 5})))
        if d.get("review_false"):
            out.append(_p(f"其中 {d['review_false']} 个问题单位报称已整改，经复核仍未整改。"))
        if d["long_open_total"] > len(d["long_open"]):
            out.append(_p(f"共 {d['long_open_total']} 个，此处列出持续时间最长的 {len(d['long_open'])} 个，其余见各单位整改清单。",
                          note=True))
        n = "四"
    types = d["types"]
    header = ("排名", "网站名称", "主办单位", "单项否决", "问题数", *(d["type_titles"][c] for c in types), "新增", "未整改",
              "上次问题已整改")
    rows = tuple((r["rank"], r["name"], r["unit"], r["veto_text"], r["total"], *(r["counts"].get(c, 0) for c in types),
                  r["new"], r["open"], r["fixed"]) for r in d["ranking"])
    out.append(Heading(2, f"（{n}）各网站检查情况（按单项否决和问题数量排序）"))
    out.append(Table(header, rows, numeric=frozenset({0, *range(4, len(header))}),
                     wide=frozenset(range(5, 5 + len(types)))))
    return out


def _requirements(d: dict[str, Any]) -> list[Block]:
    out: list[Block] = [
        Heading(1, "三、整改要求"),
        _p("（一）各单位要对照问题整改清单（附件）逐项整改，于", Strong(d["deadline_cn"]),
           f"前（{d['deadline_days']} 个工作日内）完成整改，并在整改清单“整改情况”栏填写整改情况，经单位负责同志审核后报送{d['issuer']}。"),
        _p("（二）存在单项否决问题的单位要立即整改，对连续两个月未整改的问题，将在下次通报中予以重点通报。"),
        _p("（三）各单位要举一反三，建立健全网站日常巡查和信息更新机制，确保网站链接可用、栏目信息及时更新。"),
    ]
    if d["contact"]:
        out.append(_p(f"联系人及电话：{d['contact']}"))
    out.append(Attachments(tuple((f"{a['unit']}网站问题整改清单", f"整改清单/{a['file']}") for a in d["attachments"])))
    out.append(Signature((d["issuer"], d["as_of_cn"])))
    shots = (d.get("evidence") or {}).get("items") or []
    if shots:
        limit = int(d.get("evidence_limit") or 10)
        out.append(Heading(2, "附：单项否决和严重问题截图"))
        for i, it in enumerate(shots[:limit], 1):
            out.append(Figure(it["png"], f"图{i}：{it['label']}，{it['title']}（{it['url']}，截图时间 {it['taken_at'][:16].replace('T', ' ')}）"))
        if len(shots) > limit:
            out.append(_p(f"共截图 {len(shots)} 张，此处列出前 {limit} 张，其余见各网站检查报告的“问题截图”文件夹。", note=True))
    out.append(_p(f"本通报中的数字均来自检查数据库（检查基准日 {d['as_of']}）。链接无法验证等提示类问题（需人工复核）不计入问题数，"
                  "详见各网站检查报告。", indent=False, note=True, screen_only=True))
    return out


def blocks(d: dict[str, Any], png: bytes | None = None) -> list[Block]:
    """The whole notice, in reading order, from notice.notice_data's figures."""
    intro = (f"根据《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）有关要求，{d['issuer']}于{d['as_of_cn']}"
             f"对{d['scope']}{d['sites_checked']}个政府网站进行了检查。现将有关情况通报如下：")
    return [Masthead(d["issuer"], d["number"] or ""), Title(d["title"]), _p(f"{d['addressees']}：", indent=False), _p(intro),
            *_overview(d, png), *_problems(d), *_requirements(d)]
