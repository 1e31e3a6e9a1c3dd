"""`govaudit browse`: the store in Datasette, read-only, with Chinese titles and canned queries.

Office staff ask the store questions the reports do not answer (which unit has the most open
problems, what did the 复核 find); Datasette lets them filter and export without SQL. The
store is opened read-only (Datasette reads mutable files with mode=ro and this app has no
write path), bound to 127.0.0.1 unless told otherwise. Two SQL functions make the canned
queries readable: problem_title(check) gives the Chinese problem name and
streak(months_json, month) the consecutive months a problem has been open
(govaudit.escalation.streak).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

INSPECT_RUNS = ("SELECT max(id) FROM runs WHERE json_extract(settings, '$.inspect') IS NOT NULL "
                "AND status NOT IN ('running', 'crawled') GROUP BY site, month")
LATEST_MONTH = ("(SELECT max(month) FROM runs WHERE json_extract(settings, '$.inspect') IS NOT NULL "
                "AND status NOT IN ('running', 'crawled'))")
SEVERITY = ("CASE f.severity WHEN 'veto' THEN '单项否决' WHEN 'high' THEN '严重' WHEN 'medium' THEN '一般' "
            "WHEN 'low' THEN '轻微' ELSE '提示' END")

TABLES: dict[str, dict[str, Any]] = {
    "runs": {"title": "检查记录", "description": "每个网站每次检查一行：起始网址、基准日、月份、状态、统计。",
             "columns": {"site": "网站名称", "unit": "责任单位", "start_url": "起始网址", "as_of": "检查基准日",
                         "month": "检查月份", "status": "状态（complete 完成、interrupted 中断、failed 失败）",
                         "stats": "抓取统计（JSON）"}},
    "fetches": {"title": "访问记录", "description": "检查中请求的每个网址：状态码、错误类别、跳转、软 404 判断。",
                "columns": {"url": "网址", "status": "HTTP 状态码", "error_class": "错误类别", "final_url": "最终网址",
                            "soft404": "软 404 原因", "title": "页面标题"}},
    "pages": {"title": "本站页面", "description": "抓取到的本站网页：标题、深度、页面类型和提取的事实（JSON）。",
              "columns": {"url": "网址", "title": "标题", "kind": "页面类型", "is_home": "是否首页"}},
    "links": {"title": "链接", "description": "每个页面上的每个链接：来源页面、目标、链接文字。",
              "columns": {"source": "来源页面", "target": "链接目标", "anchor": "链接文字", "source_is_home": "是否首页链接"}},
    "findings": {"title": "检查发现的问题", "description": "各次检查发现的问题（含提示类 info）。",
                 "columns": {"site": "网站名称", "check": "检查项编号", "url": "问题对象网址", "found_on": "出现页面",
                             "severity": "严重程度", "detail": "问题描述", "key": "问题标识"}},
    "finding_history": {"title": "问题历史", "description": "每个问题（稳定标识）各月的首次、最近发现和状态。",
                        "columns": {"identity": "问题标识", "site": "网站名称", "check": "检查项编号", "url": "网址",
                                    "first_seen": "首次发现", "last_seen": "最近发现", "months": "出现月份",
                                    "status": "状态（open 未整改、fixed 已整改）", "fixed_month": "整改月份"}},
    "deliveries": {"title": "邮件发送记录", "description": "各月各单位整改清单邮件的发送结果。",
                   "columns": {"unit": "单位", "recipient": "收件人", "status": "状态", "attempts": "尝试次数",
                               "error": "错误"}},
    "reviews": {"title": "复核结果", "description": "单位报送整改情况后的逐条复核（govaudit review）。",
                "columns": {"month": "检查月份", "site": "网站名称", "unit": "责任单位", "identity": "问题标识",
                            "claim": "单位主张（fixed 称已整改、appeal 申请核减、none 未说明）",
                            "claim_text": "单位填报的整改情况", "conclusion": "复核结论", "evidence": "复核依据",
                            "checked_on": "复核日期", "source": "来源文件、工作表和行"}},
    "appeal_events": {"title": "核减记录", "description": "核减申请与审定（只增不删）。",
                      "columns": {"identity": "问题标识", "event": "事项（filed 申请、accepted 同意、rejected 不同意）",
                                  "reason": "理由", "actor": "申请单位或审定人", "at": "时间",
                                  "fingerprint": "审定时页面内容指纹"}},
    "inventory": {"title": "栏目与文件清单", "description": "每次检查的栏目表、政策文件表（JSON）。"},
    "scores": {"title": "评分", "description": "按评分表给出的各项扣分和总分（govaudit score；kind = total 为总分行）。",
               "columns": {"run_id": "检查记录编号", "site": "网站名称", "kind": "行类型", "item": "指标",
                           "deduction": "扣分", "evidence": "依据的问题", "score": "总分", "verdict": "结论"}},
    "meta": {"title": "数据库信息", "hidden": True},
}


def queries(table_names: set[str], columns: dict[str, set[str]], month: str | None = None) -> dict[str, dict[str, str]]:
    """The canned queries; 各网站得分趋势 uses `scores` when it exists, else monthly problem counts.

    `month` (YYYY-MM, already validated) replaces "the latest inspected month" as the default of 本月问题.
    """
    default_month = f"'{month}'" if month else LATEST_MONTH
    out = {
        "本月问题": {
            "title": "本月问题（按单位）",
            "description": "所选月份（默认最近一次月度检查）各单位、各网站的问题，不含提示类。",
            "sql": f"""SELECT r.unit AS 责任单位, f.site AS 网站名称, problem_title(f.[check]) AS 问题类型,
  {SEVERITY} AS 严重程度, f.detail AS 问题描述, f.url AS 链接地址, r.month AS 检查月份
FROM findings f JOIN runs r ON r.id = f.run_id
WHERE r.id IN ({INSPECT_RUNS}) AND f.severity != 'info'
  AND r.month = coalesce(nullif(:month, ''), {default_month})
ORDER BY r.unit, f.site, CASE f.severity WHEN 'veto' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, f.url""",
        },
        "未整改问题及持续月数": {
            "title": "未整改问题及持续月数",
            "description": "最近一次检查后仍未整改的问题，持续月数为截至最近发现月份连续出现的月数。",
            "sql": """SELECT h.site AS 网站名称, problem_title(h.[check]) AS 问题类型, h.url AS 链接地址, h.detail AS 问题描述,
  h.first_seen AS 首次发现, h.last_seen AS 最近发现, streak(h.months, h.last_month) AS 持续月数
FROM finding_history h WHERE h.status = 'open'
ORDER BY 持续月数 DESC, h.site, h.first_seen""",
        },
        "复核结果": {
            "title": "复核结果",
            "description": "单位称已整改的问题经复核的结论和依据，以及核减申请。",
            "sql": """SELECT v.month AS 检查月份, v.unit AS 责任单位, v.site AS 网站名称, problem_title(v.[check]) AS 问题类型,
  v.url AS 链接地址, v.claim_text AS 整改情况,
  CASE v.claim WHEN 'fixed' THEN '称已整改' WHEN 'appeal' THEN '申请核减' ELSE '未说明' END AS 单位主张,
  v.conclusion AS 复核结论, v.evidence AS 复核依据, v.checked_on AS 复核日期
FROM reviews v ORDER BY v.month DESC, v.unit, v.site, v.id""",
        },
    }
    score_cols = columns.get("scores", set())
    if "scores" in table_names and {"run_id", "kind", "score", "verdict"} <= score_cols:
        out["各网站得分趋势"] = {
            "title": "各网站得分趋势", "description": "各网站各月月度检查的得分和结论（govaudit score）。",
            "sql": f"""SELECT r.site AS 网站名称, r.month AS 检查月份, s.score AS 得分, s.verdict AS 结论, s.note AS 说明
FROM scores s JOIN runs r ON r.id = s.run_id
WHERE s.kind = 'total' AND r.id IN ({INSPECT_RUNS}) ORDER BY r.site, r.month""",
        }
    else:
        out["各网站得分趋势"] = {
            "title": "各网站得分趋势",
            "description": "尚无得分表（scores），暂以各网站各月的问题数和单项否决问题数表示趋势。",
            "sql": f"""SELECT r.site AS 网站名称, r.month AS 检查月份,
  sum(CASE WHEN f.severity IS NOT NULL AND f.severity != 'info' THEN 1 ELSE 0 END) AS 问题数,
  sum(CASE WHEN f.severity = 'veto' THEN 1 ELSE 0 END) AS 单项否决问题数
FROM runs r LEFT JOIN findings f ON f.run_id = r.id
WHERE r.id IN ({INSPECT_RUNS}) GROUP BY r.site, r.month ORDER BY r.site, r.month""",
        }
    return out


def prepare(db_path: Path, month: str | None = None) -> tuple[str, dict[str, Any]]:
    """Create this project's review tables if absent (the only write), return (db name, metadata)."""
    import sqlite3

    from govaudit import review, store

    def tables() -> tuple[set[str], dict[str, set[str]]]:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            return names, {t: {c[1] for c in conn.execute(f"PRAGMA table_info([{t}])")} for t in names}
        finally:
            conn.close()

    names, columns = tables()
    if not {"reviews", "appeal_events", "runs"} <= names:
        try:  # a store from before review/appeals: give it the empty tables the canned queries read
            db = store.open_db(db_path)
            review.ensure_schema(db)
            db.conn.close()
            names, columns = tables()
        except sqlite3.Error:
            pass  # a read-only file: the queries on missing tables say so when run
    name = db_path.stem
    tables = {t: m for t, m in TABLES.items() if t in names}
    meta = {
        "title": "政府网站检查数据库",
        "description": "govaudit 的检查记录、问题、历史、复核与核减（只读）。",
        "databases": {name: {"title": "检查数据库", "tables": tables, "queries": queries(names, columns, month)}},
    }
    return name, meta


class _Functions:
    """A Datasette plugin registering problem_title() and streak() on every connection."""

    @staticmethod
    def prepare_connection(conn, database, datasette):
        from govaudit.escalation import streak
        from govaudit.history import problem_title

        def _streak(months, month):
            try:
                return streak(json.loads(months or "[]"), month) if month else 0
            except (ValueError, TypeError):
                return None

        conn.create_function("problem_title", 1, lambda c: problem_title(c) if c else c)
        conn.create_function("streak", 2, _streak)


def app(db_path: str | Path, month: str | None = None):
    """The Datasette instance for the store (not yet started)."""
    import asyncio

    from datasette import hookimpl
    from datasette.app import Datasette
    from datasette.plugins import pm

    from govaudit.inspect import parse_month

    p = Path(db_path).resolve()
    _, meta = prepare(p, parse_month(month) if month else None)
    if not pm.is_registered(_Functions):
        _Functions.prepare_connection = hookimpl(_Functions.prepare_connection)
        pm.register(_Functions, name="govaudit_functions")
    ds = Datasette([str(p)], metadata=meta, settings={"default_page_size": 100, "sql_time_limit_ms": 5000,
                                                        "allow_download": False})
    asyncio.run(ds.invoke_startup())
    return ds


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001, month: str | None = None) -> None:
    import uvicorn

    ds = app(db_path, month)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
