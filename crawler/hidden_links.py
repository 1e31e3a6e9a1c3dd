"""Hidden links to external sites (暗链) on one parsed page, and hidden links with gambling/porn
words to pages on the site itself.

Why: a hacked CMS template carries links to gambling/porn sites that visitors cannot see but
search engines follow; the 2019 indicators make 发布或链接色情等内容 and unhandled 篡改 a veto.
A link is hidden when it, or an ancestor, is

- ``display:none`` / ``visibility:hidden|collapse`` / ``opacity:0`` / the ``hidden`` attribute,
- off-screen: ``position:absolute|fixed`` with left/top/right/bottom ≤ −500px, a margin of
  ≤ −500px, or ``text-indent`` ≤ −500px,
- ``font-size:0``, or a zero-size box (width or height 0/1px with ``overflow:hidden``),
- coloured like its background (both set on it or its ancestors),

by an inline ``style`` or a rule of the page's own ``<style>`` blocks, in the HTML or in markup
that an inline script writes with string literals (document.write, innerHTML). Selectors are translated
with **cssselect** (Scrapy's own dependency), so any selector it knows works (``.c``, ``#id``,
``div.c a``, ``tag.c``); rules inside ``@media``/``@supports`` are ignored (responsive menus).
Declarations cascade only as far as this needs: an inline visible value on the same element
beats a hiding rule. External stylesheets and scripts (src=…) are not read, nor markup a script computes.

Not 暗链 (the false accusations the notices must not make): links to the site's own hosts,
fragment and javascript links (skip links 跳到主要内容), links to government/education hosts
(``trusted_suffixes``: hidden drop-downs of sister sites), and containers that are hidden only
until the visitor acts: revealed by a ``:hover``/``:focus``/``.active|.show|.open`` rule, or
named like a menu/drop-down/tab (class/id words of the hidden element or its parent), or
whose id a page script refers to — those
only with ``display``/``visibility`` (an attacker does not position a menu at −9999px).
A hidden external link whose URL or text holds a word of the list is reported whatever its
container: severity ``veto``; other hidden external links ``high``. A link to the site's own host
is reported only when an inline style or ``hidden`` hides it outside any menu-like container and
its text, title or URL holds a word of the list (``veto``: the hacked site hosts the page itself).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable
from urllib.parse import unquote, urljoin, urlsplit

import yaml
from cssselect import HTMLTranslator, SelectorError

__all__ = ["HiddenLink", "WordList", "load_words", "find_hidden_links"]

#: class/id words of interactive containers (menus, drop-downs, tabs, mobile navigation).
INTERACTIVE_WORDS = ("menu", "nav", "sub", "drop", "down", "tab", "toggle", "mobile", "collapse", "popup",
                     "modal", "slide", "child", "second", "erji", "xiala", "xl", "panel", "pane", "more",
                     "hover", "sj", "m-", "select", "zimenu", "lanmu")
_REVEAL_STATES = re.compile(r":(?:hover|focus|focus-within|active|checked|target)|\.(?:active|show|open|on|cur|current|in|expanded|hover|selected)\b")
_TRANSLATOR = HTMLTranslator()  # tag names case-insensitive, as in HTML


@dataclass
class WordList:
    words: tuple[str, ...]
    trusted_suffixes: tuple[str, ...]

    def matches(self, *texts: str) -> list[str]:
        blob = " ".join(texts).lower()
        out = []
        for w in self.words:
            lw = w.lower()
            if lw.isascii():
                if re.search(rf"(?<![a-z]){re.escape(lw)}", blob):
                    out.append(w)
            elif lw in blob:
                out.append(w)
        return out

    def may_match(self, text: str) -> bool:
        """A cheap superset of ``matches`` (substrings, no token bounds), for a quick no."""
        blob = text.lower()
        return any(w in blob for w in _lowered(self.words))


@lru_cache(maxsize=8)
def _lowered(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w.lower() for w in words)


#: A site's own page about fighting gambling, or about the state lotteries (福利彩票/体育彩票 are
#: government business), hidden in a pop-up or a slide a script outside the page shows: not 暗链.
_GOVERNMENT_CONTEXT = re.compile(r"打击|整治|严打|查处|禁赌|禁毒|扫黄|扫黑|治理|防范|远离|拒绝|专项|违法犯罪|福利彩票|体育彩票|福彩|体彩")


#: Every declaration _hiding recognises holds one of these (a zero-size box needs overflow:hidden,
#: an off-screen one a negative value).
_MAY_HIDE = re.compile(r"none|hidden|collapse|opacity|:\s*-|font-size\s*:\s*0", re.I)


def load_words(extra: dict | None = None) -> WordList:
    """The shipped list (config/content/hidden_link_words.yaml), extended by ``extra``."""
    text = resources.files("govaudit.config").joinpath("content/hidden_link_words.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    words = list(data.get("words") or []) + list((extra or {}).get("words") or [])
    suffixes = list(data.get("trusted_suffixes") or []) + list((extra or {}).get("trusted_suffixes") or [])
    return WordList(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(suffixes)))


@lru_cache(maxsize=1)
def _default_words() -> WordList:
    return load_words()


@dataclass
class HiddenLink:
    url: str
    anchor: str
    technique: str
    via: str
    words: list[str] = field(default_factory=list)
    severity: str = "high"

    def as_dict(self) -> dict:
        return dict(self.__dict__)


# --- CSS --------------------------------------------------------------------------------------

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_NAMED = {"white": "#ffffff", "black": "#000000", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
          "yellow": "#ffff00", "gray": "#808080", "grey": "#808080", "silver": "#c0c0c0", "transparent": "transparent"}


def declarations(style: str) -> dict[str, str]:
    out = {}
    for part in style.split(";"):
        if ":" in part:
            k, v = part.split(":", 1)
            out[k.strip().lower()] = re.sub(r"\s*!important\s*$", "", v.strip().lower())
    return out


_BRACE = re.compile(r"[{}]")


def _rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector list, declarations) of top-level rules; at-rule blocks are skipped whole."""
    css = _COMMENT.sub("", css)
    out, i, n = [], 0, len(css)
    while i < n:
        j = css.find("{", i)
        if j < 0:
            break
        prelude = css[i:j].strip()
        depth, k = 1, j + 1
        for m in _BRACE.finditer(css, j + 1):  # braces only: no per-character Python loop
            depth += 1 if m.group() == "{" else -1
            if not depth:
                k = m.end()
                break
        else:
            k = n + 1
        body = css[j + 1: k - 1]
        if prelude.startswith("@"):
            prelude = prelude.split(";")[-1].strip()  # an @import; before a rule
            if prelude.startswith("@"):
                i = k
                continue
        out.append((prelude, declarations(body)))
        i = k
    return out


def _px(v: str | None) -> float | None:
    if not v:
        return None
    m = re.match(r"^(-?\d+(?:\.\d+)?)(px|pt|em|rem|%)?$", v.strip())
    if not m:
        return None
    num = float(m.group(1))
    return num * (16 if m.group(2) in ("em", "rem") else 1)


def _hiding(d: dict[str, str]) -> str | None:
    if d.get("display", "").startswith("none"):
        return "display:none"
    if d.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden"
    if _px(d.get("opacity")) == 0:
        return "opacity:0"
    if d.get("position") in ("absolute", "fixed"):
        for side in ("left", "top", "right", "bottom"):
            v = _px(d.get(side))
            if v is not None and v <= -500:
                return f"{side}:{d[side]}（移出可视区域）"
    for prop in ("margin-left", "margin-top", "text-indent"):
        v = _px(d.get(prop))
        if v is not None and v <= -500:
            return f"{prop}:{d[prop]}（移出可视区域）"
    if _px(d.get("font-size")) == 0:
        return "font-size:0"
    if d.get("overflow") == "hidden":
        for prop in ("width", "height", "max-width", "max-height"):
            v = _px(d.get(prop))
            if v is not None and v <= 1:
                return f"{prop}:{d[prop]}（零尺寸）"
    return None


def _colour(v: str | None) -> str | None:
    if not v:
        return None
    v = v.strip().split()[0] if v.strip().startswith("#") else v.strip()
    v = _NAMED.get(v, v)
    if re.fullmatch(r"#[0-9a-f]{3}", v):
        return "#" + "".join(c * 2 for c in v[1:])
    if re.fullmatch(r"#[0-9a-f]{6}", v):
        return v
    m = re.fullmatch(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)", v)
    if m:
        if m.group(4) is not None and float(m.group(4)) == 0:
            return "transparent"
        return "#%02x%02x%02x" % tuple(int(x) for x in m.group(1, 2, 3))
    return None


def _background(d: dict[str, str]) -> str | None:
    if "background-color" in d:
        return _colour(d["background-color"])
    for token in d.get("background", "").split():
        c = _colour(token)
        if c:
            return c
    return None


# --- page -------------------------------------------------------------------------------------

@lru_cache(maxsize=32)  # a site's pages share their <style> blocks: parse each text once
def _style_rules(css: str) -> tuple:
    """The rules that matter here — hiding, showing or colouring — with what each does:
    (selectors, declarations, hiding technique, shows, colour, background)."""
    out = []
    for prelude, d in _rules(css):
        tech = _hiding(d)
        shows = d.get("display", "") not in ("", "none") or d.get("visibility") == "visible"
        col, bg = _colour(d.get("color")), _background(d)
        if tech or shows or col or bg:
            out.append((tuple(x.strip() for x in prelude.split(",") if x.strip()), d, tech, shows, col, bg))
    return tuple(out)


@lru_cache(maxsize=4096)  # a site's pages share one template: translate each selector once
def _xpath(selector: str) -> str | None:
    try:
        return _TRANSLATOR.css_to_xpath(selector)
    except (SelectorError, ValueError, NotImplementedError):
        return None


def _host_internal(host: str, internal: set[str]) -> bool:
    bare = host[4:] if host.startswith("www.") else host
    for h in internal:
        hb = h[4:] if h.startswith("www.") else h
        if bare == hb or bare.endswith("." + hb):
            return True
    return False


def _interactive(el, script_text: str) -> bool:
    names = " ".join(filter(None, [el.get("class"), el.get("id")])).lower()
    if any(w in names for w in INTERACTIVE_WORDS):
        return True
    ident = el.get("id")
    return bool(ident and re.search(rf"['\"#]{re.escape(ident)}['\"\s.]", script_text))


_JS_STRING = re.compile(r"'((?:[^'\\\n]|\\.)*)'" + r'|"((?:[^"\\\n]|\\.)*)"')


def _script_markup(doc) -> str:
    """Markup a page script writes (document.write / innerHTML with string literals): the classic
    暗链 injection that a parser of the HTML alone does not see."""
    parts = []
    for script in doc.iter("script"):
        code = script.text or ""
        if "<a" not in code.lower() or not re.search(r"document\.write|innerHTML|insertAdjacentHTML", code):
            continue
        parts.append("".join(a or b for a, b in _JS_STRING.findall(code))
                     .replace("\\/", "/").replace('\\"', '"').replace("\\'", "'"))
    return "".join(parts)


def find_hidden_links(doc, base_url: str, internal_hosts: Iterable[str] = (),
                      words: WordList | None = None) -> list[HiddenLink]:
    """Hidden links to external hosts on a parsed page (lxml.html tree), including those a page
    script writes with document.write (reported with ``via`` 脚本写入)."""
    out = _find(doc, base_url, internal_hosts, words)
    markup = _script_markup(doc)
    if markup:
        import lxml.html

        try:
            fragment = lxml.html.fromstring(f"<html><body>{markup}</body></html>")
        except (ValueError, TypeError):
            return out
        for link in _find(fragment, base_url, internal_hosts, words):
            link.via = f"脚本写入（{link.via}）"
            out.append(link)
    return out


def _find(doc, base_url: str, internal_hosts: Iterable[str], words: WordList | None) -> list[HiddenLink]:
    words = words or _default_words()
    internal = {h.lower() for h in internal_hosts} | {(urlsplit(base_url).hostname or "").lower()}
    return _hidden_internal_word_links(doc, base_url, internal, words) + _hidden_external_links(doc, base_url, internal, words)


def _hidden_internal_word_links(doc, base_url: str, internal: set[str], words: WordList) -> list[HiddenLink]:
    """Links to pages on the site's own host that an inline style (or ``hidden``) hides and
    whose text, title or URL holds a word of the list: a hacked site often hosts the gambling
    pages it hides links to (/ad/xxx.html). Only inline hiding, never inside a menu, tab or
    script-toggled block (a hidden drop-down may well link 打击赌博 news): a miss beats a
    false veto."""
    out: list[HiddenLink] = []
    script_text = None
    seen: set = set()
    for el in doc.xpath("//*[@style or @hidden]"):
        style = el.get("style") or ""
        if el.get("hidden") is None and not _MAY_HIDE.search(style):
            continue  # width:100px; float:left … (most styled elements): nothing to parse
        technique = "hidden 属性" if el.get("hidden") is not None else _hiding(declarations(style))
        if not technique or any(a in seen for a in el.iterancestors()):
            continue  # not hidden, or inside a hidden block already judged (its links once)
        seen.add(el)
        anchors = [a for a in el.iter("a", "area") if a.get("href")]
        if not anchors:
            continue
        if not words.may_match(unquote(el.text_content() + " ".join(a.get("href") + (a.get("title") or "") for a in anchors))):
            continue  # the hidden block holds no word of the list
        if script_text is None:
            script_text = "\n".join(s.text or "" for s in doc.iter("script"))
        if any(_interactive(n, script_text) for n in (el, el.getparent()) if n is not None):
            continue
        for a in anchors:
            href = a.get("href").strip()
            target = _http_target(base_url, href)
            if href.startswith("#") or target is None or not _host_internal(target[1], internal):
                continue  # links to other hosts are judged by _hidden_external_links
            url = target[0]
            anchor = re.sub(r"\s+", " ", a.text_content() or "").strip()
            matched = words.matches(anchor, a.get("title") or "", unquote(url))
            if matched and not _GOVERNMENT_CONTEXT.search(anchor + " " + (a.get("title") or "")):
                out.append(HiddenLink(url, anchor[:100], technique, "行内样式" if el.get("style") else "元素属性",
                                      matched, "veto"))
    return out


def _hidden_external_links(doc, base_url: str, internal: set[str], words: WordList) -> list[HiddenLink]:
    candidates = _external_anchors(doc, base_url, internal)
    if not candidates:
        return []  # most pages' links stay on the site: nothing can be 暗链
    chain = _Chain(a for a, _, _ in candidates)
    hidden: dict[object, tuple[str, str]] = {}        # element -> (technique, via)
    revealed: set[object] = set()
    colour: dict[object, str] = {}
    background: dict[object, str] = {}
    inline_visible: dict[object, set[str]] = {}

    for el in doc.xpath("//*[@style or @hidden]"):
        if el.get("hidden") is not None:
            hidden[el] = ("hidden 属性", "元素属性")
        style = el.get("style")
        if style:
            d = declarations(style)
            inline_visible[el] = {k for k, v in d.items() if k in ("display", "visibility") and v not in ("none", "hidden", "collapse")}
            tech = _hiding(d)
            if tech:
                hidden[el] = (tech, "行内样式")
            if _colour(d.get("color")):
                colour[el] = _colour(d.get("color"))
            if _background(d):
                background[el] = _background(d)

    css = "\n".join(s.text or "" for s in doc.iter("style"))
    script_text = "\n".join(s.text or "" for s in doc.iter("script"))
    for selectors, d, tech, shows, col, bg in _style_rules(css):
        for sel in selectors:
            if not sel:
                continue
            if _REVEAL_STATES.search(sel):
                if shows:
                    base = _REVEAL_STATES.sub("", sel).strip()
                    xp = _xpath(base) if base and not base.endswith((">", "+", "~")) and chain.could_match(base) else None
                    if xp:
                        revealed.update(doc.xpath(xp))
                continue
            if "::" in sel or re.search(r":(?:before|after)\b", sel):
                continue
            if not (tech or col or bg) or not chain.could_match(sel):
                continue
            xp = _xpath(sel)
            if not xp:
                continue
            for el in doc.xpath(xp):
                if tech and el not in hidden and not (inline_visible.get(el, set()) & set(d)):
                    hidden[el] = (tech, f"页面样式 {sel}")
                if col and el not in colour:
                    colour[el] = col
                if bg and el not in background:
                    background[el] = bg

    out: list[HiddenLink] = []
    if not hidden and not (colour and background):
        return out  # most pages: nothing hidden, no colours to compare
    for a, url, host in candidates:
        anchor = re.sub(r"\s+", " ", a.text_content() or "").strip()
        found = None
        node, interactive = a, False
        while node is not None:
            if node in revealed:
                interactive = True
            if node in hidden and found is None:
                found = (node, *hidden[node])
            node = node.getparent()
        if found is None:
            found = _colour_hidden(a, colour, background)
        if found is None:
            continue
        holder, technique, via = found
        matched = words.matches(anchor, a.get("title") or "", unquote(url))
        trusted = any(host == s.lstrip(".") or host.endswith(s if s.startswith(".") else "." + s)
                      for s in words.trusted_suffixes)
        if matched and trusted and _GOVERNMENT_CONTEXT.search(anchor + " " + (a.get("title") or "")):
            continue  # a government host's 中国福利彩票 / 打击赌博 page in a hidden drop-down of sister sites
        if not matched:
            if trusted:
                continue
            if technique in ("display:none", "visibility:hidden", "hidden 属性") and (
                    interactive or any(_interactive(n, script_text) for n in (holder, holder.getparent()) if n is not None)):
                continue
        out.append(HiddenLink(url, anchor[:100], technique, via, matched, "veto" if matched else "high"))
    return out


def _external_anchors(doc, base_url: str, internal: set[str]) -> list[tuple[object, str, str]]:
    """(element, absolute URL, host) of the page's links to other hosts."""
    out = []
    for a in doc.iter("a", "area"):
        href = (a.get("href") or "").strip()
        if not href.lower().startswith(("http:", "https:", "//")):
            continue  # relative links stay on the page's own host
        target = _http_target(base_url, href)
        if target is None or _host_internal(target[1], internal):
            continue
        out.append((a, *target))
    return out


def _http_target(base_url: str, href: str) -> tuple[str, str] | None:
    """(absolute URL, lower-cased host) of an http(s) link; None for anything else."""
    try:
        url = urljoin(base_url, href)
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    return (url, host) if parts.scheme in ("http", "https") and host else None


_LAST_COMPOUND = re.compile(r"[^\s>+~]+$")


class _Chain:
    """Tags, classes and ids of the candidate links and their ancestors: a rule whose rightmost
    compound selector names anything else cannot hide or colour them, and is never evaluated
    (real pages carry hundreds of template rules; evaluating each over the tree was most of the
    cost)."""

    def __init__(self, anchors: Iterable[object]) -> None:
        self.tags: set[str] = {"*"}
        self.classes: set[str] = set()
        self.ids: set[str] = set()
        seen: set[object] = set()
        for a in anchors:
            for el in [a, *a.iterancestors()]:
                if el in seen:
                    break
                seen.add(el)
                if isinstance(el.tag, str):
                    self.tags.add(el.tag.lower())
                self.classes.update((el.get("class") or "").split())
                if el.get("id"):
                    self.ids.add(el.get("id"))

    def could_match(self, selector: str) -> bool:
        m = _LAST_COMPOUND.search(selector.strip())
        if not m:
            return True
        last = m.group()
        if "[" in last or ":" in last or "\\" in last:
            return True  # attribute or pseudo selectors: evaluate them
        tag = re.match(r"^[A-Za-z][\w-]*|^\*", last)
        if tag and tag.group().lower() not in self.tags:
            return False
        if any(c not in self.classes for c in re.findall(r"\.([\w-]+)", last)):
            return False
        return all(i in self.ids for i in re.findall(r"#([\w-]+)", last))


def _colour_hidden(a, colour: dict, background: dict):
    """Text colour equal to the nearest background colour (both explicitly set)."""
    fg = next((colour[n] for n in [a, *a.iterancestors()] if n in colour), None)
    holder = next((n for n in [a, *a.iterancestors()] if n in background), None)
    if fg is None or holder is None:
        return None
    if fg == "transparent" or fg == background[holder]:
        return (holder, f"文字颜色与背景相同（{fg}）", "页面样式或行内样式")
    return None
