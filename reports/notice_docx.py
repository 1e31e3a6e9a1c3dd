"""The notice as a Word document laid out like an official document (GB/T 9704-2012).

Offices edit and print the .docx, so it uses the fonts their templates use (方正小标宋简体,
仿宋_GB2312, 黑体, 楷体_GB2312); Word substitutes where a font is missing. The text is the
same list of blocks the HTML notice lays out (notice_blocks); this module only decides how
each kind of block looks on paper.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from . import notice_blocks as nb

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


def _setup(doc) -> None:
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


def _masthead(doc, b: nb.Masthead) -> None:
    _para(doc, b.issuer, font=TITLE_FONT, size=26, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=RED)
    _bottom_rule(_para(doc, b.number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False))
    _para(doc, "", indent=False)


def _title(doc, b: nb.Title) -> None:
    _para(doc, b.text, font=TITLE_FONT, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, "", indent=False)


def _heading(doc, b: nb.Heading) -> None:
    _para(doc, b.text, font=HEAD1_FONT if b.level == 1 else HEAD2_FONT)


def _paragraph(doc, b: nb.Paragraph) -> None:
    # The printed body is plain 仿宋: GB/T 9704 sets figures in the text without bold.
    if not b.screen_only:
        _para(doc, b.text, indent=b.indent)


def _table_block(doc, b: nb.Table) -> None:
    keep = [i for i in range(len(b.header)) if i not in b.wide]  # A4 portrait: no per-type columns
    if not b.rows and b.empty:
        _para(doc, b.empty)
        return
    _table(doc, [b.header[i] for i in keep], [[row[i] for i in keep] for row in b.rows])


def _figure(doc, b: nb.Figure) -> None:
    doc.add_picture(io.BytesIO(b.png), width=Mm(150))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, b.caption, size=TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _attachments(doc, b: nb.Attachments) -> None:
    _para(doc, "", indent=False)
    if not b.items:
        _para(doc, "附件：无")
    for i, (label, _) in enumerate(b.items, 1):
        _para(doc, f"{'附件：' if i == 1 else '　　　'}{i}. {label}")


def _signature(doc, b: nb.Signature) -> None:
    _para(doc, "", indent=False)
    for line in b.lines:
        _para(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)


LAYOUT = {nb.Masthead: _masthead, nb.Title: _title, nb.Heading: _heading, nb.Paragraph: _paragraph,
          nb.Table: _table_block, nb.Figure: _figure, nb.Attachments: _attachments, nb.Signature: _signature}


def write_docx(path: Path, blocks: list[nb.Block]) -> Path:
    """Lay the notice's blocks (notice_blocks.blocks) out as an official document."""
    doc = Document()
    _setup(doc)
    for b in blocks:
        LAYOUT[type(b)](doc, b)
    doc.save(str(path))
    return path
