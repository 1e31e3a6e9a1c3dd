"""A blind fixture portal for the content checks of issue 12 and the 功能设计 items of issue 13
(tests/fixtures/portal7/EXPECTED.md): 青岚县人民政府, a fictional 浙江 county site in 大汉 JCMS / jpage style.

One real audit, served by a real HTTP server (tests/portal7_server.py: query-string pages and a real search)
and audited by the real CLI; every expectation below is a line of EXPECTED.md, written from the rules
(README, domain.md, issues 12/13), not from the checks' code. Precision and recall: nothing extra, nothing missing.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

import portal
from portal7_server import PORTAL7, serve_portal7

# ---------------------------------------------------------------------------------------------- data

HOME = "HOME"  # "/" or "/index.html": the same page

DIBAO = "/art/2026/11/12/art_1231_5515.html"
ATTACHMENTS = ["/attach/0/2611121530123.xlsx", "/attach/0/2611121530124.docx", "/attach/0/2611121530125.csv"]
LEAKED_IDS = ["330199195203140019", "330199195807220028", "330199196701090039", "330199197411260049",
              "330199194910010059", "330199198904180068"]
LEAKED_MOBILES = ["13905710238", "15857102246", "13735812097", "18958016631", "17706528814", "13567190452"]

# target -> (reason, found_on, severity)
DEAD = {
    "/col/col1299/index.html": ("http_404", [HOME], "high"),
    "http://bszs.conac.cn/sitename?method=show&id=5C1F0A3E27B94D60E053012819AC7E11": ("dns", [HOME], "high"),
    "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3301000001&url=http%3A%2F%2Fwww.qinglan.gov.cn%2F":
        ("dns", [HOME], "high"),
    "/art/2026/9/3/art_1229_4401.html": ("http_404", ["/art/2026/11/13/art_1229_5519.html"], "medium"),
    "/picture/0/2611171030002.jpg": ("http_404", ["/art/2026/11/17/art_1229_5527.html"], "medium"),
}

# column url -> (name, type, item_count, newest, verdict)
COLUMNS = {
    "/col/col1229/index.html": ("县政要闻", "dynamic", 6, "2026-11-19", "fresh"),
    "/col/col1230/index.html": ("部门动态", "dynamic", 5, "2026-11-16", "fresh"),
    "/col/col1232/index.html": ("乡镇动态", "dynamic", 3, "2026-10-25", "stale"),
    "/col/col1231/index.html": ("通知公告", "notice", 4, "2026-11-12", "fresh"),
    "/col/col1240/index.html": ("政策文件", "notice", 2, "2026-10-20", "fresh"),
    "/col/col1241/index.html": ("政策解读", "other", 2, "2026-10-21", "fresh"),
    "/col/col1250/index.html": ("概况信息", "other", 2, "2026-03-10", "fresh"),
    "/col/col1251/index.html": ("机构职能", "other", 3, "2026-05-20", "fresh"),
    "/col/col1252/index.html": ("领导信息", "other", 3, "2026-07-15", "fresh"),
}
MAILBOX = "/col/col1260/index.html"  # 县长信箱: a column, interaction type, not judged by date
NOT_COLUMNS = [HOME, "/col/col1290/index.html", "/search"]

# document -> (文号, pub date, validity, interpretation)
DOCS = {
    "/art/2026/10/20/art_1240_4801.html": ("青政办发〔2026〕12号", "2026-10-20", "有效", "/art/2026/10/21/art_1241_4851.html"),
    "/art/2026/6/18/art_1240_4760.html": ("青政发〔2026〕5号", "2026-06-18", "有效", "/art/2026/6/19/art_1241_4761.html"),
}

# hidden link target -> (found_on, severity)
HIDDEN = {
    "{EXT}/ylc/index.html": ([HOME], "veto"),
    "{EXT}/bc/index.html": ([HOME], "veto"),
    "{EXT}/cp/index.html": (["/art/2026/10/15/art_1230_5460.html"], "veto"),
    "{EXT}/seo/a.html": (["/art/2026/11/5/art_1229_5502.html", "/art/2026/10/28/art_1230_5485.html"], "high"),
    "{EXT}/seo/b.html": (["/art/2026/11/5/art_1229_5502.html"], "high"),
}

# page -> (wrong, suggested, in_title)
WRONG = {
    "/art/2026/11/5/art_1229_5502.html": ("国土资源局", "自然资源局", False),
    "/art/2026/11/10/art_1230_5512.html": ("中华人民共合国", "中华人民共和国", True),
    "/art/2026/11/13/art_1229_5519.html": ("中国特色社会主意", "中国特色社会主义", False),
}
WRONG_OPTIONAL = {"/col/col1230/index.html"}  # repeats the mistyped title as list link text
NOT_WRONG = ["/art/2017/6/15/art_1230_1187.html", "/art/2026/11/16/art_1230_5525.html",
             "/art/2026/5/20/art_1251_3102.html", "/art/2026/11/19/art_1229_5531.html",
             "/art/2026/6/18/art_1240_4760.html"]

UNANSWERED = "/jact/front/mailpubdetail.do?sysid=6&objid=1004"
NOT_UNANSWERED = [f"/jact/front/mailpubdetail.do?sysid=6&objid={n}" for n in (1011, 1007, 1003, 1000, 1009, 1002)]

EXPECTED_CHECKS = {"dead_link", "stale_column", "privacy_leak", "hidden_link", "wrong_expression", "unanswered_message"}


# ---------------------------------------------------------------------------------------------- fixture

@pytest.fixture(scope="module")
def p7(tmp_path_factory):
    """One real audit of portal7 with its own server (query-string pages, a real /search, its own partner site)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(portal, "serve_pair", lambda root, ext_root=None: serve_portal7(root))
        return portal.audit_portal(tmp_path_factory.mktemp("portal7"), root=PORTAL7)


def canon(audit, url: str) -> str:
    """A URL as EXPECTED.md writes it: site-relative, {EXT}, home as HOME, query parameters in sorted order."""
    path = audit.path(url)
    if path in ("", "/", "/index.html"):
        return HOME
    parts = urlsplit(path)
    if parts.query:
        query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
        path = path.split("?", 1)[0] + "?" + query
    return path


def key(path: str) -> str:
    """The same canonical form for a URL written in this file."""
    if path in ("/", "/index.html", HOME):
        return HOME
    parts = urlsplit(path)
    if parts.query:
        return path.split("?", 1)[0] + "?" + urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return path


def of(audit, check: str) -> list[dict]:
    return [f for f in audit.findings() if f["check"] == check]


def by_url(audit, check: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in of(audit, check):
        out.setdefault(canon(audit, f["url"]), []).append(f)
    return out


def pages(audit, f: dict) -> list[str]:
    return sorted(canon(audit, u) for u in f.get("found_on") or [])


# ---------------------------------------------------------------------------------------------- whole run

def test_audit_completes(p7):
    assert p7.code == 0, p7.stderr


def test_exactly_the_expected_checks_report(p7):
    """No 功能设计 finding (all items present and working), no document or column-veto finding; an IPv6
    item may only say 未检查 (info)."""
    extra = [(f["check"], p7.path(f["url"]), f["severity"]) for f in p7.findings()
             if f["check"] not in EXPECTED_CHECKS and not ("ipv6" in f["check"].lower() and f["severity"] == "info")]
    assert extra == []
    assert {f["check"] for f in p7.findings()} >= EXPECTED_CHECKS


# ---------------------------------------------------------------------------------------------- links

def test_dead_links_exactly(p7):
    got = {k: fs[0]["data"].get("reason") for k, fs in by_url(p7, "dead_link").items()}
    assert got == {key(t): reason for t, (reason, _, _) in DEAD.items()}


def test_dead_links_pages_and_severity(p7):
    dead = by_url(p7, "dead_link")
    for target, (_, on, severity) in DEAD.items():
        (f,) = dead[key(target)]
        assert pages(p7, f) == sorted(key(p) for p in on), target
        assert f["severity"] == severity, target
        assert f["data"].get("on_home") is (on == [HOME]), target


# ---------------------------------------------------------------------------------------------- columns / documents

def _columns(audit) -> dict[str, dict]:
    return {canon(audit, c["url"]): c for c in audit.inventory("columns")}


def test_columns_found_named_typed_and_dated(p7):
    cols = _columns(p7)
    assert set(cols) - {MAILBOX} == set(COLUMNS)
    for path, (name, type_id, count, newest, verdict) in COLUMNS.items():
        c = cols[path]
        assert (c["name"], c["type"], c["item_count"], c["newest_date"], c["verdict"]) == \
            (name, type_id, count, newest, verdict), path


def test_mailbox_is_a_column_not_judged_by_date(p7):
    cols = _columns(p7)
    assert MAILBOX in cols
    assert cols[MAILBOX]["name"] == "县长信箱"


def test_not_columns(p7):
    cols = _columns(p7)
    for path in NOT_COLUMNS:
        assert path not in cols, path
    assert not any("/art/" in u or "/jact/" in u for u in cols)


def test_stale_blank_home_veto(p7):
    stale = by_url(p7, "stale_column")
    assert set(stale) == {"/col/col1232/index.html"}
    assert stale["/col/col1232/index.html"][0]["data"]["overdue_days"] == 13
    for check in ("blank_column", "stale_homepage", "column_veto"):
        assert of(p7, check) == [], check


def test_documents(p7):
    docs = {canon(p7, d["url"]): d for d in p7.inventory("documents")}
    assert set(docs) == set(DOCS)
    for path, (number, pub, validity, interp) in DOCS.items():
        d = docs[path]
        assert (d["doc_number"], d["pub_date"], d["validity"]) == (number, pub, validity), path
        assert canon(p7, d["interpretation"] or "") == interp, path
    for check in ("missing_validity", "expired_still_valid", "missing_interpretation", "late_interpretation"):
        assert of(p7, check) == [], check


# ---------------------------------------------------------------------------------------------- privacy_leak

def _kind(name: str) -> str:
    name = str(name).lower()
    if "id" in name or "身份证" in name:
        return "id_card"
    if "mobile" in name or "phone" in name or "手机" in name:
        return "mobile"
    return name


def _counts(findings: list[dict]) -> dict[str, int]:
    """kind -> count, whether a check writes one finding per kind or one per page with a list of kinds."""
    out: dict[str, int] = {}
    for f in findings:
        data = f.get("data") or {}
        entries = data.get("kinds") or data.get("items") or [data]
        if isinstance(entries, dict):
            entries = [{"kind": k, "count": (v.get("count") if isinstance(v, dict) else v)} for k, v in entries.items()]
        for e in entries:
            if isinstance(e, dict) and "kind" in e and "count" in e:
                k = _kind(e["kind"])
                out[k] = out.get(k, 0) + int(e["count"])
    return out


def test_privacy_leak_exactly_the_page_and_its_three_attachments(p7):
    leaks = by_url(p7, "privacy_leak")
    assert set(leaks) == {DIBAO, *ATTACHMENTS}
    assert {f["severity"] for fs in leaks.values() for f in fs} == {"high"}


def test_privacy_leak_counts_per_file(p7):
    leaks = by_url(p7, "privacy_leak")
    for url in [DIBAO, *ATTACHMENTS]:
        assert _counts(leaks.get(url, [])) == {"id_card": 6, "mobile": 6}, (url, [f["data"] for f in leaks.get(url, [])])


def test_privacy_leak_attachments_name_the_page_linking_them(p7):
    leaks = by_url(p7, "privacy_leak")
    for url in ATTACHMENTS:
        for f in leaks.get(url, [None]):
            assert f is not None, url
            assert DIBAO in pages(p7, f), url
    for f in leaks.get(DIBAO, []):
        assert set(pages(p7, f)) <= {DIBAO}


def test_privacy_leak_never_releaks_the_numbers(p7):
    texts = {name: (p7.out / name).read_text(encoding="utf-8-sig")
             for name in ("findings.jsonl", "findings.csv", "report.html") if (p7.out / name).exists()}
    assert "findings.jsonl" in texts
    for name, text in texts.items():
        for number in LEAKED_IDS + LEAKED_MOBILES:
            assert number not in text, (name, number[:4] + "…")


def test_privacy_leak_samples_are_masked(p7):
    for f in of(p7, "privacy_leak"):
        blob = json.dumps(f["data"], ensure_ascii=False)
        assert "*" in blob, f["url"]  # masked samples like 3301**********0019 / 139****0238


# ---------------------------------------------------------------------------------------------- hidden_link

def test_hidden_links_exactly(p7):
    hidden = by_url(p7, "hidden_link")
    assert set(hidden) == {key(t) for t in HIDDEN}


def test_hidden_links_pages_and_severity(p7):
    hidden = by_url(p7, "hidden_link")
    for target, (on, severity) in HIDDEN.items():
        fs = hidden.get(key(target), [])
        assert len(fs) == 1, (target, len(fs))
        assert pages(p7, fs[0]) == sorted(key(p) for p in on), target
        assert fs[0]["severity"] == severity, target


# ---------------------------------------------------------------------------------------------- wrong_expression

def _field(data: dict, *names: str):
    for n in names:
        if n in data:
            return data[n]
    return None


def test_wrong_expression_pages(p7):
    wrong = by_url(p7, "wrong_expression")
    assert set(WRONG) <= set(wrong), sorted(wrong)
    assert set(wrong) - set(WRONG) <= WRONG_OPTIONAL, sorted(set(wrong) - set(WRONG))
    for path in NOT_WRONG:
        assert path not in wrong, path


def test_wrong_expression_data(p7):
    wrong = by_url(p7, "wrong_expression")
    for path, (bad, good, in_title) in WRONG.items():
        fs = wrong.get(path, [])
        assert len(fs) == 1, (path, [f["data"] for f in fs])
        f = fs[0]
        data = f["data"]
        assert bad in str(_field(data, "wrong", "wrong_text", "text", "term", "found")), (path, data)
        assert good in str(_field(data, "suggested", "suggestion", "suggested_text", "correct", "correction")), (path, data)
        assert data.get("in_title") is in_title, (path, data)
        sentence = str(_field(data, "sentence", "context", "excerpt"))
        assert bad in sentence, (path, data)
        assert f["severity"] == "veto", path


# ---------------------------------------------------------------------------------------------- messages

def test_unanswered_message_exactly_letter_1004(p7):
    every = by_url(p7, "unanswered_message")
    # a letter 办理中 past 3 months without a reply is only a question (info), never the veto
    un = {u: fs for u, fs in every.items() if any(f["severity"] != "info" for f in fs)}
    assert all(f["severity"] == "info" and "办理中" in f["detail"] for u, fs in every.items() if u not in un for f in fs)
    assert set(un) == {key(UNANSWERED)}
    (f,) = un[key(UNANSWERED)]
    assert f["severity"] == "veto"
    assert pages(p7, f) == [MAILBOX]
    for path in NOT_UNANSWERED:
        assert key(path) not in un, path


def test_no_stale_replies_and_a_message_channel(p7):
    assert of(p7, "stale_replies") == []
    assert of(p7, "no_message_channel") == []


# ---------------------------------------------------------------------------------------------- 功能设计

def test_site_search_was_submitted_as_the_form_defines(p7):
    """The search check submits a recent title with the form's hidden siteid (GET) and reads a page
    that lists it; the fixture's search needs siteid (without it: 参数错误)."""
    index = json.loads((PORTAL7 / "_search_index.json").read_text(encoding="utf-8"))
    titles = {r["title"] for r in index}
    sent = [dict(parse_qsl(urlsplit(p).query)) for p in getattr(p7.server, "searches", [])]
    assert any(q.get("siteid") == "3301000001" and q.get("q") in titles for q in sent), sent


def test_function_design_items_raise_no_finding(p7):
    """SiteIDCode, ICP/公安备案, 党政机关标识, 找错 entry, search, required columns and 领导信息 are all present:
    the only findings on the badge and 找错 links are the offline dead_link ones."""
    for f in p7.findings():
        if f["check"] in EXPECTED_CHECKS:
            continue
        assert f["severity"] == "info" and "ipv6" in f["check"].lower(), (f["check"], f["detail"])
    badge = [k for k in by_url(p7, "dead_link") if "conac" in k or "zfwzgl" in k]
    assert len(badge) == 2
