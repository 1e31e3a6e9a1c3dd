"""Content facts of one page for the issue 12 checks: personal data, serious misstatements, hidden
links, messages and message channels — compact, computed once at crawl time.

Why at crawl time: the checks must re-run on a stored crawl without the HTML, and the HTML is
gone once the page is parsed. What is stored is small and safe to keep:

- ``privacy``: checks/privacy_rules.py findings (kind, count, *masked* samples, where) — never a
  full number, so neither the store nor a report re-leaks one;
- ``wording``: checks/wording_rules.py candidates found with ``pub_date=None`` (the check applies
  the reform dates against the page's own date), each with ``link`` when the words are the anchor
  of a link (a list repeating an article's title: the check judges the article instead);
- ``hidden``: crawler/hidden_links.py hidden external links;
- ``messages``: crawler/messages.py rows (list rows and detail pages);
- ``channels``: links into 领导信箱/咨询/投诉 channels, on home and first-level pages only (every
  page's navigation repeats them).

The result holds only the kinds found; an empty dict still says "this page was read for content".
Every detector works on the one parsed tree, and the page's visible text (computed once by the
caller) serves their fast paths: most pages cost four regex/automaton scans and nothing more. A
detector that fails on a hostile page loses its own fact, never the page or the crawl.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Iterable
from urllib.parse import urljoin

from govaudit.checks import privacy_rules, wording_rules

from . import hidden_links, messages

logger = logging.getLogger(__name__)

__all__ = ["ContentOptions", "page_content"]


@dataclass(frozen=True)
class ContentOptions:
    """The ``content:`` section of the config (config/defaults.yaml), as the crawler needs it."""
    enabled: bool = True
    min_text_mobiles: int = 3
    max_samples: int = 3
    extra_words: tuple[str, ...] = ()
    trusted_suffixes: tuple[str, ...] = ()
    wording_files: tuple[str, ...] = ()
    attachment_extensions: tuple[str, ...] = (".xls", ".xlsx", ".et", ".ods", ".csv", ".doc", ".docx", ".wps", ".pdf", ".txt")
    attachment_max_bytes: int = 20 * 1024 * 1024
    attachment_max_pages: int = 500
    attachment_timeout: float = 60.0
    attachment_memory_mb: int = 1024
    isolate: bool = True

    @classmethod
    def from_config(cls, cfg: dict | None) -> "ContentOptions":
        cfg = cfg or {}
        att, priv = cfg.get("attachments") or {}, cfg.get("privacy") or {}
        hid, wording = cfg.get("hidden_links") or {}, cfg.get("wording") or {}
        d = cls()
        return cls(
            enabled=bool(cfg.get("enabled", True)),
            min_text_mobiles=int(priv.get("min_text_mobiles", d.min_text_mobiles)),
            max_samples=int(priv.get("max_samples", d.max_samples)),
            extra_words=tuple(hid.get("extra_words") or ()),
            trusted_suffixes=tuple(hid.get("trusted_suffixes") or ()),
            wording_files=tuple(str(p) for p in wording.get("extra_files") or ()),
            attachment_extensions=tuple(str(e).lower() if str(e).startswith(".") else "." + str(e).lower()
                                        for e in att.get("extensions") or d.attachment_extensions),
            attachment_max_bytes=int(att.get("max_bytes", d.attachment_max_bytes)),
            attachment_max_pages=int(att.get("max_pages", d.attachment_max_pages)),
            attachment_timeout=float(att.get("timeout", d.attachment_timeout)),
            attachment_memory_mb=int(att.get("memory_mb", d.attachment_memory_mb)),
            isolate=bool(att.get("isolate", True)),
        )

    def word_list(self) -> hidden_links.WordList:
        return _word_list(self.extra_words, self.trusted_suffixes)

    def dictionaries(self) -> wording_rules.Dictionaries:
        return wording_rules.load_dictionaries(self.wording_files)


@lru_cache(maxsize=8)
def _word_list(extra_words: tuple[str, ...], trusted_suffixes: tuple[str, ...]) -> hidden_links.WordList:
    return hidden_links.load_words({"words": list(extra_words), "trusted_suffixes": list(trusted_suffixes)})


def _guarded(name: str, url: str, fn, *args, **kwargs) -> list:
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # hostile markup must not cost the page's other facts
        logger.warning("内容检查 %s 在页面 %s 上出错：%s: %s", name, url, type(exc).__name__, exc)
        return []


_WS = re.compile(r"\s+")


def _link_of(hit: wording_rules.WordingHit, anchors: list[tuple[str, str]]) -> str | None:
    """The href of the link whose text carries the hit, when the hit's sentence is that link's text
    (plus, at most, the date beside it in a list row)."""
    sentence = _WS.sub("", hit.sentence)
    for text, href in anchors:
        if hit.wrong in text and len(text) >= len(hit.wrong) + 2 and text in sentence \
                and len(sentence) - len(text) <= 24:
            return href
    return None


def page_content(doc, url: str, *, title: str, meta: dict[str, str], breadcrumb: Iterable[str], text: str,
                 as_of: date, internal_hosts: Iterable[str], options: ContentOptions,
                 with_channels: bool = False) -> dict[str, Any]:
    """The content facts of one parsed page (see the module docstring)."""
    out: dict[str, Any] = {}
    quick = f"{title} {text}"  # the page's text, computed once by the caller, for the fast paths
    context = " ".join([title, meta.get("ColumnName", ""), meta.get("ArticleTitle", ""), *breadcrumb])
    found = _guarded("privacy", url, privacy_rules.scan_html, doc, context, text_content=quick,
                     max_samples=options.max_samples, min_text_mobiles=options.min_text_mobiles)
    if found:
        out["privacy"] = [f.as_dict() for f in found]
    hits = _guarded("wording", url, wording_rules.scan_html, doc, None, options.dictionaries(), text_content=quick)
    if hits:
        anchors = [(_WS.sub("", a.text_content() or ""), a.get("href")) for a in doc.iter("a") if a.get("href")]
        rows = []
        for h in hits:
            row = h.as_dict()
            href = _link_of(h, anchors) if not h.in_title else None
            if href:
                row["link"] = urljoin(url, href)
            rows.append(row)
        out["wording"] = rows
    hidden = _guarded("hidden_links", url, hidden_links.find_hidden_links, doc, url, internal_hosts, options.word_list())
    if hidden:
        out["hidden"] = [h.as_dict() for h in hidden]
    rows = _guarded("messages", url, messages.extract_messages, doc, url, as_of, text_content=text)
    if rows:
        out["messages"] = [m.as_dict() for m in rows]
    if with_channels:
        chans = _guarded("channels", url, messages.find_channels, doc, url)
        if chans:
            out["channels"] = [list(c) for c in dict.fromkeys(chans)][:50]
    return out
