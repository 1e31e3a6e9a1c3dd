"""Read the 整改清单 workbooks that units send back, however Excel or WPS left them.

Units reorder rows, add columns (备注, 整改人), merge cells, rename sheets and add sheets of
their own; they never keep the file exactly as written. So a sheet counts when one of its
first rows carries the list's column names (at least 链接地址 and 整改情况, by name, in any
order), every row below it is read by those names, merged cells give their value to every
cell they cover, and whatever cannot be read is named by file, sheet and row instead of
being dropped silently.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Canonical column -> header texts that mean it (after removing spaces and bracketed notes).
ALIASES: dict[str, tuple[str, ...]] = {
    "序号": ("序号", "编号"),
    "问题编号": ("问题编号", "问题标识"),
    "网站名称": ("网站名称", "网站"),
    "责任单位": ("责任单位", "主办单位", "单位"),
    "问题类型": ("问题类型", "问题类别", "类型"),
    "问题描述": ("问题描述", "问题详情"),
    "问题页面/栏目": ("问题页面/栏目", "问题页面", "问题栏目", "栏目"),
    "链接地址": ("链接地址", "问题链接", "问题地址", "网址", "url", "链接"),
    "状态": ("状态",),
    "整改情况": ("整改情况", "整改结果", "整改说明", "整改落实情况", "整改措施"),
    "备注": ("备注", "说明", "核减理由", "申请核减理由", "理由"),
}
REQUIRED = ("链接地址", "整改情况")
HEADER_SCAN_ROWS = 30
_NOTE = re.compile(r"[（(][^（）()]*[）)]")
_FORMULA_GUARD = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ReturnedRow:
    """One problem row of a returned list, by canonical column name, with where it came from."""

    file: str
    sheet: str
    row: int  # 1-based, as Excel shows it
    values: dict[str, str] = field(default_factory=dict)

    def get(self, column: str) -> str:
        return self.values.get(column, "")

    @property
    def where(self) -> str:
        return f"文件 {self.file} 工作表“{self.sheet}”第 {self.row} 行"


@dataclass
class ReadResult:
    rows: list[ReturnedRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # Chinese, each naming file/sheet/row


def canonical(header: Any) -> str | None:
    """The canonical column a header cell names, or None."""
    if header is None:
        return None
    text = _NOTE.sub("", re.sub(r"\s+", "", str(header))).lower()
    if not text:
        return None
    for name, aliases in ALIASES.items():
        if text in aliases:
            return name
    for name, aliases in ALIASES.items():  # "整改情况（由单位填写）", "链接地址URL"
        if any(len(a) >= 2 and text.startswith(a) for a in aliases):
            return name
    return None


def cell_text(value: Any) -> str:
    """A cell as text, with the writer's formula guard (a leading ') taken off again."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    text = str(value).strip()
    if text.startswith("'") and text[1:2] in _FORMULA_GUARD:
        text = text[1:]
    return text


def _fill_merged(ws) -> None:
    """Give every cell of a merged range the range's value (openpyxl keeps it top-left only)."""
    for rng in list(ws.merged_cells.ranges):
        value = ws.cell(rng.min_row, rng.min_col).value
        link = ws.cell(rng.min_row, rng.min_col).hyperlink
        ws.unmerge_cells(str(rng))
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                cell = ws.cell(r, c)
                cell.value = value
                if link is not None and cell.hyperlink is None:
                    cell.hyperlink = link.target


def find_header(ws) -> tuple[int, dict[int, str]] | None:
    """(row number, {column index: canonical name}) of the sheet's header row, or None."""
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS), 1):
        cols: dict[int, str] = {}
        for cell in row:
            name = canonical(cell.value)
            if name and name not in cols.values():
                cols[cell.column] = name
        if all(n in cols.values() for n in REQUIRED) and len(cols) >= 3:
            return r, cols
    return None


def read_sheet(ws, file: str, out: ReadResult) -> bool:
    """Append the sheet's rows to `out`; False when the sheet is not a problem list."""
    found = find_header(ws)
    if found is None:
        return False
    header_row, cols = found
    url_col = next(c for c, n in cols.items() if n == "链接地址")
    for r in range(header_row + 1, ws.max_row + 1):
        values = {}
        for c, name in cols.items():
            values[name] = cell_text(ws.cell(r, c).value)
        cell = ws.cell(r, url_col)
        if cell.hyperlink is not None and cell.hyperlink.target and not values["链接地址"].startswith(("http://", "https://")):
            values["链接地址"] = cell.hyperlink.target
        if not any(values.values()):
            continue
        row = ReturnedRow(file=file, sheet=ws.title, row=r, values=values)
        if not values.get("链接地址") and not values.get("问题描述"):
            if values.get("整改情况"):
                out.problems.append(f"{row.where}：缺少“链接地址”和“问题描述”，无法对应到检查发现的问题")
            continue
        out.rows.append(row)
    return True


def read_workbook(path: str | Path, out: ReadResult | None = None) -> ReadResult:
    """Every problem row of one returned workbook; problems say what could not be read."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    out = out or ReadResult()
    p = Path(path)
    name = p.name
    if not p.is_file():
        out.problems.append(f"文件 {p} 不存在")
        return out
    try:
        wb = openpyxl.load_workbook(p, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        hint = "（请在 Excel/WPS 中另存为“Excel 工作簿 (.xlsx)”后重新报送）" if p.suffix.lower() != ".xlsx" or \
            isinstance(exc, zipfile.BadZipFile) else ""
        out.problems.append(f"文件 {name} 无法读取：不是有效的 .xlsx 文件{hint}")
        return out
    used = 0
    for ws in wb.worksheets:
        _fill_merged(ws)
        try:
            used += read_sheet(ws, name, out)
        except Exception as exc:  # one odd sheet must not lose the others
            out.problems.append(f"文件 {name} 工作表“{ws.title}”无法读取：{type(exc).__name__}")
    if not used:
        out.problems.append(f"文件 {name} 中没有找到整改清单表格（表头应包含“链接地址”“整改情况”等列）")
    return out


def read_all(paths: list[str | Path]) -> ReadResult:
    out = ReadResult()
    for p in paths:
        read_workbook(p, out)
    return out
