"""Unit names as file names (issue 9, item 4): distinct per unit, at most 255 bytes, and a clash
caught before any mail is sent. The end-to-end case runs a real inspect against a loopback
site and a real SMTP server (aiosmtpd)."""
from __future__ import annotations

import io
import sys
import threading

import openpyxl
import pytest
import yaml

from portal import ROOT, TEST_CRAWL, run_cli
from test_inspect import Mailbox, smtp_server

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth_site import make_server  # noqa: E402

LONG_UNIT = "临川市" + "某" * 118 + "办公室"  # 124 characters, 372 bytes


def test_unit_file_names_are_distinct_and_short():
    from govaudit.reports.rectification import unit_file_names

    units = ["A/B局", "A_B局", "A:B局", LONG_UNIT, LONG_UNIT + "二", "临川市教育局"]
    names = unit_file_names(units, "-2026年11月网站问题整改清单.xlsx")
    assert len(set(names.values())) == len(units)
    assert all(len(n.encode("utf-8")) <= 255 for n in names.values())
    assert names["临川市教育局"] == "临川市教育局-2026年11月网站问题整改清单.xlsx"  # plain names stay as they were
    assert all("/" not in n for n in names.values())


def test_mailer_refuses_two_units_with_one_workbook(tmp_path):
    from govaudit.reports.mailer import check_attachments

    p = tmp_path / "x.xlsx"
    p.write_bytes(b"x")
    with pytest.raises(ValueError, match="文件名冲突"):
        check_attachments({"A/B局": p, "A_B局": tmp_path / "." / "x.xlsx"})


def test_inspect_gives_each_unit_its_own_list(tmp_path):
    srv = make_server(20)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{srv.server_address[1]}/"
    box = Mailbox()
    smtp = smtp_server(box)
    units = {"A/B局": "ab-slash@a.gov.cn", "A_B局": "ab-under@a.gov.cn", LONG_UNIT: "long@a.gov.cn"}
    try:
        cfg = {"notice": {"issuer": "临川市人民政府办公室"},
               "smtp": {"host": "127.0.0.1", "port": smtp.port, "security": "none", "sender": "wzjc@a.gov.cn",
                        "timeout": 5, "retries": 0, "retry_delay": 0},
               "inspect": {"store": str(tmp_path / "g.sqlite")}, "crawl": TEST_CRAWL,
               "sites": [{"id": f"site{i}", "name": f"网站{i}", "url": url, "unit": unit, "contacts": [addr]}
                         for i, (unit, addr) in enumerate(units.items())]}
        path = tmp_path / "sites.yaml"
        path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
        proc = run_cli("inspect", "--config", str(path), "--month", "2026-11", "--as-of", "2026-11-21",
                       "--out", str(tmp_path / "out"), "--send")
        assert proc.returncode == 0, proc.stderr
        lists = list((tmp_path / "out" / "整改清单").glob("*.xlsx"))
        assert len(lists) == 3
        got = {}
        for rcpts, _, msg in box.messages:
            (part,) = [p for p in msg.iter_attachments()]
            wb = openpyxl.load_workbook(io.BytesIO(part.get_content()))
            text = "".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value)
            got[rcpts[0]] = text
        assert set(got) == set(units.values())
        for unit, addr in units.items():
            assert unit in got[addr], f"{addr} must receive {unit}'s own list"
        other = {"ab-slash@a.gov.cn": "A_B局", "ab-under@a.gov.cn": "A/B局"}
        for addr, foreign in other.items():
            assert foreign not in got[addr]
    finally:
        smtp.stop()
        srv.shutdown()
