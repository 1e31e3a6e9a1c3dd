"""领导信息 (发布解读): a 领导信息 page must give each leader's 姓名, 职务 and 分工
(《政府网站与政务新媒体检查指标》国办秘函〔2019〕19号: 未公开领导姓名、职务、分工等信息).

One finding per leader page (crawler/leaders.py facts). ``medium`` only where the page plainly
lists its leaders — names with positions (or under 姓名 labels/headers) — and has no 分工 anywhere
(or an empty 分工 cell, or no 职务 anywhere). Everything less certain is ``info`` (需人工核实):
some leaders without 分工 on a page that mentions 分工 elsewhere, names that only link to detail
pages the crawl did not read, positions without any recognisable name. A leader whose name links
to a detail page that is itself a read 领导信息 page is judged on that page, not twice."""
from __future__ import annotations

from typing import Iterable

from .crawl import Crawl
from .spec import CheckSpec

RULE = "依据《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号），领导信息应公开领导姓名、职务、分工等信息"
LIMIT = 8


def _names(entries: list[dict]) -> str:
    names = [e["name"] for e in entries if e.get("name")]
    return "、".join(names[:LIMIT]) + (f"等 {len(names)} 人" if len(names) > LIMIT else "")


def _leader_pages(crawl: Crawl) -> dict[str, dict]:
    pages = {}
    # a substring test, not json_extract: the scan of a 100k-page crawl must not parse every page's facts
    for p in crawl.pages(where="instr(facts, '\"leaders\":') > 0", fields="url, final_url, facts"):
        leaders = p["facts"].get("leaders")
        if isinstance(leaders, dict):
            pages[p["url"]] = {"url": p["url"], "final_url": p.get("final_url") or p["url"], "leaders": leaders}
    return pages


def _detail_state(crawl: Crawl, urls: list[str], leader_pages: dict[str, dict]) -> dict[str, str]:
    """Why each linked detail page could not settle its leader's 职务/分工 (absent = it did)."""
    by_final = {p["final_url"]: p for p in leader_pages.values()}
    out: dict[str, str] = {}
    rest = []
    for url in urls:
        page = leader_pages.get(url) or by_final.get(url)
        if page is not None:
            if not page["leaders"].get("entries"):
                out[url] = "未能识别出领导信息"
        else:
            rest.append(url)
    if rest:
        read = set()
        for i in range(0, len(rest), 500):
            chunk = rest[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for r in crawl.db.query(f"SELECT url FROM pages WHERE run_id = ? AND url IN ({marks})", [crawl.run_id, *chunk]):
                read.add(r["url"])
        problems = crawl.problem_fetches
        for url in rest:
            if url in read:
                out[url] = "未能识别出领导信息"
            elif url in problems:
                error = problems[url].get("error_class")
                out[url] = ("未抓取（robots.txt 禁止）" if error == "robots" else
                            "未检查" if error in ("blocked_private", "not_checked") else "无法访问")
            else:
                out[url] = "未抓取"
    return out


def run(crawl: Crawl) -> Iterable[dict]:
    pages = _leader_pages(crawl)
    details = sorted({e["detail"] for p in pages.values() for e in p["leaders"].get("entries") or []
                      if e.get("name") and e.get("detail") and not (e.get("position") and e.get("duties"))})
    state = _detail_state(crawl, details, pages)
    for url, page in pages.items():
        finding = judge(url, page["leaders"], state, own={url, page["final_url"]})
        if finding:
            yield finding


def judge(url: str, leaders: dict, state: dict[str, str], own: set[str] = frozenset()) -> dict | None:
    """The finding for one leader page, or None. ``state``: detail URL → why it settled nothing."""
    entries = [e for e in leaders.get("entries") or [] if isinstance(e, dict)]
    named = [e for e in entries if e.get("name")]
    base = {"url": url, "found_on": [url]}
    if not named:
        positions = [e for e in entries if e.get("position")]
        if not positions:
            return None
        return {**base, "severity": "info",
                "detail": f"领导信息页面列出了职务（{'、'.join(e['position'] for e in positions[:LIMIT])}）"
                          f"{'和分工' if any(e.get('duties') for e in positions) else ''}，但未识别出领导姓名，需人工核实。{RULE}",
                "data": {"signal": leaders.get("signal"), "positions": [e["position"] for e in positions],
                         "missing": ["name"]}}
    judged, unverified = [], []
    for e in named:
        complete = e.get("position") and e.get("duties")
        detail = e.get("detail")
        if detail and detail not in own and not complete:
            if detail in state:
                unverified.append({"name": e["name"], "detail": detail, "reason": state[detail]})
            # else: the detail page is a read leader page and is judged on its own
            continue
        judged.append(e)
    no_duties = [e for e in judged if not e.get("duties")]
    no_position = [e for e in judged if not e.get("position")]
    if not (no_duties or no_position or unverified):
        return None

    labelled = lambda e: e.get("source") in ("labels", "table")  # noqa: E731
    clear_duties = bool(no_duties) and (
        # every listed leader has a name and a position, and the page says nothing of 分工
        (len(no_duties) == len(judged) and not leaders.get("duty_text") and all(e.get("position") for e in judged))
        # or a table with a 分工 column leaves their cells empty
        or all(e.get("source") == "table" and "duties" in (e.get("columns") or []) for e in no_duties))
    clear_position = bool(no_position) and all(labelled(e) for e in no_position) and (
        not leaders.get("position_text")
        or all(e.get("source") == "table" and "position" in (e.get("columns") or []) for e in no_position))
    clear = (no_duties or no_position) and (not no_duties or clear_duties) and (not no_position or clear_position)
    severity = "medium" if clear else "info"

    said = []
    if no_position:
        said.append(f"{_names(no_position)}未公开职务" if clear_position else f"未识别出{_names(no_position)}的职务")
    if no_duties:
        said.append(f"{_names(no_duties)}未公开分工" if clear_duties else f"未识别出{_names(no_duties)}的分工")
    if unverified:
        reasons = "、".join(dict.fromkeys(u["reason"] for u in unverified))
        said.append(f"{_names(unverified)}仅列出姓名并链接到详情页面，详情页面{reasons}，未能核实其职务和分工")
    lead = (f"领导信息页面列出了 {len(named)} 位领导，" if severity == "medium" else "领导信息页面中")
    tail = "。" if severity == "medium" else "，需人工核实。"
    return {**base, "severity": severity, "detail": lead + "；".join(said) + tail + RULE,
            "data": {"signal": leaders.get("signal"), "leaders": [e["name"] for e in named],
                     "missing_duties": [e["name"] for e in no_duties],
                     "missing_position": [e["name"] for e in no_position],
                     "unverified": unverified}}


CHECK = CheckSpec(
    id="incomplete_leader_info", title="领导信息不完整", run=run, order=66,
    hint="领导信息页面未公开领导的职务或分工；页面结构无法确定（如姓名仅链接到未能读取的详情页面）时为提示，需人工核实。",
    where=lambda f: "领导信息页面：\n" + f["url"],
    summary=lambda items: f"领导信息页面 {len(items)} 个未完整公开领导职务、分工",
)
