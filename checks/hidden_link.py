"""暗链: links to external sites that visitors cannot see (display:none, off-screen, font-size:0,
zero-size boxes, colour equal to background), found per page by crawler/hidden_links.py.

Why: a hacked template carries links to gambling/porn sites that search engines follow; the 2019
indicators make 发布或链接反动、暴力、色情等内容 and unhandled 安全攻击（挂马、篡改）a veto. One finding
per hidden target: ``url`` = the target, ``found_on`` = the pages carrying it. Severity:

- ``veto`` when the target or the anchor text holds a word of the list
  (config/content/hidden_link_words.yaml plus ``content.hidden_links.extra_words``);
- ``high`` for other hidden external links (an injected SEO link needs no gambling word);
- ``info`` for a CMS vendor's credit link that the template hides (大汉 ``Produced By 大汉网络`` to
  www.hanweb.com, ``vendor_hosts`` in the same list): not 暗链, listed only so a person can see it.

Hidden menus of internal links, skip links and hidden drop-downs of sister government sites are
never stored by the crawler (see crawler/hidden_links.py).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Iterable
from urllib.parse import urlsplit

import yaml

from .content_common import RULE_2019, content_pages, setting
from .crawl import Crawl
from .spec import CheckSpec

RULE = f"依据{RULE_2019}单项否决指标：发布或链接反动、暴力、色情等内容；安全攻击（挂马、篡改）未及时处置"
RANK = {"veto": 0, "high": 1, "info": 2}


@lru_cache(maxsize=1)
def _shipped_vendors() -> tuple[str, ...]:
    text = resources.files("govaudit.config").joinpath("content/hidden_link_words.yaml").read_text(encoding="utf-8")
    return tuple((yaml.safe_load(text) or {}).get("vendor_hosts") or ())


def _vendor(url: str, vendors: Iterable[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == v or host.endswith("." + v) for v in (str(v).lower().lstrip(".") for v in vendors))


def run(crawl: Crawl) -> Iterable[dict]:
    vendors = _shipped_vendors() + tuple(setting(crawl, "hidden_links", "vendor_hosts", []) or ())
    by_target: dict[str, dict] = {}
    for page in content_pages(crawl, "hidden"):
        for h in page["value"]:
            severity = h.get("severity") or "high"
            if severity != "veto" and not h.get("words") and _vendor(h["url"], vendors):
                severity = "info"
            f = by_target.setdefault(h["url"], {"pages": [], "severity": severity, "hits": []})
            if page["url"] not in f["pages"]:
                f["pages"].append(page["url"])
            if RANK[severity] < RANK[f["severity"]]:
                f["severity"] = severity
            if len(f["hits"]) < 5 and (h.get("anchor"), h.get("technique")) not in {(x.get("anchor"), x.get("technique")) for x in f["hits"]}:
                f["hits"].append(h)
    for target, f in by_target.items():
        first = f["hits"][0]
        words = sorted({w for h in f["hits"] for w in h.get("words") or []})
        anchors = list(dict.fromkeys(h.get("anchor") or "" for h in f["hits"] if h.get("anchor")))
        how = f"{first.get('technique')}，{first.get('via')}"
        text = f"“{anchors[0]}”" if anchors else "（无文字）"
        n = len(f["pages"])
        if f["severity"] == "info":
            detail = (f"页面中有隐藏的建站厂商标识链接 {text}（{how}），指向 {target}，属内容管理系统模板自带，"
                      f"不属于暗链，需人工核实")
        else:
            found = f"含违规词“{'、'.join(words)}”，" if words else ""
            pages = f"{n} 个页面中" if n > 1 else "页面中"
            own = all(urlsplit(target).hostname == urlsplit(p).hostname for p in f["pages"])
            kind = "指向本网站页面的隐藏链接（暗链）" if own else "外部链接（暗链）"
            detail = f"{pages}有访问者看不到的{kind}{text}，{found}隐藏方式：{how}，指向 {target}。{RULE}"
        yield {
            "url": target, "found_on": f["pages"][:20], "severity": f["severity"], "detail": detail,
            "data": {"anchors": anchors, "words": words, "technique": first.get("technique"), "via": first.get("via"),
                     "found_on_count": n, "vendor_credit": f["severity"] == "info"},
        }


def _where(f: dict) -> str:
    data = f.get("data") or {}
    pages = f.get("found_on") or []
    count = data.get("found_on_count", len(pages))
    text = "\n".join(pages[:3]) + (f"\n等 {count} 个页面" if count > 3 else "")
    anchor = (data.get("anchors") or [""])[0]
    return (f"隐藏链接“{anchor}”，位于：\n" if anchor else "隐藏链接，位于：\n") + text


def _short(f: dict) -> str:
    anchor = ((f.get("data") or {}).get("anchors") or [""])[0]
    return f"“{anchor}”" if anchor else f.get("url", "")


def _summary(items: list[dict]) -> str:
    pages = {p for f in items for p in f.get("found_on") or []}
    words = sorted({w for f in items for w in (f.get("data") or {}).get("words") or []})
    return (f"有 {len(items)} 个暗链（涉及 {len(pages)} 个页面）" + (f"，含“{'、'.join(words[:4])}”等违规词" if words else "")
            + f"，如{''.join(_short(f) for f in items[:2])}")


CHECK = CheckSpec(
    id="hidden_link", title="暗链", run=run, order=32,
    hint="页面中有访问者看不到的外部链接（隐藏、移出可视区域、零尺寸、文字与背景同色），含博彩、色情等词的为单项否决。",
    where=_where, short=_short, summary=_summary,
)
