"""Text out of attachments (.xls .xlsx .et .ods .csv .doc .docx .wps .pdf .txt), bounded.

Why: the personal-data check (个人信息未去标识化) mostly finds its cases in 公示/名单 attachments,
not in HTML. An attachment is hostile input: zip bombs, 10,000-page PDFs, corrupt or mislabelled
files. Extraction therefore never raises: it returns an :class:`Extraction` whose ``status`` is

    ok         text (paragraphs and/or tables) was read
    no_text    the file opened but holds no text (a scanned PDF): the check says 需人工核实
    too_large  over a size bound (file, declared unzipped size, compression ratio)
    unsupported a format this module does not read (encrypted .doc, .ppt, …)
    failed     corrupt or unreadable, with ``reason`` in Chinese
    timeout    only from :func:`extract_isolated`: the worker ran out of time or memory

Libraries, and why each:

- **python-calamine** (Rust ``calamine``) for .xlsx/.xls/.ods and Kingsoft .et (an .et is a BIFF8
  workbook like .xls, or a zip like .xlsx; calamine sniffs the content, not the name). It is the
  fastest maintained reader of all three and reads values only, never formulas or styles.
- **python-docx** (already a dependency) for .docx and zip-based .wps; tables keep their rows so
  a column header (身份证号码) stays next to its values.
- **pdfminer.six** for .pdf: the best maintained pure-Python text extractor and the one that
  handles CJK fonts with ToUnicode/CID maps; pages are read one by one up to ``max_pages``.
- **olefile** plus a small reader of the Word 97 piece table for .doc and OLE-based .wps
  (WPS 2003+ writes the Word binary format). ``antiword`` is not used: it has been unmaintained
  since 2005, needs a system package and mangles CJK text, while the piece table stores text
  as UTF-16 (or cp1252 for 8-bit pieces) and is ~40 lines to read. Not supported in .doc:
  encrypted files, text boxes/headers/footnotes (only the main story is read), Word 6/95; table
  rows are cut at the double cell mark, so a row whose last cell is empty may run into the
  next one (cell properties, which would say where a row ends, are not read).
- .csv/.txt: decoded by BOM, then UTF-8, then GB18030 (what Chinese Excel writes). An "xls" that
  is really an HTML table (a common CMS export) is parsed with lxml, tables kept as rows.

Bounds: the input size (``max_bytes``, 20 MB by default like the crawl), zip archives are
refused before opening when their declared unzipped size or compression ratio is absurd,
rows/pages/characters are capped (``truncated`` says so). Declared zip sizes can lie and a
library can loop or allocate without end (an .xlsx whose one cell sits at XFD1048576 makes a
dense reader allocate billions of cells), so the crawler should call :func:`extract_isolated`:
it runs the same code in a child process (``python -m govaudit.crawler.attachments``) under
``RLIMIT_AS``/``RLIMIT_CPU`` and a wall-clock timeout, so a bomb costs one child, not the crawl.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["Limits", "Table", "Extraction", "EXTENSIONS", "sniff", "extract_bytes", "extract_file",
           "extract_isolated"]

#: Extensions the crawler should download and hand to this module.
EXTENSIONS = (".xls", ".xlsx", ".et", ".ods", ".csv", ".doc", ".docx", ".wps", ".pdf", ".txt")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024        # input file
    max_unzipped: int = 200 * 1024 * 1024    # declared total of a zip's members
    max_ratio: int = 200                     # member uncompressed/compressed beyond this is a bomb
    max_pages: int = 500                     # PDF pages read
    max_rows: int = 200_000                  # spreadsheet/CSV rows read (all sheets)
    max_chars: int = 5_000_000               # characters kept
    timeout: float = 60.0                    # seconds, extract_isolated only
    memory: int = 1024 * 1024 * 1024         # bytes of address space, extract_isolated only


@dataclass
class Table:
    """A table as rows of cell strings; ``name`` is the sheet name or 表格N."""
    name: str
    rows: list[list[str]]


@dataclass
class Extraction:
    status: str
    kind: str
    reason: str = ""
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: int | None = None
    truncated: bool = False

    @property
    def text(self) -> str:
        parts = list(self.paragraphs)
        for t in self.tables:
            parts.extend("\t".join(r) for r in t.rows)
        return "\n".join(parts)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Extraction":
        d = dict(d)
        d["tables"] = [Table(**t) for t in d.get("tables", [])]
        return cls(**d)


class _TooLarge(Exception):
    pass


class _Unsupported(Exception):
    pass


# --- sniffing ---------------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes, filename: str = "") -> str:
    """The real format by content (names lie: a .xls that is HTML, a .wps that is a .docx)."""
    ext = Path(filename.split("?")[0]).suffix.lower()
    if data[:4] == b"PK\x03\x04":
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):  # damaged: trust the name
            return {".xlsx": "xlsx", ".et": "xlsx", ".docx": "docx", ".wps": "docx", ".ods": "ods"}.get(ext, "zip")
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            return "ods"
        return "zip"
    if data[:8] == _OLE_MAGIC:
        try:
            import olefile
            ole = olefile.OleFileIO(io.BytesIO(data))
            streams = {"/".join(s) for s in ole.listdir()}
            ole.close()
        except Exception:  # a damaged OLE file: trust the name so the reader can say why
            return {".doc": "doc", ".wps": "doc", ".xls": "xls", ".et": "xls"}.get(ext, "ole")
        if "WordDocument" in streams:
            return "doc"
        if "Workbook" in streams or "Book" in streams:
            return "xls"
        if any(s.startswith("EncryptedPackage") for s in streams):
            return "encrypted"
        return "ole"
    if data[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype", b"<?xml", b"<table")):
        return "html"
    if ext in (".csv",):
        return "csv"
    return "txt"


# --- helpers ----------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def _check_zip(data: bytes, limits: Limits) -> None:
    """Refuse a zip whose declared members are too big or too compressed (a bomb)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValueError(f"压缩结构损坏：{exc}") from None
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise _TooLarge(f"压缩比异常（{info.filename} 解压后 {info.file_size // 1048576} MB），疑似压缩炸弹")
    if total > limits.max_unzipped:
        raise _TooLarge(f"解压后总大小 {total // 1048576} MB 超过上限 {limits.max_unzipped // 1048576} MB")


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v).strip()


class _Budget:
    """Counts characters kept; sets ``truncated`` when the cap is reached."""

    def __init__(self, limits: Limits):
        self.left = limits.max_chars
        self.truncated = False

    def take(self, s: str) -> str | None:
        if self.left <= 0:
            self.truncated = True
            return None
        if len(s) > self.left:
            self.truncated = True
            s = s[: self.left]
        self.left -= len(s)
        return s


# --- per format -------------------------------------------------------------------------------

def _spreadsheet(data: bytes, kind: str, limits: Limits, out: Extraction) -> None:
    import python_calamine

    if kind in ("xlsx", "ods"):
        _check_zip(data, limits)
    budget = _Budget(limits)
    rows_left = limits.max_rows
    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in wb.sheet_names:
        if rows_left <= 0 or budget.truncated:
            out.truncated = True
            break
        sheet = wb.get_sheet_by_name(name)
        rows: list[list[str]] = []
        for row in sheet.iter_rows():
            if rows_left <= 0:
                out.truncated = True
                break
            rows_left -= 1
            cells = [_cell(v) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            if not cells:
                continue
            kept = budget.take("\t".join(cells))
            if kept is None:
                break
            rows.append(cells)
        if rows:
            out.tables.append(Table(name=name, rows=rows))
    out.truncated = out.truncated or budget.truncated


def _csv(data: bytes, limits: Limits, out: Extraction) -> None:
    text = _decode(data)
    sample = text[:4096]
    delim = max((",", "\t", ";", "|"), key=sample.count)
    budget = _Budget(limits)
    rows: list[list[str]] = []
    for i, row in enumerate(csv.reader(io.StringIO(text), delimiter=delim)):
        if i >= limits.max_rows:
            out.truncated = True
            break
        cells = [c.strip() for c in row]
        if any(cells):
            if budget.take("\t".join(cells)) is None:
                break
            rows.append(cells)
    out.truncated = out.truncated or budget.truncated
    if rows:
        out.tables.append(Table(name="表格1", rows=rows))


def _txt(data: bytes, limits: Limits, out: Extraction) -> None:
    budget = _Budget(limits)
    for line in _decode(data).splitlines():
        line = line.strip()
        if line:
            kept = budget.take(line)
            if kept is None:
                break
            out.paragraphs.append(kept)
    out.truncated = budget.truncated


def _html(data: bytes, limits: Limits, out: Extraction) -> None:
    """An "xls" that is an HTML table (what many CMS exports write): tables keep their rows."""
    import lxml.html

    doc = lxml.html.fromstring(_decode(data))
    budget = _Budget(limits)
    rows_left = limits.max_rows
    for n, table in enumerate((t for t in doc.iter("table") if not t.xpath(".//table")), 1):
        rows = []
        for tr in table.iter("tr"):
            if rows_left <= 0:
                out.truncated = True
                break
            rows_left -= 1
            cells = [re.sub(r"\s+", " ", c.text_content()).strip() for c in tr if c.tag in ("td", "th")]
            if any(cells) and budget.take("\t".join(cells)) is not None:
                rows.append(cells)
        if rows:
            out.tables.append(Table(name=f"表格{n}", rows=rows))
        table.drop_tree()
    for line in doc.text_content().splitlines():
        line = line.strip()
        if line and budget.take(line) is not None:
            out.paragraphs.append(line)
    out.truncated = out.truncated or budget.truncated


def _docx(data: bytes, limits: Limits, out: Extraction) -> None:
    import docx

    _check_zip(data, limits)
    document = docx.Document(io.BytesIO(data))
    budget = _Budget(limits)
    for p in document.paragraphs:
        t = p.text.strip()
        if t and budget.take(t) is not None:
            out.paragraphs.append(t)
    for n, table in enumerate(document.tables, 1):
        rows: list[list[str]] = []
        for r in table.rows:
            cells: list[str] = []
            last = None
            for c in r.cells:  # merged cells repeat the same object: keep one
                if c._tc is last:
                    continue
                last = c._tc
                cells.append(c.text.strip())
            if any(cells) and budget.take("\t".join(cells)) is not None:
                rows.append(cells)
        if rows:
            out.tables.append(Table(name=f"表格{n}", rows=rows))
    out.truncated = budget.truncated


def _doc(data: bytes, limits: Limits, out: Extraction) -> None:
    """Main-story text of a Word 97-2003 (or WPS) binary file via its piece table."""
    import olefile

    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        word = ole.openstream("WordDocument").read()
        if len(word) < 0x1A6 + 4:
            raise ValueError("WordDocument 流过短")
        ident, = struct.unpack_from("<H", word, 0)
        if ident != 0xA5EC:
            raise _Unsupported("不是 Word 97 及以后版本的 .doc 文件（可能为 Word 6/95）")
        flags, = struct.unpack_from("<H", word, 0x0A)
        if flags & 0x0100:
            raise _Unsupported("文件已加密，无法读取")
        table_name = "1Table" if flags & 0x0200 else "0Table"
        if not ole.exists(table_name):
            raise ValueError(f"缺少 {table_name} 流")
        table = ole.openstream(table_name).read()
    finally:
        ole.close()
    ccp_text, = struct.unpack_from("<i", word, 0x004C)
    fc_clx, lcb_clx = struct.unpack_from("<II", word, 0x01A2)
    clx = table[fc_clx: fc_clx + lcb_clx]
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc entries (property modifiers): skip
        cb, = struct.unpack_from("<H", clx, pos + 1)
        pos += 3 + cb
    if pos >= len(clx) or clx[pos] != 0x02:
        raise ValueError("找不到文本片段表（piece table）")
    lcb, = struct.unpack_from("<I", clx, pos + 1)
    plc = clx[pos + 5: pos + 5 + lcb]
    n = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    chunks: list[str] = []
    remaining = min(ccp_text if ccp_text > 0 else cps[-1], limits.max_chars)
    for i in range(n):
        if remaining <= 0:
            out.truncated = True
            break
        fc, = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)
        count = min(cps[i + 1] - cps[i], remaining)
        if count <= 0:
            continue
        if fc & 0x40000000:
            start = (fc & ~0x40000000) // 2
            chunks.append(word[start: start + count].decode("cp1252", "replace"))
        else:
            chunks.append(word[fc: fc + 2 * count].decode("utf-16-le", "replace"))
        remaining -= count
    text = "".join(chunks)
    budget = _Budget(limits)
    rows: list[list[str]] = []

    def close_table() -> None:
        if rows:
            out.tables.append(Table(name=f"表格{len(out.tables) + 1}", rows=list(rows)))
            rows.clear()

    for para in re.split(r"[\r\n\x0b\x0c]", text):
        para = re.sub(r"[\x00-\x06\x08\x0e-\x1f]", "", para)
        if "\x07" not in para:
            close_table()
            para = para.strip()
            if para and budget.take(para) is not None:
                out.paragraphs.append(para)
            continue
        # Table cells end with \x07 and a row with one more: rows split at the double mark
        # (an empty last cell looks the same, hence "best effort" in the docstring).
        for row in para.split("\x07\x07"):
            cells = [c.strip() for c in row.split("\x07")]
            while cells and not cells[-1]:
                cells.pop()
            if any(cells) and budget.take("\t".join(cells)) is not None:
                rows.append(cells)
    close_table()
    out.truncated = out.truncated or budget.truncated


def _pdf(data: bytes, limits: Limits, out: Extraction) -> None:
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    rsrc = PDFResourceManager(caching=True)
    budget = _Budget(limits)
    pages = 0
    fp = io.BytesIO(data)
    for page in PDFPage.get_pages(fp, maxpages=limits.max_pages + 1, check_extractable=False):
        if pages >= limits.max_pages:
            out.truncated = True
            break
        pages += 1
        buf = io.StringIO()
        device = TextConverter(rsrc, buf, laparams=LAParams())
        try:
            PDFPageInterpreter(rsrc, device).process_page(page)
        finally:
            device.close()
        for line in buf.getvalue().splitlines():
            line = line.strip()
            if line and budget.take(line) is not None:
                out.paragraphs.append(line)
        if budget.truncated:
            break
    out.pages = pages
    out.truncated = out.truncated or budget.truncated
    if pages == 0:
        raise ValueError("PDF 中没有页面")


_READERS = {"xlsx": _spreadsheet, "xls": _spreadsheet, "ods": _spreadsheet}


def extract_bytes(data: bytes, filename: str = "", limits: Limits = Limits()) -> Extraction:
    """Extract in this process. Never raises; see the module docstring for the statuses."""
    kind = "unknown"
    try:
        if len(data) > limits.max_bytes:
            return Extraction("too_large", sniff(data[:4096], filename),
                              f"文件大小 {len(data) // 1048576} MB 超过上限 {limits.max_bytes // 1048576} MB")
        kind = sniff(data, filename)
        out = Extraction("ok", kind)
        if kind in _READERS:
            _spreadsheet(data, kind, limits, out)
        elif kind == "docx":
            _docx(data, limits, out)
        elif kind == "doc":
            _doc(data, limits, out)
        elif kind == "pdf":
            _pdf(data, limits, out)
        elif kind == "csv":
            _csv(data, limits, out)
        elif kind == "html":
            _html(data, limits, out)
        elif kind == "txt":
            _txt(data, limits, out)
        elif kind == "encrypted":
            raise _Unsupported("文件已加密，无法读取")
        else:
            raise _Unsupported(f"不支持的文件格式（{kind}）")
        if not out.paragraphs and not out.tables:
            out.status = "no_text"
            out.reason = ("PDF 无可提取的文字（可能为扫描件），需人工核实" if kind == "pdf"
                          else "文件中没有可提取的文字，需人工核实")
        return out
    except _TooLarge as exc:
        return Extraction("too_large", kind, str(exc))
    except _Unsupported as exc:
        return Extraction("unsupported", kind, str(exc))
    except MemoryError:
        return Extraction("too_large", kind, "解析所需内存超过上限")
    except RecursionError:
        return Extraction("failed", kind, "文件结构嵌套过深，无法解析")
    except Exception as exc:  # corrupt files raise anything: report, never stop the crawl
        return Extraction("failed", kind, f"文件损坏或无法解析：{type(exc).__name__}: {str(exc)[:200]}")


def extract_file(path: str | Path, limits: Limits = Limits()) -> Extraction:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > limits.max_bytes:
            with p.open("rb") as fh:
                head = fh.read(4096)
            return Extraction("too_large", sniff(head, p.name),
                              f"文件大小 {size // 1048576} MB 超过上限 {limits.max_bytes // 1048576} MB")
        data = p.read_bytes()
    except OSError as exc:
        return Extraction("failed", "unknown", f"无法读取文件：{exc}")
    return extract_bytes(data, p.name, limits)


def _limit_self(limits: Limits) -> None:
    """Bound this (child) process: address space and CPU seconds. Set by the child itself,
    not by a ``preexec_fn``, which is unsafe in the crawler's threaded parent."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
    cpu = int(limits.timeout) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def extract_isolated(data: bytes, filename: str = "", limits: Limits = Limits()) -> Extraction:
    """Extract in a child process bounded in memory (RLIMIT_AS), CPU and wall-clock time.

    The bytes go through stdin, the result comes back as JSON on stdout. Costs one Python
    start (~0.1–0.3 s) per attachment, which is small next to downloading it.
    """
    if len(data) > limits.max_bytes:
        return extract_bytes(data, filename, limits)  # answers too_large without parsing
    cmd = [sys.executable, "-m", "govaudit.crawler.attachments", "--stdin", "--name", filename,
           "--limits", json.dumps(asdict(limits))]
    env = dict(os.environ, PYTHONHASHSEED="0")
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=limits.timeout, env=env)
    except subprocess.TimeoutExpired:
        return Extraction("timeout", sniff(data[:4096], filename),
                          f"提取超过 {limits.timeout:g} 秒未完成，已中止，需人工核实")
    except OSError as exc:
        return Extraction("failed", "unknown", f"无法启动提取进程：{exc}")
    if proc.returncode != 0 or not proc.stdout:
        err = proc.stderr.decode("utf-8", "replace")
        if proc.returncode < 0 or "MemoryError" in err or "memory allocation" in err:
            return Extraction("too_large", sniff(data[:4096], filename),
                              f"提取超出内存或时间上限（进程退出码 {proc.returncode}），需人工核实")
        return Extraction("failed", sniff(data[:4096], filename),
                          f"提取进程异常退出（退出码 {proc.returncode}）：{err.strip().splitlines()[-1][:200] if err.strip() else ''}")
    try:
        return Extraction.from_dict(json.loads(proc.stdout))
    except (ValueError, TypeError) as exc:
        return Extraction("failed", "unknown", f"提取结果无法解析：{exc}")


def _main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="从附件中提取文字（供 govaudit 子进程调用）")
    ap.add_argument("path", nargs="?")
    ap.add_argument("--stdin", action="store_true")
    ap.add_argument("--name", default="")
    ap.add_argument("--limits", default="{}")
    args = ap.parse_args(argv)
    limits = Limits(**json.loads(args.limits))
    _limit_self(limits)
    if args.stdin:
        result = extract_bytes(sys.stdin.buffer.read(), args.name, limits)
    else:
        result = extract_file(args.path, limits)
    sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
