"""The month's verdicts (issue 13): three small real sites inspected end to end, scored item by item.

- 临川市甲局网站 is down (nothing listens on its port): 站点无法访问 → 单项否决, 不合格, no score.
- 临川市乙局网站 has broken links on its home page and a person's recorded deductions: below 60, 不合格.
- 临川市丙局网站 has two broken home-page links and one elsewhere: 97.9, 合格.

乙局 and 丙局 have a working site search (a GET form whose static results page lists the newest article),
so 搜索功能 costs nothing here.

The same scores must appear in the 通报 (.docx and .html), the 整改清单 (.xlsx 评分表), the site
reports and `govaudit score`; changing one point value in the sheet changes exactly that score.
"""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document

from demo.server import PortalServer
from portal import ROOT, TEST_CRAWL, run_cli

MONTH, AS_OF = "2026-11", "2026-11-20"
V_NAME, F_NAME, P_NAME = "临川市甲局网站", "临川市乙局网站", "临川市丙局网站"
V_UNIT, F_UNIT, P_UNIT = "临川市甲局", "临川市乙局", "临川市丙局"
SHEET = ROOT / "config" / "scoresheet.yaml"

MARKS = ('<div class="footer"><p>网站标识码：3610000001　赣ICP备12345678号　赣公网安备36010002000001号</p>'
         '<a href="https://bszs.conac.cn/sitename?method=show&id=1"><img src="/red.png" alt="党政机关"></a>'
         '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3610000001">我为政府网站找错</a></div>')
SEARCH = ('<form class="search" action="/search/index.html" method="get"><input type="hidden" name="siteid" value="3610000001">'
          '<input type="text" name="q" placeholder="搜索"><input type="submit" value="搜索"></form>')
PAGE = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{meta}</head><body>'
        '<div class="position">您的位置：<a href="/">首页</a> &gt; <a href="/gzdt/">工作动态</a></div>'
        '<h1>{title}</h1><p class="info">发布时间：{date}</p><div class="content"><p>{body}</p>{links}</div></body></html>')
BODY = ("为进一步做好各项工作，本局近日召开专题会议，对当前和今后一个时期的重点任务进行研究部署，要求压实工作责任，"
        "细化工作举措，确保各项工作落到实处、取得实效。")


def site(root: Path, name: str, home_dead: int, other_dead: int) -> Path:
    """A small fresh site: a home page, a 工作动态 column of two recent articles, the footer marks,
    ``home_dead`` broken links on the home page and ``other_dead`` on an article."""
    root.mkdir(parents=True)
    items = [("gzdt/202611/t20261118_1.html", f"{name[:-2]}召开冬季安全工作会议", "2026-11-18"),
             ("gzdt/202611/t20261112_2.html", f"{name[:-2]}开展政策宣讲活动", "2026-11-12")]
    rows = "".join(f'<li><a href="/{u}">{t}</a><span class="date">{d}</span></li>' for u, t, d in items)
    dead = "".join(f'<li><a href="/missing/home{i}.html">专题{i}</a></li>' for i in range(home_dead))
    (root / "index.html").write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}</title>'
        f'<meta name="SiteName" content="{name}"><meta name="SiteIDCode" content="3610000001"></head><body>'
        f'<div class="main"><h3><a href="/gzdt/">工作动态</a></h3><ul class="news-list">{rows}</ul>'
        f'<ul class="links">{dead}</ul></div>{SEARCH}{MARKS}</body></html>', encoding="utf-8")
    (root / "red.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    # A working site search (搜索功能): the static results page lists the newest article, whatever is asked.
    (root / "search").mkdir()
    (root / "search" / "index.html").write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>站内搜索_{name}</title></head><body>'
        f'<ul class="results"><li><a href="/{items[0][0]}">{items[0][1]}</a></li></ul></body></html>', encoding="utf-8")
    (root / "gzdt").mkdir()
    (root / "gzdt" / "index.html").write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>工作动态_{name}</title>'
        f'<meta name="ColumnName" content="工作动态"></head><body><div class="position">您的位置：<a href="/">首页</a>'
        f' &gt; <a href="/gzdt/">工作动态</a></div><ul class="news-list">{rows}</ul></body></html>', encoding="utf-8")
    for i, (u, t, d) in enumerate(items):
        p = root / u
        p.parent.mkdir(parents=True, exist_ok=True)
        links = "".join(f'<p><a href="/missing/page{j}.html">相关链接{j}</a></p>' for j in range(other_dead)) if i == 0 else ""
        p.write_text(PAGE.format(title=t, date=d, body=BODY, links=links,
                                 meta=f'<meta name="ColumnName" content="工作动态"><meta name="PubDate" content="{d} 09:00">'),
                     encoding="utf-8")
    return root


F_MANUAL = [  # a person's verdicts for what a machine cannot judge (sites[].manual)
    {"item": "办事指南", "deduct": 15, "note": "办事指南要素缺失", "by": "张三"},
    {"item": "留言办理", "deduct": 8, "note": "留言答复不及时"},
    {"item": "互动渠道", "deduct": 7},
    {"item": "数据发布", "deduct": 3},
    {"item": "机构职能", "deduct": 3},
]


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("verdicts")
    f_srv = PortalServer(site(tmp / "f", F_NAME, home_dead=6, other_dead=0)).start()
    p_srv = PortalServer(site(tmp / "p", P_NAME, home_dead=2, other_dead=1)).start()
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    v_port = s.getsockname()[1]
    s.close()
    store = tmp / "store.sqlite"
    sheet = tmp / "scoresheet.yaml"
    sheet.write_text(SHEET.read_text(encoding="utf-8"), encoding="utf-8")
    cfg = {
        "notice": {"issuer": "临川市人民政府办公室", "number": "临政办函〔2026〕{seq}号", "deadline_days": 10,
                   "contact": "政务公开科，0794-0000000"},
        "inspect": {"store": str(store), "concurrent_sites": 3},
        "crawl": {**TEST_CRAWL, "check_external": False},  # the footer's badge and 找错 links are off-line here
        "scoresheet": str(sheet),
        "sites": [
            {"name": V_NAME, "url": f"http://127.0.0.1:{v_port}/", "unit": V_UNIT},
            {"name": F_NAME, "url": f_srv.base_url + "/", "unit": F_UNIT, "manual": F_MANUAL},
            {"name": P_NAME, "url": p_srv.base_url + "/", "unit": P_UNIT},
        ],
    }
    path = tmp / "sites.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp / "out"
    proc = run_cli("inspect", "--config", str(path), "--month", MONTH, "--as-of", AS_OF, "--out", str(out), "--seq", "7",
                   timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    yield {"cfg": path, "out": out, "store": store, "sheet": sheet, "tmp": tmp, "stdout": proc.stdout,
           "stderr": proc.stderr, "f": f_srv, "p": p_srv}
    f_srv.shutdown()
    p_srv.shutdown()


def findings(out: Path, name: str) -> list[dict]:
    path = out / "网站检查报告" / name / "findings.jsonl"
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def notice_paths(out: Path) -> tuple[Path, Path]:
    base = out / "关于2026年11月全市政府网站检查情况的通报"
    return base.with_suffix(".docx"), base.with_suffix(".html")


# Expected, item by item (config/scoresheet.yaml values).
F_LINES = {"链接可用性": 5, "办事指南": 15, "留言办理": 8, "互动渠道": 7, "数据发布": 3, "机构职能": 3}
P_LINES = {"链接可用性": 2.1}
F_SCORE, P_SCORE = 100 - 41, 97.9


def test_findings_are_the_ones_built(month):
    out = month["out"]
    assert {f["check"] for f in findings(out, V_NAME)} == {"site_unreachable"}
    f_problems = [f for f in findings(out, F_NAME) if f["severity"] != "info"]
    p_problems = [f for f in findings(out, P_NAME) if f["severity"] != "info"]
    assert sorted(f["check"] for f in f_problems) == ["dead_link"] * 6, f_problems
    assert sorted(f["check"] for f in p_problems) == ["dead_link"] * 3, p_problems


def score_json(month, name: str, *extra: str) -> dict:
    proc = run_cli("score", name, "--config", str(month["cfg"]), "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def deductions(s: dict) -> dict[str, float]:
    return {ln["item"]: ln["deduction"] for ln in s["lines"] if ln["deduction"]}


def test_scores_item_by_item_in_govaudit_score(month):
    v = score_json(month, V_NAME)
    assert (v["verdict"], v["score"]) == ("不合格", None)
    assert [x["item"] for x in v["vetoes"] if x["triggered"]] == ["站点无法访问"]
    f = score_json(month, F_NAME)
    assert deductions(f) == F_LINES and (f["score"], f["verdict"]) == (F_SCORE, "不合格")
    p = score_json(month, P_NAME)
    assert deductions(p) == P_LINES and (p["score"], p["verdict"]) == (P_SCORE, "合格")
    text = run_cli("score", F_NAME, "--config", str(month["cfg"])).stdout
    assert "链接可用性：分值5，扣5" in text and "办事指南：分值15，扣15" in text
    assert "扣分指标得分：59；总分：59；结论：不合格" in text
    db = sqlite3.connect(month["store"])
    totals = dict(db.execute("SELECT site, score FROM scores WHERE kind = 'total'").fetchall())
    assert totals == {V_NAME: None, F_NAME: F_SCORE, P_NAME: P_SCORE}


def test_scores_in_the_notice_docx_and_html(month):
    docx, html_path = notice_paths(month["out"])
    text = docx_text(docx)
    html = html_path.read_text(encoding="utf-8")
    plain = re.sub(r"<[^>]+>", "", html)
    for body in (text, plain):
        assert "按评分表评分，合格1个、不合格2个，合格率33.3%。" in body
        assert "（一）不合格网站" in body
        first = body.index("（一）不合格网站")
        assert body.index(f"1. {V_UNIT}“{V_NAME}”：站点无法访问", first) < body.index(f"2. {F_UNIT}“{F_NAME}”", first)
        assert "扣分指标得分59分，低于60分，不合格。主要扣分：办事指南扣15分、留言办理扣8分、互动渠道扣7分、链接可用性扣5分" in body
        assert "按得分从高到低排序，单项否决网站列后" in body
        assert "需人工核实事项" in body
    rows = [r for r in text.splitlines() if r.count(" | ") >= 5 and (r.startswith("1 |") or r.startswith("2 |") or r.startswith("3 |"))]
    ranking = [r.split(" | ")[:5] for r in rows if r.split(" | ")[1] in (V_NAME, F_NAME, P_NAME)]
    assert ranking == [["1", P_NAME, P_UNIT, "97.9", "合格"], ["2", F_NAME, F_UNIT, "59", "不合格"],
                       ["3", V_NAME, V_UNIT, "单项否决", "不合格"]]
    assert re.search(rf"<td>{P_NAME}</td>\s*<td>{P_UNIT}</td>\s*<td class=\"num\">97.9</td>\s*<td>合格</td>", html)
    assert re.search(rf"<td>{F_NAME}</td>\s*<td>{F_UNIT}</td>\s*<td class=\"num\">59</td>\s*<td>不合格</td>", html)


def test_scores_in_the_lists_and_site_reports(month):
    out = month["out"]
    lists = out / "整改清单"
    for unit, name, lines, total in ((F_UNIT, F_NAME, F_LINES, F_SCORE), (P_UNIT, P_NAME, P_LINES, P_SCORE)):
        wb = openpyxl.load_workbook(lists / f"{unit}-2026年11月网站问题整改清单.xlsx")
        ws = wb["评分表"]
        rows = [dict(zip([c.value for c in ws[1]], [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
        got = {r["指标"]: r["扣分"] for r in rows if r["指标类别"] not in ("单项否决", "合计") and r["扣分"]}
        assert got == lines
        (tot,) = [r for r in rows if r["指标类别"] == "合计"]
        assert tot["分值"] == total
        summary = {r[0].value: r for r in wb["汇总"].iter_rows(min_row=4)}
        assert summary[name][3].value == total
    wb = openpyxl.load_workbook(lists / f"{V_UNIT}-2026年11月网站问题整改清单.xlsx")
    rows = list(wb["评分表"].iter_rows(values_only=True))
    assert ("临川市甲局网站", "单项否决", "站点无法访问", "—", "否决") == rows[1][:5]
    report = (out / "网站检查报告" / F_NAME / "report.html").read_text(encoding="utf-8")
    assert "得分：59分" in report and "结论：不合格" in report and "办事指南要素缺失" in report
    report = (out / "网站检查报告" / P_NAME / "report.html").read_text(encoding="utf-8")
    assert "得分：97.9分" in report and "结论：合格" in report


def test_one_point_value_changes_exactly_that_score(month):
    """A broken link off the home page costs 0.5 instead of 0.1: only 丙局 has one (97.9 → 97.5); re-scored
    from the stored runs (--no-crawl), the other sites keep their scores."""
    sheet = month["sheet"]
    text = sheet.read_text(encoding="utf-8")
    changed = text.replace("{check: dead_link, when: {data.on_home: false}, how: per_finding, deduct: 0.1}",
                           "{check: dead_link, when: {data.on_home: false}, how: per_finding, deduct: 0.5}")
    assert changed != text
    sheet.write_text(changed, encoding="utf-8")
    out = month["tmp"] / "out2"
    proc = run_cli("inspect", "--config", str(month["cfg"]), "--month", MONTH, "--no-crawl", "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-3000:]
    db = sqlite3.connect(month["store"])
    totals = dict(db.execute("SELECT site, score FROM scores WHERE kind = 'total'").fetchall())
    assert totals == {V_NAME: None, F_NAME: F_SCORE, P_NAME: 97.5}
    text = docx_text(notice_paths(out)[0])
    assert "| 97.5 | 合格" in text and "| 59 | 不合格" in text


def test_one_set_of_numbers_for_a_site(month):
    """乙局's problems (6 broken links; 提示 items apart) are counted alike in every document."""
    import email
    from email import policy

    out = month["out"]
    info = [f for f in findings(out, F_NAME) if f["severity"] == "info"]
    report = (out / "网站检查报告" / F_NAME / "report.html").read_text(encoding="utf-8")
    assert "发现问题6个" in report
    if info:
        assert f"另有提示类事项{len(info)}个" in report
    summary = json.loads((out / "inspect.json").read_text(encoding="utf-8"))
    assert {r["name"]: r["total"] for r in summary["ranking"]}[F_NAME] == 6
    wb = openpyxl.load_workbook(out / "整改清单" / f"{F_UNIT}-2026年11月网站问题整改清单.xlsx")
    rows = list(wb["汇总"].iter_rows(min_row=3, values_only=True))
    header, row = rows[0], rows[1]
    assert dict(zip(header, row))["问题数"] == 6 and dict(zip(header, row))["提示类事项"] == len(info)
    assert "问题共6个" in wb["汇总"]["A2"].value
    (eml,) = [p for p in (out / "mail").iterdir() if F_UNIT in p.name]
    body = email.message_from_bytes(eml.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
    assert "本次检查共发现问题6个" in body and "“临川市乙局网站”得分59分，不合格" in body
    docx = docx_text(notice_paths(out)[0])
    assert f"| {F_NAME} | {F_UNIT} | 59 | 不合格 | — | 6 |" in docx
