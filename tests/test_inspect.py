"""The monthly inspection end to end: real HTTP portals, real SMTP (aiosmtpd), two months.

Month 1 inspects three sites of two units (the demo portal, a small education-bureau portal,
and an exam-authority site that is down); then the served pages are fixed and broken and
month 2 must say exactly which problems were fixed (已整改), are still open (未整改) and are
new (新增). `govaudit inspect` runs as a subprocess: the crawl reactor cannot restart.
"""
from __future__ import annotations

import email
import io
import json
import shutil
import socket
import sqlite3
import threading
from collections import Counter
from datetime import date, datetime
from email import policy
from pathlib import Path

import openpyxl
import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from docx import Document

from demo.server import PortalServer, serve_pair
from portal import DEMO, ROOT, TEST_CRAWL, run_cli

FIXTURES = ROOT / "tests" / "fixtures"
ISSUER = "临川市人民政府办公室"
SENDER = "wzjc@linchuan.gov.cn"
SMTP_USER, SMTP_PASSWORD = "wzjc", "Pa55-w0rd-never-written"
A_NAME, B_NAME, C_NAME = "临川市人民政府门户网站", "临川市教育局网站", "临川市教育考试院网站"
A_UNIT, B_UNIT = "临川市人民政府办公室", "临川市教育局"


# --------------------------------------------------------------------------- helpers

def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Mailbox:
    """An aiosmtpd handler that keeps messages and can refuse recipients (550) or defer them (451)."""

    def __init__(self, reject: set[str] = frozenset(), defer_once: set[str] = frozenset()) -> None:
        self.reject, self.defer_once = set(reject), set(defer_once)
        self.messages: list[tuple[list[str], str, email.message.EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 Mailbox unavailable"
        if address in self.defer_once:
            self.defer_once.discard(address)
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.mail_from, msg))
        return "250 Message accepted for delivery"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == SMTP_USER.encode() and \
        auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok)


def smtp_server(box: Mailbox, auth: bool = False) -> Controller:
    kwargs = {"authenticator": authenticator, "auth_require_tls": False} if auth else {}
    ctl = Controller(box, hostname="127.0.0.1", port=free_port(), **kwargs)
    ctl.start()
    return ctl


def write_sites(path: Path, sites: list[dict], smtp_port: int, store: Path) -> Path:
    cfg = {
        "notice": {"issuer": ISSUER, "number": "临政办函〔2026〕{seq}号", "deadline_days": 10,
                   "holidays": ["2026-10-01"], "contact": "政务公开科，0794-0000000"},
        "smtp": {"host": "127.0.0.1", "port": smtp_port, "security": "none", "sender": SENDER,
                 "timeout": 10, "retries": 1, "retry_delay": 0.1},
        "inspect": {"store": str(store), "concurrent_sites": 3},
        # The month scenario predates 搜索功能 (its sites have no search box): not tried, so no search finding.
        "crawl": {**TEST_CRAWL, "search": False},
        "sites": sites,
    }
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def inspect(cfg: Path, month: str, as_of: str, out: Path, *args: str, env: dict | None = None):
    proc = run_cli("inspect", "--config", str(cfg), "--month", month, "--as-of", as_of, "--out", str(out), *args,
                   env=env, timeout=180)
    return proc


def workbook_rows(data: bytes | Path) -> dict[str, list[dict]]:
    """Every sheet of a 整改清单 as dict rows (the summary sheet's table starts on row 3)."""
    wb = openpyxl.load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    out = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if ws.title == "汇总":
            rows = rows[2:]
        header = rows[0]
        out[ws.title] = [dict(zip(header, r)) for r in rows[1:] if any(v is not None for v in r)]
    return out


def problem_rows(sheets: dict[str, list[dict]]) -> list[dict]:
    return [r for name, rows in sheets.items() if name not in ("汇总", "上次问题整改情况", "评分表", "可用性监测") for r in rows]


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text.replace("\n", "") for p in doc.paragraphs]  # a title broken over two lines reads whole
    for t in doc.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def site_findings(out: Path, site: str) -> set[tuple]:
    """A site's problems (not `info`) from its report, as identities (check, url, rule)."""
    path = out / "网站检查报告" / site / "findings.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {(f["check"], f["url"], (f.get("data") or {}).get("rule")) for f in rows if f["severity"] != "info"}


def attachment(msg) -> tuple[str, bytes]:
    part = next(msg.iter_attachments())
    return part.get_filename(), part.get_content()


# --------------------------------------------------------------------------- fixture edits

EDU_DETAIL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_临川市教育局网站</title>
<meta name="ColumnName" content="{column}"><meta name="PubDate" content="{date} 09:00"></head><body>
<div class="position">您的位置：<a href="/">首页</a> &gt; <a href="/{dir}/">{column}</a></div>
<div class="article"><h1>{title}</h1><p class="info">发布时间：{date}　来源：临川市教育局</p>
<div class="content"><p>{body}</p><p>{body}</p></div></div></body></html>
"""
BODY = ("为进一步做好全市教育系统各项工作，市教育局近日召开专题会议，对当前和今后一个时期的重点任务进行研究部署，"
        "要求各地各校压实工作责任，细化工作举措，确保各项工作落到实处、取得实效，切实保障广大师生的合法权益。")


def fix_and_break_edu(root: Path) -> None:
    """Month 2 on the education portal: home updated, a blank column filled, a dead link
    repaired; a new dead link added. /tzgg/ and /files/plan.pdf stay broken; /jydt/ goes stale."""
    home = root / "index.html"
    text = home.read_text(encoding="utf-8")
    text = text.replace("<!-- NEW-ITEMS -->", '<li><a href="/jydt/202611/t20261118_104.html">全市教育系统召开冬季安全工作会议</a>'
                                              '<span class="date">2026-11-18</span></li>')
    text = text.replace('<li><a href="/zsks/">中考、高考招生信息</a></li>',
                        '<li><a href="/zsks/">中考、高考招生信息</a></li>\n<li><a href="/xxgk/zn.html">政府信息公开指南</a></li>')
    home.write_text(text, encoding="utf-8")
    page = root / "jydt/202611/t20261118_104.html"
    page.parent.mkdir(parents=True)
    page.write_text(EDU_DETAIL.format(title="全市教育系统召开冬季安全工作会议", column="教育动态", dir="jydt",
                                      date="2026-11-18", body=BODY), encoding="utf-8")
    (root / "about.html").write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>机构概况_临川市教育局网站</title>'
                                     f'</head><body><h1>机构概况</h1><p>{BODY}</p></body></html>', encoding="utf-8")
    zsks = root / "zsks/index.html"
    zsks.write_text(zsks.read_text(encoding="utf-8").replace(
        '<p class="empty">暂无信息</p>',
        '<ul class="news-list"><li><a href="/zsks/202611/t20261110_401.html">2027年普通高校招生考试报名须知</a>'
        '<span class="date">2026-11-10</span></li></ul>'), encoding="utf-8")
    page = root / "zsks/202611/t20261110_401.html"
    page.parent.mkdir(parents=True)
    page.write_text(EDU_DETAIL.format(title="2027年普通高校招生考试报名须知", column="招生考试", dir="zsks",
                                      date="2026-11-10", body=BODY), encoding="utf-8")


def exam_site(root: Path) -> Path:
    """The exam authority's site once it is back: a fresh home page and nothing wrong."""
    root.mkdir()
    items = [("ksdt/202611/t20261120_1.html", "2026年下半年高等教育自学考试顺利举行", "2026-11-20"),
             ("ksdt/202611/t20261112_2.html", "关于2027年全国硕士研究生招生考试网上确认的公告", "2026-11-12")]
    rows = "\n".join(f'<li><a href="/{u}">{t}</a><span class="date">{d}</span></li>' for u, t, d in items)
    (root / "index.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>临川市教育考试院</title></head><body>'
        f'<div class="main"><h3>考试动态</h3><ul class="news-list">\n{rows}\n</ul></div>'
        '<div class="footer"><p>网站标识码：3610000102　赣ICP备12000102号　赣公网安备36100002000102号</p>'
        '<p><span id="_ideConac"></span><span id="_span_jiucuo"></span></p></div></body></html>', encoding="utf-8")
    for u, t, d in items:
        p = root / u
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(EDU_DETAIL.format(title=t, column="考试动态", dir="ksdt", date=d, body=BODY), encoding="utf-8")
    (root / "ksdt" / "index.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>考试动态_临川市教育考试院</title>'
        '<meta name="ColumnName" content="考试动态"></head><body><div class="position">您的位置：<a href="/">首页</a> &gt; '
        f'<a href="/ksdt/">考试动态</a></div><div class="list"><ul class="news-list">\n{rows}\n</ul></div></body></html>',
        encoding="utf-8")
    return root


# --------------------------------------------------------------------------- the two months

def test_two_months_notice_lists_mail_and_what_got_fixed(tmp_path):
    a_root, b_root = tmp_path / "a", tmp_path / "b"
    shutil.copytree(DEMO / "portal", a_root)
    shutil.copytree(FIXTURES / "edu_portal", b_root)
    a, ext = serve_pair(a_root, DEMO / "external")
    b = PortalServer(b_root).start()
    c_port = free_port()  # the exam site is down in month 1: nothing listens here
    c_url = f"http://127.0.0.1:{c_port}/"
    box = Mailbox()
    smtp = smtp_server(box, auth=True)
    env = {"GOVAUDIT_SMTP_USER": SMTP_USER, "GOVAUDIT_SMTP_PASSWORD": SMTP_PASSWORD}
    store = tmp_path / "store.sqlite"
    cfg = write_sites(tmp_path / "sites.yaml", [
        {"name": A_NAME, "url": a.base_url + "/", "unit": A_UNIT, "contacts": ["bgs@linchuan.gov.cn"]},
        {"name": B_NAME, "url": b.base_url + "/", "unit": B_UNIT, "contacts": ["jyj@linchuan.gov.cn"],
         "columns": {"/xyfc/": "exclude"}},
        {"name": C_NAME, "url": c_url, "unit": B_UNIT, "contacts": ["ksy@linchuan.gov.cn"]},
    ], smtp.port, store)
    c = None
    try:
        # ---------------------------------------------------------------- month 1
        out1 = tmp_path / "out-2026-10"
        p1 = inspect(cfg, "2026-10", "2026-10-21", out1, "--send", "--seq", "12", env=env)
        assert p1.returncode == 0, p1.stderr[-3000:]
        a1 = site_findings(out1, A_NAME)
        b1 = site_findings(out1, B_NAME)
        b_base = b.base_url
        assert b1 == {("stale_homepage", b_base + "/", None), ("stale_column", b_base + "/tzgg/", None),
                      ("blank_column", b_base + "/zsks/", None), ("dead_link", b_base + "/about.html", None),
                      ("dead_link", b_base + "/files/plan.pdf", None)}  # /xyfc/ excluded by the site's columns rule
        assert site_findings(out1, C_NAME) == {("site_unreachable", c_url, None)}
        banner = a.base_url + "/images/banner_missing.jpg"
        assert ("dead_link", banner, None) in a1 and ("dead_link", a.base_url + "/about.html", None) not in a1

        summary1 = json.loads((out1 / "inspect.json").read_text(encoding="utf-8"))
        a_veto = any(chk in ("stale_homepage", "column_veto") for chk, _, _ in a1)
        assert summary1["sites_checked"] == 3
        assert summary1["veto_count"] == 2 + a_veto
        assert summary1["total"] == len(a1) + 5 + 1 == summary1["new"]
        assert summary1["deadline"] == "2026-11-04"  # 10 working days after Wed 21 Oct 2026

        title1 = "关于2026年10月全市政府网站检查情况的通报"
        text1 = docx_text(out1 / f"{title1}.docx")
        assert title1 in text1 and "临政办函〔2026〕12号" in text1
        assert f"本次共检查政府网站3个（涉及2个单位），其中{2 + a_veto}个网站存在单项否决问题" in text1
        assert f"共发现问题{len(a1) + 6}个" in text1
        assert "临川市教育局“临川市教育局网站”：首页不更新" in text1
        assert "临川市教育局“临川市教育考试院网站”：站点无法访问" in text1
        assert "临川市教育局“临川市教育局网站”的“通知公告”栏目" in text1
        assert "于2026年11月4日前" in text1
        html1 = (out1 / f"{title1}.html").read_text(encoding="utf-8")
        assert '<img src="data:image/png;base64,' in html1 and "于<strong>2026年11月4日</strong>前" in html1
        assert (out1 / "2026年10月检查情况统计图.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

        # One message per unit, to the unit's contacts, with its list attached.
        assert len(box.messages) == 2
        by_unit = {m["Subject"]: (rcpts, frm, m) for rcpts, frm, m in box.messages}
        rcpts, frm, msg = by_unit[f"2026年10月政府网站检查问题整改清单（{B_UNIT}）"]
        assert sorted(rcpts) == ["jyj@linchuan.gov.cn", "ksy@linchuan.gov.cn"] and frm == SENDER
        body = msg.get_body(("plain",)).get_content()
        assert body.startswith(f"{B_UNIT}：") and "本次检查共发现问题6个，其中新增6个" in body
        assert "请于2026年11月4日前完成整改" in body
        name, data = attachment(msg)
        assert name == f"{B_UNIT}-2026年10月网站问题整改清单.xlsx"
        sheets = workbook_rows(data)
        rows = problem_rows(sheets)
        assert Counter((r["网站名称"], r["问题类型"], r["链接地址"], r["状态"]) for r in rows) == Counter({
            (B_NAME, "首页不更新", b_base + "/", "新增"): 1, (B_NAME, "栏目不更新", b_base + "/tzgg/", "新增"): 1,
            (B_NAME, "空白栏目", b_base + "/zsks/", "新增"): 1, (B_NAME, "链接不可用", b_base + "/about.html", "新增"): 1,
            (B_NAME, "链接不可用", b_base + "/files/plan.pdf", "新增"): 1, (C_NAME, "站点无法访问", c_url, "新增"): 1})
        assert list(rows[0]) == ["序号", "网站名称", "责任单位", "问题类型", "问题描述", "问题页面/栏目", "链接地址", "错误返回码",
                                 "发现时间", "首次发现", "状态", "持续月数", "整改时限", "责任人", "完成时限", "整改情况"]
        assert all(r["整改时限"] == datetime(2026, 11, 4) and r["整改情况"] is None and r["发现时间"] == datetime(2026, 10, 21)
                   for r in rows)  # date cells, not text
        wb = openpyxl.load_workbook(io.BytesIO(data))
        ws = wb["链接不可用"]
        assert ws.freeze_panes == "A2" and ws["G2"].hyperlink is not None and ws.column_dimensions["E"].width >= 30
        rcpts, _, msg = by_unit[f"2026年10月政府网站检查问题整改清单（{A_UNIT}）"]
        assert rcpts == ["bgs@linchuan.gov.cn"]
        assert len(problem_rows(workbook_rows(attachment(msg)[1]))) == len(a1)

        # ---------------------------------------------------------------- month 2
        (a_root / "images" / "banner_missing.jpg").write_bytes((a_root / "images" / "banner.jpg").read_bytes())
        (a_root / "about.html").unlink()
        fix_and_break_edu(b_root)
        c = PortalServer(exam_site(tmp_path / "c"), port=c_port).start()
        box.messages.clear()
        out2 = tmp_path / "out-2026-11"
        p2 = inspect(cfg, "2026-11", "2026-11-21", out2, "--send", env=env)
        assert p2.returncode == 0, p2.stderr[-3000:]
        a2 = site_findings(out2, A_NAME)
        assert ("dead_link", banner, None) not in a2 and ("dead_link", a.base_url + "/about.html", None) in a2
        assert site_findings(out2, C_NAME) == set()

        b_expect = {  # (type, url) -> status, exactly
            ("栏目不更新", b_base + "/tzgg/"): "未整改", ("链接不可用", b_base + "/files/plan.pdf"): "未整改",
            ("栏目不更新", b_base + "/jydt/"): "新增", ("链接不可用", b_base + "/xxgk/zn.html"): "新增",
        }
        b_fixed = {("首页不更新", b_base + "/"), ("空白栏目", b_base + "/zsks/"), ("链接不可用", b_base + "/about.html"),
                   ("站点无法访问", c_url)}
        assert len(box.messages) == 2
        by_unit = {m["Subject"]: (rcpts, m) for rcpts, _, m in box.messages}
        _, msg = by_unit[f"2026年11月政府网站检查问题整改清单（{B_UNIT}）"]
        sheets = workbook_rows(attachment(msg)[1])
        rows = problem_rows(sheets)
        assert {(r["问题类型"], r["链接地址"]): r["状态"] for r in rows} == b_expect and len(rows) == 4
        assert {(r["问题类型"], r["链接地址"]) for r in sheets["上次问题整改情况"] if r["状态"] == "已整改"} == b_fixed
        assert len(sheets["上次问题整改情况"]) == 4
        still = [r for r in rows if r["状态"] == "未整改"]
        assert all(r["持续月数"] == 2 and r["首次发现"] == datetime(2026, 10, 21) and r["发现时间"] == datetime(2026, 11, 21)
                   for r in still)
        assert all(r["持续月数"] == 1 and r["首次发现"] == datetime(2026, 11, 21) for r in rows if r["状态"] == "新增")
        assert "上次检查发现仍未整改2个" in msg.get_body(("plain",)).get_content()

        # The demo portal's list says exactly what changed between its two reports.
        a_new, a_open, a_fixed = a2 - a1, a2 & a1, a1 - a2
        _, msg = by_unit[f"2026年11月政府网站检查问题整改清单（{A_UNIT}）"]
        sheets = workbook_rows(attachment(msg)[1])
        status = Counter(r["状态"] for r in problem_rows(sheets))
        assert status == +Counter({"新增": len(a_new), "未整改": len(a_open)})
        fixed_urls = {r["链接地址"] for r in sheets.get("上次问题整改情况", []) if r["状态"] == "已整改"}
        assert fixed_urls == {url for _, url, _ in a_fixed} and banner in fixed_urls
        assert any(r["链接地址"] == a.base_url + "/about.html" and r["状态"] == "新增" for r in problem_rows(sheets))

        # The notice's figures: last month's problems, fixed, still open, new.
        summary2 = json.loads((out2 / "inspect.json").read_text(encoding="utf-8"))
        fixed_n, open_n, new_n = len(a_fixed) + 4, len(a_open) + 2, len(a_new) + 2
        assert (summary2["fixed"], summary2["open"], summary2["new"]) == (fixed_n, open_n, new_n)
        assert summary2["baseline_total"] == len(a1) + 6 == fixed_n + open_n
        text2 = docx_text(out2 / "关于2026年11月全市政府网站检查情况的通报.docx")
        assert (f"上次检查（2026年10月）发现的{len(a1) + 6}个问题中，已整改{fixed_n}个，仍未整改{open_n}个；"
                f"本月新发现问题{new_n}个") in text2
        assert "临政办函〔2026〕　　号" in text2  # no --seq: the number is left to fill in
        assert "上次检查发现但仍未整改的问题" in text2
        ranking = {r["name"]: r for r in summary2["ranking"]}
        assert (ranking[B_NAME]["new"], ranking[B_NAME]["open"], ranking[B_NAME]["fixed"]) == (2, 2, 3)
        assert (ranking[C_NAME]["total"], ranking[C_NAME]["fixed"], ranking[C_NAME]["veto"]) == (0, 1, False)
        assert [t["month"] for t in summary2["trend"]] == ["2026-10", "2026-11"]

        # The store keeps first and last seen; `govaudit history` shows the months.
        db = sqlite3.connect(store)
        hist = {(r[0], r[1]): r[2:] for r in db.execute(
            "SELECT [check], url, first_seen, last_seen, status, fixed_month FROM finding_history WHERE site = ?", [B_NAME])}
        assert hist[("dead_link", b_base + "/files/plan.pdf")] == ("2026-10-21", "2026-11-21", "open", None)
        assert hist[("dead_link", b_base + "/about.html")] == ("2026-10-21", "2026-10-21", "fixed", "2026-11")
        assert hist[("stale_column", b_base + "/jydt/")] == ("2026-11-21", "2026-11-21", "open", None)
        proc = run_cli("history", B_NAME, "--config", str(cfg))
        assert proc.returncode == 0, proc.stderr
        lines = proc.stdout.splitlines()
        assert any(line.startswith("2026-10\t2026-10-21\t5\t5\t0\t0\t0\t是") for line in lines), proc.stdout
        assert any(line.startswith("2026-11\t2026-11-21\t4\t2\t2\t3\t0\t否") for line in lines), proc.stdout
        assert "当前未整改问题 4 个" in proc.stdout

        # Rerunning a month replaces it: one run per site and month, nothing mailed twice.
        box.messages.clear()
        p3 = inspect(cfg, "2026-11", "2026-11-21", out2, "--send", "--only", B_NAME, env=env)
        assert p3.returncode == 0, p3.stderr[-3000:]
        assert box.messages == [] and "此前已送达" in p3.stderr
        runs = Counter((r[0], r[1]) for r in db.execute("SELECT site, month FROM runs"))
        assert set(runs.values()) == {1} and len(runs) == 6
        rerun = json.loads((out2 / "inspect.json").read_text(encoding="utf-8"))
        assert (rerun["sites_checked"], rerun["fixed"], rerun["open"], rerun["new"]) == (3, fixed_n, open_n, new_n)
        sent = db.execute("SELECT month, unit, recipient, status FROM deliveries ORDER BY month, recipient").fetchall()
        assert len(sent) == 6 and {s[3] for s in sent} == {"sent"}
        db.close()

        # The SMTP credentials are nowhere: not in the store, the documents, the mails or the output.
        for proc in (p1, p2, p3):
            assert SMTP_PASSWORD not in proc.stdout + proc.stderr
        for path in tmp_path.rglob("*"):
            if path.is_file():
                assert SMTP_PASSWORD.encode() not in path.read_bytes(), path
    finally:
        smtp.stop()
        for server in (a, ext, b, c):
            if server is not None:
                server.shutdown()


def test_failed_delivery_is_reported_and_only_the_missing_mail_is_resent(tmp_path):
    roots = [tmp_path / "edu", tmp_path / "health"]
    for r in roots:
        shutil.copytree(FIXTURES / "edu_portal", r)
    servers = [PortalServer(r).start() for r in roots]
    box = Mailbox(reject={"bad@linchuan.gov.cn"}, defer_once={"busy@linchuan.gov.cn"})
    smtp = smtp_server(box)
    cfg = write_sites(tmp_path / "sites.yaml", [
        {"name": B_NAME, "url": servers[0].base_url + "/", "unit": B_UNIT,
         "contacts": ["jyj@linchuan.gov.cn", "bad@linchuan.gov.cn"]},
        {"name": "临川市卫生健康委员会网站", "url": servers[1].base_url + "/", "unit": "临川市卫生健康委员会",
         "contacts": ["wjw@linchuan.gov.cn", "busy@linchuan.gov.cn"]},
    ], smtp.port, tmp_path / "store.sqlite")
    out = tmp_path / "out"
    try:
        # Dry run: the messages are written as .eml files, nothing is sent or recorded.
        p = inspect(cfg, "2026-11", "2026-11-21", out)
        assert p.returncode == 0, p.stderr[-3000:]
        emls = sorted((out / "mail").glob("*.eml"))
        assert [e.name for e in emls] == ["临川市卫生健康委员会.eml", "临川市教育局.eml"]
        msg = email.message_from_bytes(emls[1].read_bytes(), policy=policy.default)
        assert msg["To"] == "jyj@linchuan.gov.cn, bad@linchuan.gov.cn"
        assert msg["Subject"] == f"2026年11月政府网站检查问题整改清单（{B_UNIT}）"
        assert len(problem_rows(workbook_rows(attachment(msg)[1]))) == 7
        assert box.messages == []

        # A refused recipient (550) fails and is reported; a deferred one (451) is retried at once.
        p = inspect(cfg, "2026-11", "2026-11-21", out, "--no-crawl", "--send")
        assert p.returncode == 4, p.stderr[-3000:]
        assert "发送失败：临川市教育局 → bad@linchuan.gov.cn：SMTP 550" in p.stderr
        assert sorted(r for rcpts, _, _ in box.messages for r in rcpts) == [
            "busy@linchuan.gov.cn", "jyj@linchuan.gov.cn", "wjw@linchuan.gov.cn"]
        db = sqlite3.connect(tmp_path / "store.sqlite")
        state = {r[0]: r[1:] for r in db.execute("SELECT recipient, status, attempts FROM deliveries")}
        assert state == {"jyj@linchuan.gov.cn": ("sent", 1), "bad@linchuan.gov.cn": ("failed", 1),
                         "wjw@linchuan.gov.cn": ("sent", 1), "busy@linchuan.gov.cn": ("sent", 2)}

        # Once the mailbox exists, a rerun sends only the missing message; then nothing at all.
        box.reject.clear()
        box.messages.clear()
        p = inspect(cfg, "2026-11", "2026-11-21", out, "--no-crawl", "--send")
        assert p.returncode == 0, p.stderr[-3000:]
        assert [rcpts for rcpts, _, _ in box.messages] == [["bad@linchuan.gov.cn"]]
        _, _, msg = box.messages[0]
        assert msg["Subject"] == f"2026年11月政府网站检查问题整改清单（{B_UNIT}）"
        assert len(problem_rows(workbook_rows(attachment(msg)[1]))) == 7
        assert db.execute("SELECT status, attempts FROM deliveries WHERE recipient = 'bad@linchuan.gov.cn'").fetchone() == ("sent", 2)
        box.messages.clear()
        p = inspect(cfg, "2026-11", "2026-11-21", out, "--no-crawl", "--send")
        assert p.returncode == 0 and box.messages == []
        db.close()
    finally:
        smtp.stop()
        for s in servers:
            s.shutdown()


# --------------------------------------------------------------------------- units, no crawl

def test_sites_config_errors_name_the_key_and_line(tmp_path):
    from govaudit.config import ConfigError
    from govaudit.config.sites import load_sites

    def error(text: str) -> str:
        path = tmp_path / "s.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as exc:
            load_sites(path)
        return str(exc.value)

    ok_site = "sites:\n  - name: 甲\n    url: https://a.example.gov.cn/\n    unit: 甲单位\n"
    msg = error("notice:\n  issuer: 办公室\nsmtp:\n  host: smtp.example.gov.cn\n  sender: a@example.gov.cn\n"
                "  security: tls\n" + ok_site)
    assert "第 6 行" in msg and "smtp.security" in msg and "ssl、starttls 或 none" in msg
    msg = error("notice:\n  issuer: 办公室\nsmtp:\n  host: h\n  sender: a@example.gov.cn\n  password: x\n" + ok_site)
    assert "第 6 行" in msg and "smtp.password" in msg and "GOVAUDIT_SMTP_PASSWORD" in msg
    msg = error("notice:\n  issuer: 办公室\nsites:\n  - name: 甲\n    url: ftp://a/\n    unit: 甲单位\n")
    assert "第 5 行" in msg and "sites[1].url" in msg
    msg = error("notice:\n  issuer: 办公室\n" + ok_site + "    contacts: [not-an-address]\n")
    assert "第 7 行" in msg and "sites[1].contacts[1]" in msg
    msg = error("notice:\n  issuer: 办公室\n" + ok_site + "    columns: {/zt/: sometimes}\n")
    assert "第 7 行" in msg and "exclude" in msg
    msg = error("notice:\n  issuer: 办公室\n  number: 临政办函〔2026〕{n}号\n" + ok_site)
    assert "第 3 行" in msg and "notice.number" in msg
    msg = error("notice:\n  issuer: 办公室\nsites: []\n")
    assert "第 3 行" in msg and "sites" in msg
    msg = error("notice:\n  issuer: 办公室\n" + ok_site + "  - name: 甲\n    url: https://b.example.gov.cn/\n    unit: 乙\n")
    assert "第 7 行" in msg and "重复" in msg
    assert "mystery" in error("mystery: 1\nnotice:\n  issuer: 办公室\n" + ok_site)


def test_example_config_is_valid_and_documents_every_key():
    from govaudit.config.sites import INSPECT_KEYS, NOTICE_KEYS, SITE_KEYS, SMTP_KEYS, load_sites

    cfg = load_sites(ROOT / "config" / "sites.example.yaml")
    assert cfg.notice["issuer"] and cfg.smtp["security"] == "ssl" and len(cfg.sites) >= 2
    text = (ROOT / "config" / "sites.example.yaml").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for section, keys in (("notice", NOTICE_KEYS), ("smtp", SMTP_KEYS), ("inspect", INSPECT_KEYS), ("sites[]", SITE_KEYS)):
        for key in keys:
            assert f"{key}:" in text, key
            assert f"`{section}.{key}`" in readme, key


def test_working_days_skip_weekends_holidays_and_count_make_up_days():
    from govaudit.workdays import add_working_days

    assert add_working_days(date(2026, 10, 21), 10) == date(2026, 11, 4)
    assert add_working_days(date(2026, 9, 30), 1, holidays=["2026-10-01", "2026-10-02"]) == date(2026, 10, 5)
    assert add_working_days(date(2026, 10, 9), 1, workdays=["2026-10-10"]) == date(2026, 10, 10)


def test_smtp_security_selects_the_smtplib_path(monkeypatch):
    from govaudit.reports import mailer

    calls = []

    class Fake:
        def __init__(self, host, port, timeout=None, context=None):
            calls.append((type(self).__name__, host, port, context is not None))

        def ehlo(self):
            calls.append("ehlo")

        def starttls(self, context=None):
            calls.append(("starttls", context is not None))

        def login(self, user, password):
            calls.append(("login", user))

    class SMTP(Fake):
        pass

    class SMTP_SSL(Fake):  # noqa: N801 — the smtplib name
        pass

    monkeypatch.setattr(mailer.smtplib, "SMTP", SMTP)
    monkeypatch.setattr(mailer.smtplib, "SMTP_SSL", SMTP_SSL)
    mailer.connect({"host": "h", "port": 465, "security": "ssl"}, "u", "p")
    assert calls == [("SMTP_SSL", "h", 465, True), ("login", "u")]
    calls.clear()
    mailer.connect({"host": "h", "port": 587, "security": "starttls"}, None, None)
    assert calls == [("SMTP", "h", 587, False), "ehlo", ("starttls", True), "ehlo"]
    calls.clear()
    mailer.connect({"host": "h", "port": 25, "security": "none"}, None, None)
    assert calls == [("SMTP", "h", 25, False), "ehlo"]


def _seed_run(db, site: str, month: str, findings: list[dict], start_error: str | None = None) -> int:
    from govaudit import store

    run_id = store.create_run(db, site=site, start_url="http://x.example/", host="x.example", as_of=f"{month}-21",
                              month=month, unit="单位", settings={"inspect": month})
    store.finish_run(db, run_id, "complete", {"start_error": start_error} if start_error else {})
    store.replace_findings(db, run_id, [dict(f, site=site) for f in findings])
    return run_id


def test_an_unreachable_month_proves_nothing_fixed(tmp_path):
    from govaudit import history, store

    db = store.open_db(tmp_path / "h.sqlite")
    dead = {"check": "dead_link", "url": "http://x.example/a", "severity": "high", "detail": "404"}
    other = {"check": "dead_link", "url": "http://x.example/b", "severity": "medium", "detail": "404"}
    hint = {"check": "unverifiable_link", "url": "http://x.example/c", "severity": "info", "detail": "403"}
    down = {"check": history.UNREACHABLE, "url": "http://x.example/", "severity": "veto", "detail": "无法访问"}
    _seed_run(db, "甲", "2026-09", [dead, other, hint])
    _seed_run(db, "甲", "2026-10", [down], start_error="连接被拒绝")
    _seed_run(db, "甲", "2026-11", [dead])
    history.rebuild(db, "甲")
    h = history.History(db)
    oct_ = h.site_month("甲", "2026-10")
    assert oct_.veto and [f["status"] for f in oct_.problems] == ["新增"]
    assert oct_.fixed == [] and sorted(f["url"] for f in oct_.unverified) == ["http://x.example/a", "http://x.example/b"]
    nov = h.site_month("甲", "2026-11")
    assert [(f["url"], f["status"], f["months_open"], f["first_seen"]) for f in nov.problems] == [
        ("http://x.example/a", "未整改", 3, "2026-09-21")]
    assert sorted((f["check"], f["status"]) for f in nov.fixed) == [("dead_link", "已整改"), (history.UNREACHABLE, "已整改")]
    rows = {r["url"]: r for r in db.query("SELECT * FROM finding_history")}
    assert rows["http://x.example/b"]["status"] == "fixed" and rows["http://x.example/b"]["fixed_month"] == "2026-11"
    assert "http://x.example/c" not in rows  # hints for manual review are not problems


def test_spreadsheet_neutralises_formulas_from_page_text(tmp_path):
    from govaudit.history import SiteMonth
    from govaudit.reports.rectification import write_unit_list

    evil = {"check": "dead_link", "url": "http://x.example/=1+1", "severity": "high", "status": "新增", "months_open": 1,
            "detail": "=HYPERLINK(\"http://evil.example\",\"点我\")", "found_on": ["http://x.example/"],
            "data": {"anchors": ["@SUM(A1:A9)"], "status": 404}, "first_seen": "2026-11-21", "found_at": "2026-11-21"}
    sm = SiteMonth(name="+网站", unit="单位", url="http://x.example/", run={"as_of": "2026-11-21"},
                   baseline_month=None, problems=[evil])
    data = {"month": "2026-11", "month_cn": "2026年11月", "as_of": "2026-11-21", "deadline": "2026-12-07",
            "deadline_cn": "2026年12月7日", "issuer": "办公室"}
    path = write_unit_list(tmp_path / "l.xlsx", "单位", [sm], data)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
    row = workbook_rows(path)["链接不可用"][0]
    assert row["问题描述"].startswith("'=HYPERLINK") and row["网站名称"] == "'+网站"
