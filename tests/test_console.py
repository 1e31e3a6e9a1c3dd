"""A quiet, Chinese console (issue 17): click's messages name the option in Chinese, a future --as-of
warns, YAML errors are said in Chinese at the right line, an audit prints no Scrapy/Twisted text,
the chart uses the regular CJK face without findfont warnings, and mail attachments carry names
every client reads."""
from __future__ import annotations

import email
import logging
from email import policy
from pathlib import Path

from demo.server import PortalServer
from portal import DEMO, run_cli, write_config


def test_click_messages_are_chinese_and_name_the_option(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    proc = run_cli("audit", "http://127.0.0.1:9/", "--out", str(afile))
    assert proc.returncode == 2 and f"错误：--out 指向的是文件而非目录：{afile}" in proc.stderr
    assert "用法：" in proc.stderr and "Usage" not in proc.stderr and "Error" not in proc.stderr
    proc = run_cli("audit", "http://127.0.0.1:9/", "--as-of", "2026/13/01", "--out", str(tmp_path / "o"))
    assert proc.returncode == 2 and "--as-of 日期格式应为 YYYY-MM-DD，收到“2026/13/01”" in proc.stderr
    proc = run_cli("audit", "http://127.0.0.1:9/", "--concurrency", "abc", "--out", str(tmp_path / "o"))
    assert "--concurrency “abc”不是有效的整数" in proc.stderr
    proc = run_cli("audit", "http://127.0.0.1:9/", "--bogus")
    assert "没有选项 --bogus" in proc.stderr
    proc = run_cli("inspect", "--month", "2026-11")
    assert "缺少选项 --config" in proc.stderr
    assert "显示本帮助并退出" in run_cli("audit", "--help").stdout


def test_yaml_errors_are_chinese_with_the_line(tmp_path):
    bad = tmp_path / "sites.yaml"
    bad.write_text("notice:\n  issuer: 甲\n   number: [\n", encoding="utf-8")
    proc = run_cli("inspect", "--config", str(bad), "--month", "2026-11")
    assert proc.returncode == 2
    assert f"配置文件 {bad} 第 3 行格式错误：此处不能出现“键: 值”" in proc.stderr
    bad.write_text("notice:\n  issuer: \"甲\n", encoding="utf-8")
    assert "第 2 行格式错误：文件意外结束（引号或括号未闭合）" in run_cli("inspect", "--config", str(bad), "--month", "2026-11").stderr
    bad.write_text("notice:\n\tissuer: 甲\n", encoding="utf-8")
    assert "第 2 行格式错误：含有制表符（Tab）" in run_cli("inspect", "--config", str(bad), "--month", "2026-11").stderr


def test_an_audit_prints_no_scrapy_or_twisted_text_and_warns_of_a_future_as_of(tmp_path):
    srv = PortalServer(DEMO / "portal").start()
    try:
        cfg = write_config(tmp_path / "c.yaml", {"check_external": False})
        proc = run_cli("audit", srv.base_url + "/", "--as-of", "2099-01-01", "--out", str(tmp_path / "out"),
                       "--config", str(cfg), "--max-pages", "5")
    finally:
        srv.shutdown()
    err = proc.stderr
    assert "警告：--as-of 2099-01-01 晚于今天" in err
    for noise in ("Warning", "Deprecat", "Traceback", "twisted", "Error:", "setuptools"):
        assert noise not in err, err[-2000:]
    closed = tmp_path / "closed"
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    proc = run_cli("audit", f"http://127.0.0.1:{port}/", "--out", str(closed), "--config", str(cfg))
    assert proc.returncode == 2 and "无法访问：连接被拒绝" in proc.stderr
    assert "ConnectionRefusedError" not in proc.stderr and "Connection was refused" not in proc.stderr


def test_chart_uses_the_regular_cjk_face_without_findfont_warnings(caplog):
    from matplotlib import font_manager

    from govaudit.reports import chart

    family = chart.cjk_font()
    assert family
    with caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert "Bold" not in Path(path).name and "findfont" not in caplog.text


def test_attachment_names_rfc2231_and_encoded_word(tmp_path):
    from govaudit.reports.mailer import Outgoing, build_message

    name = "临川市教育局-2026年11月网站问题整改清单.xlsx"
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04")
    raw = build_message("wzjc@example.gov.cn", "临川市人民政府办公室", Outgoing("u", ["a@b"], "主题", "正文", path),
                        ["a@b"]).as_bytes()
    text = raw.decode("utf-8")
    assert "filename*0*=utf-8''%E4%B8%B4" in text  # RFC 2231
    assert 'filename="=?utf-8?b?' in text and 'name="=?utf-8?b?' in text  # encoded-word fallback
    header = text[text.rindex("Content-Type:"):]
    header = header[:header.index("\n\n")]
    assert header.isascii() and max(len(line) for line in header.splitlines()) <= 78
    modern = email.message_from_bytes(raw, policy=policy.default)
    part = next(modern.iter_attachments())
    assert part.get_filename() == name and part.get_content() == b"PK\x03\x04"
    legacy = email.message_from_bytes(raw)  # compat32, as older tools read it
    from email.header import decode_header, make_header

    attachment = [p for p in legacy.walk() if p.get_content_maintype() == "application"][0]
    assert str(make_header(decode_header(attachment.get_param("name")))) == name


def test_without_as_of_the_deadline_and_signature_run_from_today():
    """Inspecting a past month without --as-of: 基准日 is the month's last day, but the 落款 and the deadline
    are the day the notice is issued (the CLI passes today as notice.issued), so the deadline is never past."""
    from govaudit.history import SiteMonth
    from govaudit.reports import notice, notice_blocks

    sm = SiteMonth(name="甲网站", unit="甲单位", url="http://a.example/",
                   run={"as_of": "2026-10-31", "stats": "{}", "status": "complete"}, baseline_month=None)
    cfg = {"issuer": "临川市人民政府办公室", "deadline_days": 10, "issued": "2026-12-02"}
    d = notice.notice_data([sm], [], cfg, month="2026-10", as_of="2026-10-31", holidays=["2026-10-01"])
    assert d["as_of_cn"] == "2026年10月31日" and d["issued_cn"] == "2026年12月2日"
    assert d["deadline"] == "2026-12-16"  # 10 working days after Wed 2 Dec 2026
    sig = [b for b in notice_blocks.blocks(d) if isinstance(b, notice_blocks.Signature)][0]
    assert sig.lines == ("临川市人民政府办公室", "2026年12月2日")
    d = notice.notice_data([sm], [], dict(cfg, issued=None), month="2026-10", as_of="2026-10-31")
    assert d["issued"] == "2026-10-31"  # --as-of given: everything from it, reproducibly
