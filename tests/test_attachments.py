"""Attachment text extraction on real files built here (openpyxl, xlwt, python-docx, reportlab,
a hand-written Compound File for .doc), plus hostile ones: zip bombs, 10k pages, corrupt."""
from __future__ import annotations

import io
import time
import zipfile

import docx
import openpyxl
import pytest

from govaudit.crawler.attachments import Limits, extract_bytes, extract_file, extract_isolated, sniff
from ole_build import word_doc

ID = "110101199003074514"


def xlsx_bytes(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "低保名单"
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls_bytes(rows) -> bytes:
    xlwt = pytest.importorskip("xlwt")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("名单")
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            ws.write(i, j, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def docx_bytes() -> bytes:
    d = docx.Document()
    d.add_paragraph("2026年城乡低保对象公示名单")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "姓名", "身份证号码"
    t.cell(1, 0).text, t.cell(1, 1).text = "张三", ID
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def pdf_bytes(pages: int = 1, text: str | None = "低保名单 张三 身份证号 " + ID) -> bytes:
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for i in range(pages):
        if text is None:
            c.rect(50, 50, 400, 600, fill=1)  # an image-like page: no text at all
        else:
            c.setFont("STSong-Light", 12)
            c.drawString(72, 700, f"{text} 第{i + 1}页")
        c.showPage()
    c.save()
    return buf.getvalue()


def test_xlsx_keeps_sheet_rows_with_header():
    e = extract_bytes(xlsx_bytes([["姓名", "身份证号"], ["张三", ID], ["李四", 13812345678]]), "a.xlsx")
    assert e.status == "ok" and e.kind == "xlsx"
    assert e.tables[0].name == "低保名单"
    assert e.tables[0].rows == [["姓名", "身份证号"], ["张三", ID], ["李四", "13812345678"]]


def test_xls_and_et_read_by_content():
    data = xls_bytes([["姓名", "身份证号"], ["张三", ID]])
    for name in ("a.xls", "b.et", "mislabelled.xlsx"):
        e = extract_bytes(data, name)
        assert (e.status, e.kind) == ("ok", "xls"), name
        assert e.tables[0].rows[1] == ["张三", ID]


def test_ods_via_calamine(tmp_path):
    # An .ods written by hand: the smallest content.xml calamine accepts.
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="名单">'
               '<table:table-row><table:table-cell office:value-type="string"><text:p>身份证号</text:p></table:table-cell></table:table-row>'
               f'<table:table-row><table:table-cell office:value-type="string"><text:p>{ID}</text:p></table:table-cell></table:table-row>'
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    e = extract_bytes(buf.getvalue(), "a.ods")
    assert e.kind == "ods"
    assert e.status == "ok", e.reason
    assert [ID] in e.tables[0].rows


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_encodings(encoding):
    data = f"姓名,身份证号\n张三,{ID}\n".encode(encoding)
    e = extract_bytes(data, "名单.csv")
    assert e.status == "ok"
    assert e.tables[0].rows == [["姓名", "身份证号"], ["张三", ID]]


def test_txt_gb18030():
    e = extract_bytes(f"公示\n张三 {ID}\n".encode("gb18030"), "a.txt")
    assert e.status == "ok" and e.paragraphs == ["公示", f"张三 {ID}"]


def test_docx_and_zip_wps():
    data = docx_bytes()
    for name in ("a.docx", "b.wps"):
        e = extract_bytes(data, name)
        assert (e.status, e.kind) == ("ok", "docx")
        assert "2026年城乡低保对象公示名单" in e.paragraphs
        assert e.tables[0].rows == [["姓名", "身份证号码"], ["张三", ID]]


def test_doc_piece_table_and_ole_wps():
    data = word_doc(f"姓名\x07身份证号\x07\x07张三\x07{ID}\x07\x07\r联系电话：0591-87654321\r",
                    ascii_prefix="List 2026\r")
    for name in ("a.doc", "b.wps"):
        e = extract_bytes(data, name)
        assert (e.status, e.kind) == ("ok", "doc")
        assert e.paragraphs == ["List 2026", "联系电话：0591-87654321"]
        assert [t.rows for t in e.tables] == [[["姓名", "身份证号"], ["张三", ID]]]


def test_doc_encrypted_is_unsupported_not_failed_silently():
    e = extract_bytes(word_doc("秘密", encrypted=True), "a.doc")
    assert e.status == "unsupported" and "加密" in e.reason


def test_pdf_text_with_cjk_font():
    e = extract_bytes(pdf_bytes(), "a.pdf")
    assert e.status == "ok" and e.pages == 1
    assert any(ID in p and "低保名单" in p for p in e.paragraphs)


def test_scanned_pdf_is_no_text_for_manual_review():
    e = extract_bytes(pdf_bytes(pages=2, text=None), "scan.pdf")
    assert e.status == "no_text" and e.pages == 2 and "需人工核实" in e.reason


def test_ten_thousand_page_pdf_is_capped():
    data = pdf_bytes(pages=10000, text="page")
    t = time.monotonic()
    e = extract_bytes(data, "huge.pdf", Limits(max_pages=200))
    assert time.monotonic() - t < 20
    assert e.status == "ok" and e.pages == 200 and e.truncated


def test_zip_bomb_xlsx_refused_before_parsing():
    base = xlsx_bytes([["a"]])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        with dst.open("xl/media/bomb.bin", "w") as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):
                fh.write(chunk)
    data = buf.getvalue()
    assert len(data) < 1 << 20
    e = extract_bytes(data, "bomb.xlsx")
    assert e.status == "too_large" and "压缩" in e.reason


def test_declared_unzipped_total_over_limit():
    e = extract_bytes(docx_bytes(), "a.docx", Limits(max_unzipped=1000))
    assert e.status == "too_large"


@pytest.mark.parametrize("data,name", [
    (b"PK\x03\x04" + b"\x00garbage" * 50, "broken.xlsx"),
    (b"%PDF-1.4\n1 0 obj garbage", "broken.pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 700, "broken.doc"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 700, "broken.xls"),
    (xlsx_bytes([["a"]])[:-200], "truncated.xlsx"),
])
def test_corrupt_files_fail_with_reason(data, name):
    e = extract_bytes(data, name)
    assert e.status == "failed" and e.reason.startswith("文件损坏")


def test_file_over_size_limit(tmp_path):
    p = tmp_path / "big.csv"
    p.write_bytes(b"a,b\n" * 1000)
    assert extract_file(p, Limits(max_bytes=100)).status == "too_large"
    assert extract_file(tmp_path / "missing.csv").status == "failed"


def test_character_cap_truncates():
    e = extract_bytes(("一二三四五\n" * 1000).encode(), "a.txt", Limits(max_chars=50))
    assert e.status == "ok" and e.truncated and sum(map(len, e.paragraphs)) == 50


def test_isolated_matches_in_process():
    data = xlsx_bytes([["姓名", "身份证号"], ["张三", ID]])
    assert extract_isolated(data, "a.xlsx") == extract_bytes(data, "a.xlsx")


def test_isolated_dense_range_bomb_costs_the_child_not_us():
    # One cell at A1 and one at XFD1048576: a dense reader allocates 17 billion cells and aborts.
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["XFD1048576"] = "x", "y"
    buf = io.BytesIO()
    wb.save(buf)
    e = extract_isolated(buf.getvalue(), "a.xlsx", Limits(memory=512 * 1024 * 1024))
    assert e.status in ("too_large", "failed") and "需人工核实" in e.reason


def test_isolated_timeout():
    data = pdf_bytes(pages=3000, text="page")
    t = time.monotonic()
    e = extract_isolated(data, "a.pdf", Limits(max_pages=100000, timeout=1.5))
    assert e.status == "timeout" and time.monotonic() - t < 10


def test_html_disguised_as_xls_keeps_table():
    data = f"<html><body><p>低保名单</p><table><tr><th>姓名</th><th>身份证号</th></tr><tr><td>张三</td><td>{ID}</td></tr></table></body></html>"
    assert sniff(data.encode("gb18030"), "a.xls") == "html"
    e = extract_bytes(data.encode("gb18030"), "a.xls")
    assert e.status == "ok" and e.tables[0].rows == [["姓名", "身份证号"], ["张三", ID]]
    assert e.paragraphs == ["低保名单"]
