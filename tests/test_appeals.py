"""核减 over a seeded store: the trail is append-only and survives month reruns, an accepted
appeal covers the finding only while its page is unchanged, and a later rejection ends it."""
from __future__ import annotations

import json

import pytest

from test_inspect import _seed_run

COLUMN = "http://x.example/tzgg/"
STALE = {"check": "stale_column", "url": COLUMN, "severity": "high", "detail": "栏目“通知公告”未更新",
         "found_on": [COLUMN], "data": {"window_days": 183}}


def _page(db, run_id: int, items: list[tuple[str, str]]) -> None:
    from govaudit import store

    facts = {"listing": {"items": [{"title": t, "url": COLUMN + f"{i}.html", "date": d} for i, (t, d) in enumerate(items)]},
             "sha1": str(hash(tuple(items)))}
    store.write_rows(db, "pages", [{"run_id": run_id, "url": COLUMN, "final_url": COLUMN, "title": "通知公告", "depth": 1,
                                    "is_home": 0, "kind": "list", "meta": "{}", "facts": json.dumps(facts, ensure_ascii=False)}])


@pytest.fixture
def db(tmp_path):
    from govaudit import store

    return store.open_db(tmp_path / "a.sqlite")


def test_accepted_appeal_covers_the_finding_until_the_page_changes(db):
    from govaudit import appeals, history

    old = [("关于开学的公告", "2026-03-01")]
    nov = _seed_run(db, "甲", "2026-11", [STALE])
    _page(db, nov, old)
    f = history.run_problems(db, nov)[0]
    f["run_id"] = nov
    appeals.file(db, f, month="2026-11", reason="历史栏目", source="文件 a.xlsx 第 3 行")
    fid = next(iter(db.query("SELECT id FROM findings WHERE run_id = ?", [nov])))["id"]
    ev = appeals.decide(db, str(fid), appeals.ACCEPTED, reason="经核实为历史栏目", actor="张三")
    assert ev["fingerprint"] and ev["actor"] == "张三" and ev["month"] == "2026-11"

    dec = _seed_run(db, "甲", "2026-12", [STALE])
    _page(db, dec, old)
    h = history.History(db)
    sm = h.site_month("甲", "2026-12")
    assert sm.problems == [] and [g["url"] for g in sm.appealed] == [COLUMN] and sm.fixed == []

    jan = _seed_run(db, "甲", "2027-01", [STALE])
    _page(db, jan, old + [("新发的公告", "2026-06-01")])  # the page changed: the appeal no longer covers it
    sm = history.History(db).site_month("甲", "2027-01")
    assert [g["url"] for g in sm.problems] == [COLUMN] and sm.appealed == []

    # A later rejection ends the acceptance; every step stays on record.
    appeals.decide(db, str(fid), appeals.REJECTED, reason="复查后认为应更新", actor="李四")
    assert history.History(db).site_month("甲", "2026-12").appealed == []
    assert [e["event"] for e in appeals.events(db)] == ["filed", "accepted", "rejected"]


def test_the_trail_survives_a_month_rerun(db):
    from govaudit import appeals, store

    nov = _seed_run(db, "甲", "2026-11", [STALE])
    _page(db, nov, [("关于开学的公告", "2026-03-01")])
    fid = next(iter(db.query("SELECT id FROM findings WHERE run_id = ?", [nov])))["id"]
    appeals.decide(db, str(fid), appeals.ACCEPTED, reason="历史栏目", actor="张三")
    store.delete_run(db, nov)  # what a rerun of the month does to the old run
    assert [e["event"] for e in appeals.events(db)] == ["accepted"]


def test_unknown_finding_and_missing_reason_are_refused(db):
    from govaudit import appeals

    _seed_run(db, "甲", "2026-11", [STALE])
    with pytest.raises(ValueError, match="没有编号或标识"):
        appeals.decide(db, "99999", appeals.ACCEPTED, reason="x")
    with pytest.raises(ValueError, match="--reason"):
        appeals.decide(db, f"stale_column|{COLUMN}", appeals.ACCEPTED, reason=" ")
