"""Policy documents on the demo portal (demo/EXPECTED.md §3–4): validity and interpretations."""
from __future__ import annotations

from test_columns import inventory

DOCS = {
    "D1": "/zwgk/zcwj/202610/t20261028_3125.html",
    "D2": "/zwgk/zcwj/202610/t20261009_3118.html",
    "D3": "/zwgk/zcwj/202609/t20260918_3112.html",
    "D4": "/zwgk/zcwj/202608/t20260820_3106.html",
    "D5": "/zwgk/zcwj/202607/t20260706_3098.html",
    "D6": "/zwgk/zcwj/202603/t20260316_3071.html",
    "D7": "/zwgk/zcwj/202609/t20260930_3115.html",
    "D8": "/zwgk/zcwj/202610/t20261015_3121.html",
    "G1": "/zwgk/gfxwj/202609/t20260905_3211.html",
    "G2": "/zwgk/gfxwj/202607/t20260721_3205.html",
    "G3": "/zwgk/gfxwj/202606/t20260610_3198.html",
    "G4": "/zwgk/gfxwj/202604/t20260402_3180.html",
    "G5": "/zwgk/gfxwj/202305/t20230518_2710.html",
    "G6": "/zwgk/gfxwj/202106/t20210628_2455.html",
    "G7": "/zwgk/gfxwj/202203/t20220315_2580.html",
}
# document -> (interpretation, words the evidence must contain)
MATCHES = {
    "D1": ("/zwgk/zcjd/202610/t20261030_3328.html", "标题"),
    "D2": ("/zwgk/zcjd/202610/t20261023_3325.html", "文件页面"),
    "D3": ("/zwgk/zcjd/202609/t20260921_3320.html", "解读页面链接"),
    "D4": ("/zwgk/zcjd/202608/t20260821_3315.html", "文号"),
    "D5": ("/zwgk/zcjd/202607/t20260707_3308.html", "标题"),
    "D6": ("/zwgk/zcjd/202603/t20260317_3300.html", "标题"),
    "G1": ("/zwgk/zcjd/202609/t20260907_3318.html", "标题"),
    "G2": ("/zwgk/zcjd/202607/t20260722_3311.html", "文件页面"),
    "G4": ("/zwgk/zcjd/202604/t20260403_3302.html", "解读页面链接"),
}


def _docs(audit) -> dict[str, dict]:
    return {d["url"].replace(audit.base, ""): d for d in inventory(audit, "documents")}


def test_exactly_the_policy_documents_are_counted(demo_audit):
    assert set(_docs(demo_audit)) == set(DOCS.values())  # not the 任免 notice, not 统计 pages


def test_every_matching_path_with_its_evidence(demo_audit):
    docs = _docs(demo_audit)
    for key, (interp, evidence) in MATCHES.items():
        d = docs[DOCS[key]]
        assert d["interpretation"] == demo_audit.url(interp), key
        assert evidence in d["evidence"], (key, d["evidence"])
    assert "临府办发〔2026〕25号" in docs[DOCS["D4"]]["evidence"]  # only the 文号 links D4 to its interpretation


def test_missing_interpretation_and_rate(demo_audit):
    missing = {u.replace(demo_audit.base, "") for u in demo_audit.by_check("missing_interpretation")}
    assert missing == {DOCS[k] for k in ("D7", "D8", "G3", "G5", "G6", "G7")}
    (summary,) = inventory(demo_audit, "summary")
    assert summary["interpretation_rate"] == {"required": 15, "interpreted": 9, "rate": 0.6}


def test_validity_findings(demo_audit):
    missing = {u.replace(demo_audit.base, ""): f for u, f in demo_audit.by_check("missing_validity").items()}
    assert set(missing) == {DOCS["G1"], DOCS["G2"], DOCS["G3"]}
    assert missing[DOCS["G1"]]["data"]["validity_status"] == "missing"
    assert missing[DOCS["G2"]]["data"]["validity_status"] == "empty"
    assert missing[DOCS["G3"]]["data"]["validity_status"] == "unknown"
    expired = {u.replace(demo_audit.base, "") for u in demo_audit.by_check("expired_still_valid")}
    assert expired == {DOCS["G6"]}


def test_late_interpretation(demo_audit):
    late = {u.replace(demo_audit.base, ""): f for u, f in demo_audit.by_check("late_interpretation").items()}
    assert set(late) == {DOCS["D2"]}
    assert late[DOCS["D2"]]["data"]["working_days"] == 10
    assert late[DOCS["D2"]]["found_on"] == [demo_audit.url("/zwgk/zcjd/202610/t20261023_3325.html")]


def test_metadata_read_from_three_layouts(demo_audit):
    docs = _docs(demo_audit)
    assert docs[DOCS["D2"]]["doc_number"] == "临府发[2026]12号" and docs[DOCS["D2"]]["validity"] == "现行有效"
    assert docs[DOCS["D8"]]["pub_date"] == "2026-10-15"
    assert docs[DOCS["G2"]]["validity"] == ""
    assert docs[DOCS["G1"]]["validity"] is None
    assert docs[DOCS["G6"]]["valid_until"] == "2026-06-30"
