"""Policy documents and their interpretations, found in the stored crawl.

Shared by missing_validity, expired_still_valid, missing_interpretation and
late_interpretation. Matching follows domain.md §5, strongest evidence first: an explicit
相关解读/原文 link in either direction, then the interpretation's title quoting the document's
title (fuzzy, rapidfuzz), then the interpretation's text citing the document's 文号.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from govaudit.crawler.docmeta import core_title, is_interpretation_title, normalize_doc_number
from govaudit.crawler.render import manual

from .crawl import Crawl

_DOC_TITLE = re.compile(r"通知|意见|办法|规定|决定|方案|细则|规则|规划|措施|条例|规程|指引|纲要|实施|暂行|命令|令")
# What a normative document (规范性文件) is called; a 通知 about a holiday's safety work, a 领导小组
# or a 工作要点 is a document too, but not one that must be marked valid or interpreted.
_NORMATIVE_TITLE = re.compile(r"办法|规定|细则|规则|规程|条例|意见|措施|决定|标准|准则|暂行|试行|实施方案|命令|令")
_AJAX_JD = re.compile(r"(文字|图片|图文|视频|H5|动漫|音频)\s*解读")


@dataclass
class Document:
    url: str
    title: str
    doc_number: str | None
    publisher: str | None
    written_date: str | None
    pub_date: str | None
    validity: str | None
    valid_until: str | None
    column: str
    why: str  # why it counts as a policy document
    needs_interpretation: bool = True
    interpretation: str | None = None
    interpretation_title: str | None = None
    interpretation_date: str | None = None
    evidence: str | None = None
    ajax_interpretation: bool = False  # an interpretation box filled by script: cannot judge
    valid_until_from: str | None = None  # "text": read from the document's own 有效期 clause, not a field
    #: Counted by its column and its title alone — no metadata block, no 文号 but perhaps a line at the
    #: head of the text — and the title does not
    #: name a normative document: whether it must be marked or interpreted is for a person (需人工核实).
    uncertain: bool = False

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        if out.get("valid_until_from") is None:
            out.pop("valid_until_from", None)  # said only when the text, not a field, gave the date
        if not out.get("uncertain"):
            out.pop("uncertain", None)
        return out


@dataclass
class Interpretation:
    url: str
    title: str
    pub_date: str | None
    core: str
    cited: set[str] = field(default_factory=set)
    links_to: set[str] = field(default_factory=set)


def _cfg(crawl: Crawl) -> dict:
    return crawl.setting("documents", default={}) or {}


def _column_text(page: dict) -> str:
    return " ".join([page["meta"].get("ColumnName", ""), " ".join(page["facts"].get("breadcrumb") or [])])


def _title(page: dict) -> str:
    doc = page["facts"].get("doc") or {}
    return (doc.get("title") or page["meta"].get("ArticleTitle") or page.get("title") or "").strip()


def _policy_column_items(crawl: Crawl, cfg: dict) -> dict[str, str]:
    """Item URL -> column name, for items listed in policy columns."""
    from . import columns_common as cc

    out: dict[str, str] = {}
    keys = cfg.get("policy_columns", [])
    for col in cc.discover(crawl):
        if any(k in col.name for k in keys):
            for item in col.items:
                if item.get("url"):
                    out[item["url"]] = col.name
    return out


def analyse(crawl: Crawl) -> tuple[list[Document], list[Interpretation]]:
    cache = crawl.__dict__.setdefault("_cache", {})
    if "documents" in cache:
        return cache["documents"]
    cfg = _cfg(crawl)
    policy_keys = cfg.get("policy_columns", [])
    jd_keys = cfg.get("interpretation_columns", ["解读"])
    excluded = cfg.get("exclude_title_keywords", [])
    no_jd = cfg.get("no_interpretation_keywords", [])
    in_policy_column = _policy_column_items(crawl, cfg)
    docs: list[Document] = []
    interps: list[Interpretation] = []
    for page in crawl.pages(where="kind IN ('detail', 'other') AND json_extract(facts, '$.doc') IS NOT NULL"):
        facts = page["facts"]
        meta = facts.get("doc") or {}
        title = _title(page)
        coltext = _column_text(page)
        if is_interpretation_title(title) or any(k in coltext for k in jd_keys):
            interps.append(Interpretation(
                url=page["url"], title=title, pub_date=facts.get("pub_date") or meta.get("pub_date"),
                core=core_title(title),
                cited={normalize_doc_number(n) for n in facts.get("cited_numbers") or []},
                links_to={r["url"] for r in facts.get("related") or []},
            ))
            continue
        if any(k in title for k in excluded) or any(k in coltext for k in ("人事", "任免")):
            continue
        why = None
        documentish = bool(meta.get("doc_number") or meta.get("has_meta_block") or _DOC_TITLE.search(title))
        column = in_policy_column.get(page["url"]) or in_policy_column.get(page["final_url"]) or ""
        if column and documentish:
            why = f"位于“{column}”栏目"
        elif documentish and any(k in coltext for k in policy_keys):
            column = next(k for k in policy_keys if k in coltext)
            why = f"位于“{column}”栏目"
        elif meta.get("doc_number") and meta.get("doc_number_from") != "line" and _DOC_TITLE.search(title):
            why = f"有发文字号 {meta['doc_number']}"
        if not why:
            continue
        text_has_jd_box = bool(_AJAX_JD.search(" ".join(r.get("text", "") for r in facts.get("related") or []))) or bool(facts.get("jd_box"))
        docs.append(Document(
            url=page["url"], title=title, doc_number=meta.get("doc_number"), publisher=meta.get("publisher"),
            written_date=meta.get("written_date"), pub_date=meta.get("pub_date") or facts.get("pub_date"),
            validity=meta.get("validity"), valid_until=meta.get("valid_until"), column=column, why=why,
            valid_until_from=meta.get("valid_until_from"),
            uncertain=(not meta.get("doc_number") or meta.get("doc_number_from") == "line")
            and not meta.get("has_meta_block") and not _NORMATIVE_TITLE.search(title),
            # A reposted (转载) document is interpreted by its issuer, not by the site reposting it.
            needs_interpretation=not any(k in title for k in no_jd) and "转载" not in (meta.get("content_source") or ""),
            ajax_interpretation=(bool(facts.get("jd_box_empty")) and not text_has_jd_box) or manual(facts, "jd_box"),
        ))
        docs[-1].related = facts.get("related") or []  # type: ignore[attr-defined]
    # Links from interpretation pages to documents (asked only for the interpretations).
    by_url = {i.url: i for i in interps}
    urls = list(by_url)
    for k in range(0, len(urls), 500):
        chunk = urls[k : k + 500]
        for row in crawl.db.query(
            f"SELECT source, target FROM links WHERE run_id = ? AND tag IN ('a', 'area') AND source IN ({','.join('?' * len(chunk))})",
            [crawl.run_id, *chunk]):
            by_url[row["source"]].links_to.add(row["target"])
    _match(docs, interps, cfg)
    cache["documents"] = (docs, interps)
    return docs, interps


# Qualifiers a 解读 title commonly drops when it abbreviates the document's name.
_QUALIFIER_RE = re.compile(r"[（(]?(?:暂行|试行|修订|修订稿|征求意见稿)[）)]?")
#: A 解读 may drop at most this much of the document's name in front (its issuer/place name).
_MAX_DROPPED_PREFIX = 12
_MIN_SHARED_CORE = 6


def _title_score(doc_core: str, interp_core: str) -> float:
    """How well a 解读's core title names a document's core title (0-100).

    Interpretations are named loosely: "图解：城市道路挖掘管理办法" for 《澜溪区城市道路挖掘管理办法》,
    "农村集体资产管理规定政策问答" for 《澜溪区农村集体资产管理暂行规定》. Beyond the fuzzy ratio,
    the names match when, ignoring 暂行/试行-type qualifiers, one ends with the other and
    what the shorter leaves out is only a short lead (the issuer or place name) — a
    suffix, not any substring, so that the 解读 of "A办法" does not match "A办法实施细则".
    """
    score = float(fuzz.ratio(doc_core, interp_core))
    a, b = _QUALIFIER_RE.sub("", doc_core), _QUALIFIER_RE.sub("", interp_core)
    short, long_ = sorted((a, b), key=len)
    if (len(short) >= _MIN_SHARED_CORE and long_.endswith(short)
            and len(long_) - len(short) <= _MAX_DROPPED_PREFIX):
        score = max(score, 95.0)
    elif len(doc_core) >= 8 and doc_core in interp_core:
        score = max(score, 95.0)
    return score


def _match(docs: list[Document], interps: list[Interpretation], cfg: dict) -> None:
    by_url = {i.url: i for i in interps}
    threshold = float(cfg.get("title_match_score", 88))
    numbers = {d.url: normalize_doc_number(d.doc_number) for d in docs if d.doc_number}
    every = set(numbers.values())
    other_numbers = {url: every - {n} for url, n in numbers.items()}
    for d in docs:
        found: tuple[Interpretation, str] | None = None
        number = numbers.get(d.url)
        for r in getattr(d, "related", []):
            if r.get("url") in by_url:
                found = (by_url[r["url"]], f"文件页面“{r.get('text') or '相关解读'}”链接")
                break
        if not found:
            for i in interps:
                if d.url in i.links_to:
                    found = (i, "解读页面链接原文件")
                    break
        if not found:
            core = core_title(d.title)
            best = None
            for i in interps:
                if not core or not i.core:
                    continue
                if number and number not in i.cited and i.cited & other_numbers.get(d.url, set()):
                    continue  # it names another document of this site by its 文号
                score = _title_score(core, i.core)
                if score >= threshold and (best is None or score > best[1]):
                    best = (i, score)
            if best:
                found = (best[0], f"解读标题引用文件标题（相似度 {best[1]:.0f}）")
        if not found and number:
            for i in interps:
                if number in i.cited:
                    found = (i, f"解读正文引用文号 {number}")
                    break
        if found:
            i, evidence = found
            d.interpretation, d.interpretation_title, d.interpretation_date, d.evidence = i.url, i.title, i.pub_date, evidence


UNCERTAIN_NOTE = "（页面无元数据，标题不是规范性文件的名称，是否属于规范性文件需人工核实）"


def book_title(title: str) -> str:
    """《title》, with titles inside it in 〈〉 as official documents nest them."""
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


def interpretation_rate(docs: list[Document]) -> dict[str, Any]:
    # A script-loaded box that was not seen leaves the document out, unless it was matched another way.
    need = [d for d in docs if d.needs_interpretation and (d.interpretation or not (d.ajax_interpretation or d.uncertain))]
    done = [d for d in need if d.interpretation]
    return {"required": len(need), "interpreted": len(done),
            "rate": round(len(done) / len(need), 4) if need else None}
