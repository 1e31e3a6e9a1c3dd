"""The notice as a Word document laid out like an official document (GB/T 9704-2012).

Offices edit and print the .docx, so it uses the fonts their templates use (方正小标宋简体,
仿宋_GB2312, 黑体, 楷体_GB2312); Word substitutes where a font is missing. The text comes
from notice.notice_data, the same figures as the HTML notice.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT, BODY_FONT, HEAD1_FONT, HEAD2_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
BODY_PT, TITLE_PT, TABLE_PT = 16, 22, 10.5  # 三号, 二号, 五号
RED = RGBColor(0xC0, 0x00, 0x00)


def _font(run, name: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _para(doc, text: str = "", *, font: str = BODY_FONT, size: float = BODY_PT, bold: bool = False,
          align=None, indent: bool = True, color: RGBColor | None = None):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28 if size <= BODY_PT else 36)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    if text:
        _font(p.add_run(text), font, size, bold, color)
    return p


def _bottom_rule(paragraph) -> None:
    """The red line under the 版头 (a paragraph border, as Word templates do it)."""
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    ppr.append(border)


def _page_number(section) -> None:
    """— 1 — centred in the footer, as a PAGE field so Word keeps it right after edits."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), BODY_FONT, 14)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)
    _font(p.add_run(" —"), BODY_FONT, 14)


def _table(doc, header: list[str], rows: list[list[Any]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(str(text)), HEAD1_FONT, TABLE_PT)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = ""
            _font(cell.paragraphs[0].add_run("" if value is None else str(value)), BODY_FONT, TABLE_PT)
    # Repeat the header row on every printed page.
    trpr = table.rows[0]._tr.get_or_add_trPr()
    hdr = OxmlElement("w:tblHeader")
    hdr.set(qn("w:val"), "true")
    trpr.append(hdr)


def write_docx(path: Path, d: dict[str, Any]) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_number(section)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    _para(doc, d["issuer"], font=TITLE_FONT, size=26, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=RED)
    p = _para(doc, d["number"] or "", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _bottom_rule(p)
    _para(doc, "", indent=False)
    _para(doc, d["title"], font=TITLE_FONT, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, "", indent=False)
    _para(doc, f"{d['addressees']}：", indent=False)
    _para(doc, f"根据《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）有关要求，{d['issuer']}于{d['as_of_cn']}"
               f"对{d['scope']}{d['sites_checked']}个政府网站进行了检查。现将有关情况通报如下：")

    _para(doc, "一、总体情况", font=HEAD1_FONT)
    types = "、".join(f"{t['title']} {t['count']} 个" for t in d["by_type"])
    _para(doc, f"本次共检查政府网站 {d['sites_checked']} 个（涉及 {d['units']} 个单位），其中 {d['veto_count']} 个网站存在单项否决问题，"
               f"{d['pass_count']} 个网站未发现单项否决问题。共发现问题 {d['total']} 个" + (f"，其中{types}" if types else "") + "。")
    if d["has_baseline"]:
        when = f"上次检查（{d['baseline_month_cn']}）" if d["baseline_month_cn"] else "上次检查"
        text = f"{when}发现的 {d['baseline_total']} 个问题中，已整改 {d['fixed']} 个，仍未整改 {d['open']} 个"
        if d["unverified"]:
            text += f"，因网站无法访问或检查未完成未能复核 {d['unverified']} 个"
        _para(doc, text + f"；本月新发现问题 {d['new']} 个。")
    else:
        _para(doc, f"本月为首次检查，发现的问题均为新增问题（{d['new']} 个）。")

    _para(doc, "二、存在的问题", font=HEAD1_FONT)
    _para(doc, "（一）单项否决问题", font=HEAD2_FONT)
    if not d["veto_sites"]:
        _para(doc, "本次检查未发现单项否决问题。")
    for i, s in enumerate(d["veto_sites"], 1):
        parts = [f"{it['title']}，{it['detail']}" + (f"（已连续 {it['months_open']} 个月未整改）" if it["status"] == "未整改" else "")
                 for it in s["problems"]]
        _para(doc, f"{i}. {s['label']}：" + "；".join(parts) + "。")
    _para(doc, "（二）其他问题", font=HEAD2_FONT)
    if not d["sections"]:
        _para(doc, "本次检查未发现其他问题。")
    for i, sec in enumerate(d["sections"], 1):
        _para(doc, f"{i}. {sec['title']}。共 {sec['total']} 个，涉及 {sec['sites']} 个网站：" + "；".join(sec["lines"]) + "。")
    n = 3
    if d["long_open"]:
        _para(doc, "（三）上次检查发现但仍未整改的问题", font=HEAD2_FONT)
        _table(doc, ["序号", "单位及网站", "问题类型", "问题", "首次发现", "持续月数"],
               [[i, r["label"], r["title"], r["what"], r["first_seen"], r["months_open"]] for i, r in enumerate(d["long_open"], 1)])
        if d["long_open_total"] > len(d["long_open"]):
            _para(doc, f"共 {d['long_open_total']} 个，此处列出持续时间最长的 {len(d['long_open'])} 个，其余见各单位整改清单。")
        n = 4
    _para(doc, f"（{'三四'[n - 3]}）各网站检查情况（按单项否决和问题数量排序）", font=HEAD2_FONT)
    _table(doc, ["排名", "网站名称", "主办单位", "单项否决", "问题数", "新增", "未整改", "上次问题已整改"],
           [[r["rank"], r["name"], r["unit"], r["veto_text"], r["total"], r["new"], r["open"], r["fixed"]] for r in d["ranking"]])

    _para(doc, "三、整改要求", font=HEAD1_FONT)
    _para(doc, f"（一）各单位要对照问题整改清单（附件）逐项整改，于{d['deadline_cn']}前（{d['deadline_days']} 个工作日内）完成整改，"
               f"并在整改清单“整改情况”栏填写整改情况，经单位负责同志审核后报送{d['issuer']}。")
    _para(doc, "（二）存在单项否决问题的单位要立即整改，对连续两个月未整改的问题，将在下次通报中予以重点通报。")
    _para(doc, "（三）各单位要举一反三，建立健全网站日常巡查和信息更新机制，确保网站链接可用、栏目信息及时更新。")
    if d["contact"]:
        _para(doc, f"联系人及电话：{d['contact']}")
    _para(doc, "", indent=False)
    if d["attachments"]:
        for i, a in enumerate(d["attachments"], 1):
            prefix = "附件：" if i == 1 else "　　　"
            _para(doc, f"{prefix}{i}. {a['unit']}网站问题整改清单")
    else:
        _para(doc, "附件：无")
    _para(doc, "", indent=False)
    _para(doc, d["issuer"], align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(doc, d["as_of_cn"], align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    doc.save(str(path))
    return path

