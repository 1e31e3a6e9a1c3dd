"""整改清单: one Excel workbook per responsible unit, a sheet per problem type.

The unit fills in 整改情况 and sends the file back, so the layout is the one inspectors use:
frozen header, filters, readable widths, clickable links. Page text (titles, anchors, URLs)
is hostile input: every cell goes through labels.safe_cell and the writer never turns a
string into a formula.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd

from govaudit.history import FIXED, NEW, OPEN, SiteMonth, problem_title
from govaudit.workdays import cn_month

from . import problem_text
from .labels import SEVERITY_ORDER, safe_cell

COLUMNS = ["序号", "网站名称", "责任单位", "问题类型", "问题描述", "问题页面/栏目", "链接地址", "错误返回码",
           "发现时间", "首次发现", "状态", "持续月数", "整改时限", "责任人", "完成时限", "整改情况"]
FIXED_COLUMNS = ["序号", "网站名称", "责任单位", "问题类型", "问题描述", "问题页面/栏目", "链接地址",
                 "首次发现", "最后发现", "状态"]
SUMMARY_COLUMNS = ["网站名称", "网址", "单项否决", "得分", "结论", "问题数", "提示类事项", "新增", "未整改",
                   "上次问题已整改", "未能复核"]
SCORE_COLUMNS = ["网站名称", "指标类别", "指标", "分值", "扣分", "扣分依据", "说明"]
AVAILABILITY_COLUMNS = ["网站名称", "监测期间", "监测次数", "无法访问次数", "无法访问占比", "最长连续无法访问", "结论", "说明"]
#: Column widths in Excel units (a Chinese character takes two): one A4 landscape page wide at about 60 %.
WIDTHS = {"序号": 6, "网站名称": 16, "责任单位": 14, "问题类型": 12, "问题描述": 34, "问题页面/栏目": 26,
          "链接地址": 28, "错误返回码": 11, "发现时间": 11, "首次发现": 11, "最后发现": 11, "状态": 7,
          "持续月数": 9, "整改时限": 11, "责任人": 9, "完成时限": 11, "整改情况": 24, "网址": 30, "单项否决": 9,
          "得分": 8, "结论": 8, "问题数": 8, "提示类事项": 11, "新增": 6, "未整改": 8, "上次问题已整改": 15, "未能复核": 9,
          "指标类别": 10, "指标": 16, "分值": 7, "扣分": 8, "扣分依据": 60, "说明": 40, "监测期间": 24, "监测次数": 9,
          "无法访问次数": 13, "无法访问占比": 13, "最长连续无法访问": 18}
WRAP = {"问题描述", "问题页面/栏目", "整改情况", "网站名称", "责任单位", "扣分依据", "说明", "指标", "链接地址", "网址"}
URL_COLUMNS = {"链接地址", "网址"}
PAGE_COLUMN = "问题页面/栏目"
#: Written as real dates (yyyy-mm-dd cells), so a spreadsheet sorts and filters them as dates.
DATE_COLUMNS = {"发现时间", "首次发现", "最后发现", "整改时限", "完成时限"}
#: Left for the unit to fill in (shaded).
FILL_COLUMNS = {"责任人", "完成时限", "整改情况"}
EVIDENCE = "问题截图"
STATUS_ORDER = {OPEN: 0, NEW: 1}
#: Excel refuses longer link targets; such URLs are written as text.
MAX_URL = 2079


#: Most file systems refuse names longer than 255 bytes.
MAX_NAME_BYTES = 255


def file_name(unit: str, month: str) -> str:
    """One unit's workbook name (see unit_file_names for the guarantees)."""
    return unit_file_names([unit], f"-{cn_month(month)}网站问题整改清单.xlsx")[unit]


def unit_file_names(units: list[str], suffix: str) -> dict[str, str]:
    """A distinct file name of at most 255 bytes for each unit: ``<unit><suffix>``.

    A name changed to make it a file name (``A/B局`` → ``A_B局``) or shortened to fit gets a
    short digest of the unit's full name, so two units never share a file (and a unit never
    receives another's 整改清单). A clash that remains is an error, never an overwrite."""
    from .notice import safe_name

    room = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    out: dict[str, str] = {}
    for unit in dict.fromkeys(units):
        base = safe_name(unit)
        if base != unit or len(base.encode("utf-8")) > room:
            tag = "-" + hashlib.sha1(unit.encode("utf-8")).hexdigest()[:8]
            base = _cut(base, room - len(tag)) + tag
        out[unit] = base + suffix
    names = list(out.values())
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise ValueError(f"整改清单文件名冲突：{'、'.join(u for u, n in out.items() if n in clashes)} 将得到相同的文件名，请修改单位名称")
    return out


def _cut(text: str, max_bytes: int) -> str:
    """The longest prefix of ``text`` within ``max_bytes`` of UTF-8."""
    data = text.encode("utf-8")[:max(0, max_bytes)]
    return data.decode("utf-8", errors="ignore").rstrip(" .")


def sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: ≤ 31 characters, none of []:*?/\\, unique."""
    base = re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "问题"
    name, n = base, 2
    while name in used:
        name = f"{base[:28]}_{n}"
        n += 1
    used.add(name)
    return name


def problem_row(sm: SiteMonth, f: dict, deadline: str) -> dict[str, Any]:
    return {
        "网站名称": sm.name, "责任单位": sm.unit, "问题类型": problem_title(f["check"]),
        "问题描述": f.get("detail", ""), "问题页面/栏目": problem_text.where(f), "链接地址": f.get("url", ""),
        "错误返回码": problem_text.error_code(f), "发现时间": f.get("found_at", ""), "首次发现": f.get("first_seen", ""),
        "状态": f["status"], "持续月数": f.get("months_open", 1), "整改时限": deadline, "责任人": "", "完成时限": "",
        "整改情况": "", EVIDENCE: f.get("evidence", ""),
    }


def unit_tables(sites: list[SiteMonth], deadline: str,
                escalate_months: int = 2) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    """Per problem type the open problems, the previous problems' fate, and the summary.

    Problems open for ``escalate_months`` or more (govaudit.escalation) come first in each sheet."""
    by_type: dict[str, list[tuple]] = defaultdict(list)
    fixed_rows = []
    for sm in sites:
        for f in sm.problems:
            escalated = f["status"] == OPEN and f.get("months_open", 1) >= escalate_months
            key = (not escalated, STATUS_ORDER.get(f["status"], 9), -f.get("months_open", 1), sm.name,
                   SEVERITY_ORDER.get(f.get("severity"), 9), f.get("url", ""))
            by_type[f["check"]].append((key, problem_row(sm, f, deadline)))
        for f in sm.fixed + sm.unverified:
            fixed_rows.append({
                "网站名称": sm.name, "责任单位": sm.unit, "问题类型": problem_title(f["check"]),
                "问题描述": f.get("detail", ""), "问题页面/栏目": problem_text.where(f), "链接地址": f.get("url", ""),
                "首次发现": f.get("first_seen", ""), "最后发现": f.get("last_seen", ""), "状态": f["status"],
            })
    tables = {}
    # Most serious type first (veto before the rest), then the most frequent.
    order = sorted(by_type, key=lambda c: (min(k[4] for k, _ in by_type[c]), -len(by_type[c]), c))
    for check in order:
        rows = [r for _, r in sorted(by_type[check], key=lambda t: t[0])]
        for i, r in enumerate(rows, 1):
            r["序号"] = i
        shots = [EVIDENCE] if any(r[EVIDENCE] for r in rows) else []  # only when screenshots were taken
        tables[problem_title(check)] = pd.DataFrame(rows, columns=COLUMNS + shots)
    fixed_rows.sort(key=lambda r: (r["状态"] != FIXED, r["网站名称"], r["问题类型"], r["链接地址"]))
    for i, r in enumerate(fixed_rows, 1):
        r["序号"] = i
    summary = pd.DataFrame([{
        "网站名称": sm.name, "网址": sm.url, "单项否决": "是" if sm.veto else "否",
        "得分": score_text(sm), "结论": verdict_of(sm), "问题数": len(sm.problems), "提示类事项": len(sm.info),
        "新增": len(sm.by_status(NEW)), "未整改": len(sm.by_status(OPEN)), "上次问题已整改": len(sm.fixed),
        "未能复核": len(sm.unverified),
    } for sm in sites], columns=SUMMARY_COLUMNS)
    return tables, pd.DataFrame(fixed_rows, columns=FIXED_COLUMNS), summary


def score_text(sm: SiteMonth) -> Any:
    s = sm.score
    if s is None:
        return "—"
    return "单项否决" if s.vetoed else s.score


def verdict_of(sm: SiteMonth) -> str:
    if sm.score is not None:
        return sm.score.verdict
    return "不合格" if sm.veto else "—"


def _evidence_text(ln) -> str:
    from .labels import check_title

    parts = [f"{check_title(e['check'])}：{e.get('url') or ''}" for e in ln.evidence[:20]]
    if len(ln.evidence) > 20:
        parts.append(f"等共{len(ln.evidence)}个问题")
    return "\n".join(parts)


def score_table(sites: list[SiteMonth]) -> pd.DataFrame:
    """评分表: every item of the sheet per site, the deduction and the findings it rests on."""
    rows = []
    for sm in sites:
        s = sm.score
        if s is None:
            continue
        for v in s.vetoes:
            state = "否决" if v.triggered else ("需人工核实" if v.pending else "未发现")
            rows.append({"网站名称": sm.name, "指标类别": "单项否决", "指标": v.item, "分值": "—", "扣分": state,
                         "扣分依据": _evidence_text(v), "说明": v.note or ("" if v.triggered else "")})
        if not s.vetoed:
            for ln in s.lines:
                rows.append({"网站名称": sm.name, "指标类别": ln.category, "指标": ln.item, "分值": ln.points,
                             "扣分": ln.deduction, "扣分依据": ("需人工核实" if ln.pending else _evidence_text(ln)),
                             "说明": "；".join(x for x in (ln.note, "" if ln.verified else "分值待核实") if x)})
            for b in s.bonus_lines:
                if b.deduction:
                    rows.append({"网站名称": sm.name, "指标类别": "加分指标", "指标": b.item, "分值": b.points,
                                 "扣分": b.deduction, "扣分依据": "", "说明": b.note})
        total = "—（单项否决）" if s.vetoed else s.score
        rows.append({"网站名称": sm.name, "指标类别": "合计", "指标": "得分", "分值": total, "扣分": "",
                     "扣分依据": "", "说明": f"结论：{s.verdict}（{s.reason}）"})
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def availability_table(sites: list[SiteMonth]) -> pd.DataFrame:
    from .notice import availability_rows

    rows = [{"网站名称": r["name"], "监测期间": f"{r['window'][0]}至{r['window'][1]}", "监测次数": r["probes"],
             "无法访问次数": r["failures"], "无法访问占比": r["ratio"], "最长连续无法访问": r["outage"],
             "结论": r["verdict_text"], "说明": r["note"]} for r in availability_rows(sites)]
    return pd.DataFrame(rows, columns=AVAILABILITY_COLUMNS)


def _clean(df: pd.DataFrame) -> pd.DataFrame:
    return df.map(safe_cell) if hasattr(df, "map") else df.applymap(safe_cell)


def _as_date(value: Any):
    from datetime import date, datetime

    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datetime.combine(date.fromisoformat(value), datetime.min.time())
    return None


def _print_setup(ws, first_row: int, title: str) -> None:
    """A4 landscape, one page wide, the header row on every page, the title in the page header and
    "第 n 页 共 m 页" in the footer, so the list prints as it is."""
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(first_row)
    ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    ws.set_header("&C&\"宋体,Bold\"&12" + title.replace("&", "&&"))
    ws.set_footer("&C第 &P 页 共 &N 页")
    ws.hide_gridlines(0)


def _format_sheet(xw, ws, df: pd.DataFrame, first_row: int, formats: dict, title: str = "") -> None:
    """Header style, widths, wrapping, frozen header, filter, clickable links, date cells, print setup."""
    for j, col in enumerate(df.columns):
        ws.write_string(first_row, j, col, formats["header"])
        ws.set_column(j, j, WIDTHS.get(col, 14), formats["wrap"] if col in WRAP else formats["cell"])
    ws.set_row(first_row, 30)
    ws.freeze_panes(first_row + 1, 0)
    if len(df):
        ws.autofilter(first_row, 0, first_row + len(df), len(df.columns) - 1)
    for j, col in enumerate(df.columns):
        values = df[col].tolist()
        if col in URL_COLUMNS:
            for i, url in enumerate(values, first_row + 1):
                if isinstance(url, str) and url.startswith(("http://", "https://")) and len(url) <= MAX_URL:
                    ws.write_url(i, j, url, formats["url"], string=url)
        elif col == PAGE_COLUMN:
            # The page the unit opens to see the problem: the first address in the cell, or for a
            # column/document the problem's own address; the text stays as written.
            links = df["链接地址"].tolist() if "链接地址" in df.columns else [None] * len(values)
            for i, (text, link) in enumerate(zip(values, links), first_row + 1):
                if not isinstance(text, str) or not text:
                    continue
                found = re.search(r"https?://\S+", text)
                target = found.group(0) if found else link
                if isinstance(target, str) and target.startswith(("http://", "https://")) and len(target) <= MAX_URL:
                    ws.write_url(i, j, target, formats["url"], string=safe_cell(text)[:32767])
        elif col in DATE_COLUMNS:
            fill = col in FILL_COLUMNS
            for i, value in enumerate(values, first_row + 1):
                day = _as_date(value)
                if day is not None:
                    ws.write_datetime(i, j, day, formats["fill_date" if fill else "date"])
                elif fill:
                    ws.write_blank(i, j, None, formats["fill_date"])
        elif col in FILL_COLUMNS:
            for i in range(first_row + 1, first_row + 1 + len(df)):
                ws.write_blank(i, j, None, formats["fill"])
    if EVIDENCE in df.columns:  # the screenshot beside the site report (govaudit.evidence), relative to 整改清单/
        j = list(df.columns).index(EVIDENCE)
        for i, rel in enumerate(df[EVIDENCE].tolist(), first_row + 1):
            if rel:
                ws.write_url(i, j, "external:../" + rel, formats["url"], string="查看截图")
    _print_setup(ws, first_row, title)


def write_unit_list(path: Path, unit: str, sites: list[SiteMonth], data: dict[str, Any]) -> Path:
    tables, fixed, summary = unit_tables(sites, data["deadline"], int(data.get("escalate_months", 2)))
    scores, availability = score_table(sites), availability_table(sites)
    title = f"{unit}{data['month_cn']}政府网站检查问题整改清单"
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as xw:
        wb = xw.book
        formats = {
            "header": wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                                     "valign": "vcenter", "align": "center"}),
            "cell": wb.add_format({"valign": "top"}),
            "wrap": wb.add_format({"valign": "top", "text_wrap": True}),
            "url": wb.add_format({"valign": "top", "font_color": "blue", "underline": 1, "text_wrap": True}),
            "date": wb.add_format({"valign": "top", "num_format": "yyyy-mm-dd"}),
            "fill": wb.add_format({"valign": "top", "bg_color": "#FFF2CC", "border": 1, "text_wrap": True}),
            "fill_date": wb.add_format({"valign": "top", "bg_color": "#FFF2CC", "border": 1, "num_format": "yyyy-mm-dd"}),
            "title": wb.add_format({"bold": True, "font_size": 14}),
        }
        used: set[str] = set()
        name = sheet_name("汇总", used)
        _clean(summary).to_excel(xw, sheet_name=name, index=False, startrow=2)
        ws = xw.sheets[name]
        total = int(summary["问题数"].sum()) if len(summary) else 0
        info = int(summary["提示类事项"].sum()) if len(summary) else 0
        ws.write_string(0, 0, safe_cell(title), formats["title"])
        ws.write_string(1, 0, safe_cell(
            f"检查基准日：{data.get('as_of_cn') or data['as_of']}　问题共{total}个（提示类事项{info}个需人工核实，不计入问题数）"
            f"　整改时限：{data['deadline_cn']}前　发文单位：{data['issuer']}"))
        _format_sheet(xw, ws, summary, 2, formats, title)
        ws.print_area(0, 0, 2 + len(summary) + 1, len(summary.columns) - 1)
        if not total:
            ws.write_string(3 + len(summary), 0, "本月检查未发现需要整改的问题。")
        for sheet_title, df in tables.items():
            name = sheet_name(sheet_title, used)
            _clean(df).to_excel(xw, sheet_name=name, index=False)
            _format_sheet(xw, xw.sheets[name], df, 0, formats, f"{title}——{sheet_title}")
        extra = [("上次问题整改情况", fixed), ("评分表", scores), ("可用性监测", availability)]
        for sheet_title, df in extra:
            if len(df):
                name = sheet_name(sheet_title, used)
                _clean(df).to_excel(xw, sheet_name=name, index=False)
                _format_sheet(xw, xw.sheets[name], df, 0, formats, f"{title}——{sheet_title}")
    return path


def write_lists(out_dir: Path, report: list[SiteMonth], data: dict[str, Any]) -> dict[str, Path]:
    """One workbook per unit in DIR/整改清单/; old workbooks there are replaced."""
    target = out_dir / "整改清单"
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*网站问题整改清单.xlsx"):
        old.unlink()
    units: dict[str, list[SiteMonth]] = defaultdict(list)
    for sm in report:
        units[sm.unit].append(sm)
    names = unit_file_names(sorted(units), f"-{cn_month(data['month'])}网站问题整改清单.xlsx")
    return {unit: write_unit_list(target / names[unit], unit, sites, data)
            for unit, sites in sorted(units.items())}
