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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from . import notice_blocks as nb

TITLE_FONT, BODY_FONT, HEAD1_FONT, HEAD2_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
PAGE_FONT = "宋体"
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


def _rule(paragraph, side: str = "bottom", val: str = "single", sz: int = 18, color: str = "C00000") -> None:
    """A line above or below a paragraph (a paragraph border, as Word templates draw the red rules
    of the 版头 and the rules of the 版记)."""
    ppr = paragraph._p.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is None:
        border = OxmlElement("w:pBdr")
        ppr.append(border)
    edge = OxmlElement(f"w:{side}")
    for k, v in (("w:val", val), ("w:sz", str(sz)), ("w:space", "4"), ("w:color", color)):
        edge.set(qn(k), v)
    border.append(edge)


def _bottom_rule(paragraph) -> None:
    _rule(paragraph, "bottom")


def _page_field(p) -> None:
    _font(p.add_run("— "), PAGE_FONT, 14)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)
    _font(p.add_run(" —"), PAGE_FONT, 14)


def _page_number(doc, section, form: str) -> None:
    """— 1 — (四号半角宋体) as a PAGE field: odd pages at the right, even pages at the left, one
    character in from the edge (GB/T 9704-2012 7.5). A letter-form notice (信函格式) shows no
    number on its first page, whose footer carries the lower red double rule instead (10.1)."""
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        p = footer.paragraphs[0]
        p.alignment = align
        if side == "right":
            p.paragraph_format.right_indent = Pt(14)
        else:
            p.paragraph_format.left_indent = Pt(14)
        _page_field(p)
    if form == "letter":
        section.different_first_page_header_footer = True
        p = section.first_page_footer.paragraphs[0]
        _rule(p, "top", "thinThickSmallGap")
        _font(p.add_run(""), BODY_FONT, 8)


def _widths(header: list[str], rows: list[list[Any]], numeric: set[int], total_mm: float = 156) -> list[float]:
    """Column widths for the type area: figures get what their header needs (a Chinese character
    ≈ 4 mm at 五号), the text columns share the rest by how much they hold."""
    def chars(v: Any) -> float:
        return sum(0.5 if ord(c) < 128 else 1 for c in str(v or ""))

    fixed = {i: max(10.0, min(24.0, 4.2 * max(chars(header[i]) / (2 if chars(header[i]) > 4 else 1),
                                                  *(chars(r[i]) for r in rows)) + 5)) for i in numeric}
    rest = [i for i in range(len(header)) if i not in fixed]
    left = max(total_mm - sum(fixed.values()), 20.0 * len(rest))
    weight = {i: max(2.0, min(20.0, max([chars(header[i])] + [chars(r[i]) for r in rows]))) for i in rest}
    out = []
    for i in range(len(header)):
        out.append(fixed[i] if i in fixed else left * weight[i] / sum(weight.values()))
    scale = min(1.0, total_mm / sum(out))  # never wider than the type area
    return [w * scale for w in out]


def _table(doc, header: list[str], rows: list[list[Any]], numeric: set[int] | None = None) -> None:
    numeric = numeric or set()
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(w) for w in _widths(header, rows, numeric)]
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(str(text)), HEAD1_FONT, TABLE_PT)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        cells = table.add_row().cells
        for j, (cell, value) in enumerate(zip(cells, row)):
            cell.text = ""
            _font(cell.paragraphs[0].add_run("" if value is None else str(value)), BODY_FONT, TABLE_PT)
            if j in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for col, w in zip(table.columns, widths):
        col.width = w  # the grid (what LibreOffice reads) …
    for r in table.rows:
        for cell, w in zip(r.cells, widths):
            cell.width = w  # … and each cell (what Word reads)
    # Repeat the header row on every printed page.
    trpr = table.rows[0]._tr.get_or_add_trPr()
    hdr = OxmlElement("w:tblHeader")
    hdr.set(qn("w:val"), "true")
    trpr.append(hdr)


def _setup(doc, form: str = "file") -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _page_number(doc, section, form)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _masthead(doc, b: nb.Masthead) -> None:
    """文件格式: “××文件” centred, 发文字号 centred under it, the red rule below. 信函格式: the office's
    name, a red double rule (thick over thin), then the 发文字号 at the right edge under it."""
    if b.form == "letter":
        _rule(_para(doc, b.issuer, font=TITLE_FONT, size=26, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=RED),
              "bottom", "thickThinSmallGap", 24)
        p = _para(doc, b.number, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        p.paragraph_format.space_before = Pt(6)
    else:
        _para(doc, f"{b.issuer}文件", font=TITLE_FONT, size=30, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=RED)
        _para(doc, "", indent=False)
        _bottom_rule(_para(doc, b.number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False))
    _para(doc, "", indent=False)


def _title(doc, b: nb.Title) -> None:
    p = _para(doc, "", font=TITLE_FONT, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    for i, line in enumerate(b.lines or (b.text,)):
        run = p.add_run(line)
        _font(run, TITLE_FONT, TITLE_PT)
        if i < len(b.lines or (b.text,)) - 1:
            run.add_break()
    p.paragraph_format.keep_together = True
    p.paragraph_format.keep_with_next = True
    _para(doc, "", indent=False).paragraph_format.keep_with_next = True


def _heading(doc, b: nb.Heading) -> None:
    p = _para(doc, b.text, font=HEAD1_FONT if b.level == 1 else HEAD2_FONT)
    p.paragraph_format.keep_with_next = True  # a heading never ends a page


def _paragraph(doc, b: nb.Paragraph) -> None:
    # The printed body is plain 仿宋: GB/T 9704 sets figures in the text without bold.
    if not b.screen_only:
        _para(doc, b.text, indent=b.indent)


def _table_block(doc, b: nb.Table) -> None:
    keep = [i for i in range(len(b.header)) if i not in b.wide]  # A4 portrait: no per-type columns
    if not b.rows and b.empty:
        _para(doc, b.empty)
        return
    numeric = {k for k, i in enumerate(keep) if i in b.numeric}
    _table(doc, [b.header[i] for i in keep], [[row[i] for i in keep] for row in b.rows], numeric)


def _figure(doc, b: nb.Figure) -> None:
    doc.add_picture(io.BytesIO(b.png), width=Mm(150))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, b.caption, size=TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _attachments(doc, b: nb.Attachments) -> None:
    """附件说明, kept on the page of the 落款 that follows (a signature never stands alone on a page)."""
    _para(doc, "", indent=False).paragraph_format.keep_with_next = True
    if not b.items:
        _para(doc, "附件：无").paragraph_format.keep_with_next = True
    for i, (label, _) in enumerate(b.items, 1):
        _para(doc, f"{'附件：' if i == 1 else '　　　'}{i}. {label}").paragraph_format.keep_with_next = True


def _signature(doc, b: nb.Signature) -> None:
    _para(doc, "", indent=False).paragraph_format.keep_with_next = True
    for line in b.lines:
        p = _para(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        p.paragraph_format.right_indent = Pt(BODY_PT * 4)  # 落款 4 characters in from the right edge
        p.paragraph_format.keep_with_next = True


def _imprint(doc, b: nb.Imprint) -> None:
    """版记 (GB/T 9704-2012 9.2): 四号仿宋, one character in from each side; in 文件格式 between a
    thick rule above the 抄送 line, a thin rule between, and a thick rule under the 印发 line, the
    印发机关 at the left and the 印发日期 at the right. 信函格式 has no 印发 line and no rules (10.1)."""
    _para(doc, "", indent=False)
    size = 14
    lines = b.lines
    for i, line in enumerate(lines):
        p = _para(doc, "", size=size, indent=False)
        fmt = p.paragraph_format
        fmt.left_indent = fmt.right_indent = Pt(size)
        fmt.keep_with_next = i < len(lines) - 1
        fmt.keep_together = True
        if b.form == "file" and line.endswith("印发"):
            fmt.tab_stops.add_tab_stop(Mm(156) - Pt(size * 2), WD_TAB_ALIGNMENT.RIGHT)
            _font(p.add_run(f"{b.printer}\t{b.date}印发"), BODY_FONT, size)
            if i == 0:
                _rule(p, "top", "single", 8, "000000")
            _rule(p, "bottom", "single", 8, "000000")
        else:
            _font(p.add_run(line), BODY_FONT, size)
            if b.form == "file":
                _rule(p, "top", "single", 8, "000000")
                _rule(p, "bottom", "single", 4, "000000")


LAYOUT = {nb.Masthead: _masthead, nb.Title: _title, nb.Heading: _heading, nb.Paragraph: _paragraph,
          nb.Table: _table_block, nb.Figure: _figure, nb.Attachments: _attachments, nb.Signature: _signature,
          nb.Imprint: _imprint}


def write_docx(path: Path, blocks: list[nb.Block]) -> Path:
    """Lay the notice's blocks (notice_blocks.blocks) out as an official document."""
    doc = Document()
    form = next((b.form for b in blocks if isinstance(b, nb.Masthead)), "file")
    _setup(doc, form)
    for b in blocks:
        LAYOUT[type(b)](doc, b)
    doc.save(str(path))
    return path
