"""The store's schema migrates in place, and history follows a site's stable id, not its name."""
from __future__ import annotations

import json
import sqlite3

import sqlite_utils

from govaudit import history, store


def _v1_store(path):
    """A store as govaudit wrote it before migrations were recorded (schema 1), with two months."""
    db = sqlite_utils.Database(sqlite3.connect(str(path), isolation_level=None))
    store._initial(db)
    for run_id, month in ((1, "2026-10"), (2, "2026-11")):
        db["runs"].insert({"id": run_id, "site": "甲网站", "unit": "甲单位", "start_url": "http://a.example:8080/",
                           "host": "a.example", "as_of": f"{month}-21", "month": month, "status": "complete",
                           "settings": json.dumps({"inspect": month}), "stats": "{}"})
    old_key = "甲网站|dead_link|http://a.example:8080/x"
    for run_id in (1, 2):
        db["findings"].insert({"run_id": run_id, "site": "甲网站", "check": "dead_link", "url": "http://a.example:8080/x",
                               "found_on": "[]", "severity": "high", "detail": "404", "data": "{}", "key": old_key})
    db["finding_history"].insert({"identity": old_key, "site": "甲网站", "check": "dead_link", "first_seen": "2026-10-21"})
    db.conn.close()


def test_a_schema_1_store_migrates_and_keeps_its_history(tmp_path):
    path = tmp_path / "old.sqlite"
    _v1_store(path)
    db = store.open_db(path)
    assert [m.name for m in store.MIGRATIONS.applied(db)] == ["001_initial", "002_site_id", "003_attachments"]
    assert {r["site_id"] for r in db.query("SELECT site_id FROM runs")} == {"a.example:8080"}
    assert {r["key"] for r in db.query("SELECT key FROM findings")} == {"dead_link|http://a.example:8080/x"}
    rows = list(db.query("SELECT * FROM finding_history"))
    assert [(r["site_id"], r["site"], r["identity"], r["first_seen"], r["status"]) for r in rows] == [
        ("a.example:8080", "甲网站", "dead_link|http://a.example:8080/x", "2026-10-21", "open")]
    assert db["finding_history"].pks == ["site_id", "identity"]
    db.conn.close()
    # Opening again applies nothing and changes nothing.
    db = store.open_db(path)
    assert len(store.MIGRATIONS.applied(db)) == 3 and not store.MIGRATIONS.pending(db)


def test_renaming_a_site_keeps_its_history(tmp_path):
    db = store.open_db(tmp_path / "h.sqlite")
    dead = {"check": "dead_link", "url": "http://a.example/x", "severity": "high", "detail": "404", "found_on": []}
    for month, name in (("2026-10", "甲网站"), ("2026-11", "甲市人民政府网站")):
        run_id = store.create_run(db, site=name, start_url="http://a.example/", host="a.example", as_of=f"{month}-21",
                                  month=month, settings={"inspect": month}, site_id="jia")
        store.finish_run(db, run_id, "complete", {})
        store.replace_findings(db, run_id, [dict(dead, site=name)])
    assert history.rebuild(db, "甲市人民政府网站") == 1
    nov = history.History(db).site_month("jia", "2026-11")
    assert nov.name == "甲市人民政府网站"
    assert [(f["status"], f["months_open"], f["first_seen"]) for f in nov.problems] == [("未整改", 2, "2026-10-21")]
    assert [r["first_seen"] for r in history.open_problems(db, "甲市人民政府网站")] == ["2026-10-21"]


def test_store_and_history_share_one_identity(tmp_path):
    from govaudit.checks import Finding

    db = store.open_db(tmp_path / "i.sqlite")
    run_id = store.create_run(db, site="甲", start_url="http://a.example/", host="a.example", as_of="2026-11-21",
                              month="2026-11")
    veto = Finding(check="column_veto", url="http://a.example/", severity="veto", data={"rule": "blank_columns"})
    store.replace_findings(db, run_id, [veto])
    row = store.run_findings(db, run_id)[0]
    assert row["key"] == veto.identity == history.identity(row) == "column_veto|http://a.example/#blank_columns"


def test_two_sites_on_one_host_must_name_their_ids(tmp_path):
    from govaudit.config import ConfigError
    from govaudit.config.sites import load_sites

    base = "notice:\n  issuer: 办公室\nsites:\n"
    one = "  - name: 甲\n    url: https://a.example.gov.cn/jia/\n    unit: 甲单位\n"
    two = "  - name: 乙\n    url: https://a.example.gov.cn/yi/\n    unit: 乙单位\n"
    path = tmp_path / "sites.yaml"
    path.write_text(base + one + two, encoding="utf-8")
    try:
        load_sites(path)
    except ConfigError as exc:
        assert "a.example.gov.cn" in str(exc) and "id" in str(exc)
    else:
        raise AssertionError("two sites with one default id were accepted")
    path.write_text(base + one + two + "    id: yi\n", encoding="utf-8")
    assert [s.id for s in load_sites(path).sites] == ["", "yi"]
