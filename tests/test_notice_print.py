"""The 通报 as it prints (issue 17): the .docx rendered to PDF by LibreOffice (Debian
libreoffice-writer-nogui), then read back page by page with pdfminer.

信函格式 (a 函 number): no page number on page 1, numbers from page 2, 版记 = 抄送 only.
文件格式: “××文件” masthead, numbers from page 1, 版记 with 抄送, 印发机关 and 印发日期.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer

from govaudit.history import SiteMonth
from govaudit.reports import notice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(not SOFFICE, reason="需要 LibreOffice（apt-get install libreoffice-writer-nogui，见 make system-deps）")
SHOTS = Path(os.environ.get("GOVAUDIT_SHOTS", "/work/coord/shots"))


def month(number: str, form: str = "auto") -> dict:
    problems = []
    for i in range(40):
        problems.append({"check": "dead_link", "url": f"http://a.example/p/{i}.html", "severity": "high", "status": "未整改",
                         "months_open": 2, "first_seen": "2026-10-21", "detail": "HTTP 404（页面不存在）",
                         "data": {"on_home": i < 3}, "found_on": ["http://a.example/"]})
    for name in ("通知公告", "工作动态", "政策文件"):
        problems.append({"check": "stale_column", "url": f"http://a.example/{name}/", "severity": "high", "status": "新增",
                         "months_open": 1, "first_seen": "2026-11-21", "detail": f"栏目“{name}”未更新",
                         "data": {"name": name, "type_label": "通知公告类"}, "found_on": []})
    sm = SiteMonth(name="临川市甲局网站", unit="临川市甲局", url="http://a.example/",
                   run={"as_of": "2026-11-21", "stats": "{}", "status": "complete"}, baseline_month="2026-10",
                   problems=problems)
    cfg = {"issuer": "临川市人民政府办公室", "number": number, "contact": "政务公开科，0794-0000000", "format": form,
           "cc": "市委办公室，市人大常委会办公室", "printer": "临川市人民政府办公室秘书科"}
    data = notice.notice_data([sm], [], cfg, month="2026-11", as_of="2026-11-21", seq=7)
    data["attachments"] = [{"unit": "临川市甲局", "file": "临川市甲局-2026年11月网站问题整改清单.xlsx"}]
    return data


def to_pdf(docx: Path, tmp: Path) -> list[str]:
    """Page texts of the LibreOffice rendering (its own profile: several runs may go at once)."""
    profile = tmp / "lo-profile"
    proc = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp), str(docx)], capture_output=True, text=True, timeout=180)
    pdf = tmp / (docx.stem + ".pdf")
    assert pdf.exists(), proc.stderr + proc.stdout
    pages = []
    for page in extract_pages(str(pdf)):
        text = "\n".join(el.get_text() for el in page if isinstance(el, LTTextContainer))
        pages.append(re.sub(r"(?<=\S) (?=\S)", "", text))  # pdfminer spaces mixed scripts apart
    return pages


def page_number(text: str) -> str | None:
    m = re.search(r"—\s*(\d+)\s*—", text)
    return m.group(1) if m else None


def test_letter_form_has_no_page_number_on_page_one(tmp_path):
    data = month("临政办函〔2026〕{seq}号")
    assert data["form"] == "letter"
    docx = notice.write_notice(tmp_path, data, None)["docx"]
    pages = to_pdf(docx, tmp_path)
    assert len(pages) == 3, [p[:80] for p in pages]
    assert page_number(pages[0]) is None, pages[0][-200:]
    assert [page_number(p) for p in pages[1:]] == [str(i) for i in range(2, len(pages) + 1)]
    first = pages[0].replace("\n", "")
    assert first.startswith("临川市人民政府办公室") and "临政办函〔2026〕7号" in first and "临川市人民政府办公室文件" not in first
    assert "关于2026年11月全市政府网站检查情况的通报" in first
    last = pages[-1].replace("\n", "")
    assert "抄送：市委办公室，市人大常委会办公室。" in last and "印发" not in last  # 信函格式: no 印发 line
    body = "".join(pages).replace("\n", "")
    assert "共发现问题43个" in body and "http://a.example/p/" not in body  # addresses are in the 附件
    _keep_pages(tmp_path / (docx.stem + ".pdf"), "notice-letter")


def test_file_form_prints_the_imprint(tmp_path):
    data = month("临政办〔2026〕{seq}号")
    assert data["form"] == "file"
    docx = notice.write_notice(tmp_path, data, None)["docx"]
    pages = to_pdf(docx, tmp_path)
    assert page_number(pages[0]) == "1" and len(pages) == 3
    _keep_pages(tmp_path / (docx.stem + ".pdf"), "notice-file", last=3)
    first = pages[0].replace("\n", "")
    assert first.startswith("临川市人民政府办公室文件") and "临政办〔2026〕7号" in first
    last = pages[-1].replace("\n", "")
    assert "抄送：市委办公室，市人大常委会办公室。" in last
    assert "临川市人民政府办公室秘书科" in last and "2026年11月21日印发" in last
    assert last.index("抄送") < last.index("2026年11月21日印发")


def _keep_pages(pdf: Path, name: str, last: int = 2) -> None:
    """PNGs of the first pages for the people reviewing the layout (poppler's pdftoppm, when installed)."""
    tool = shutil.which("pdftoppm")
    if not tool:
        return
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    subprocess.run([tool, "-png", "-r", "60", "-f", "1", "-l", str(last), str(pdf), str(SHOTS / name)],
                   capture_output=True, timeout=120)
