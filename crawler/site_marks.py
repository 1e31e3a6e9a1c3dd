"""The marks a government site must carry on its home page (功能设计: 域名及网站标识, 找错入口, 搜索).

网站标识码 (``<meta name="SiteIDCode">`` or "网站标识码：…" in the footer; 10 or 12 letters/digits such as
``1300000065`` or ``bm01000001``), ICP备案编号, 公安机关备案号, the 党政机关网站标识 badge (a link to the
identification service bszs.conac.cn, usually an image), the national "我为政府网站找错" entry (a link
to zfwzgl.www.gov.cn, or its jiucuo.js script), and the site search form.

Footers are often written by a script (document.write, an included footer.js): the marks are looked
for in the raw HTML as well as the visible text, so a footer written by a script still counts — a
missing mark is an accusation, and the raw page is the most the static crawl can see.
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

SITE_CODE_TEXT = re.compile(r"网站标识码[\s:：　]{0,6}(?:<[^>]{0,80}>){0,3}\s*([A-Za-z]{0,2}\d{8,12})")
SITE_CODE_VALUE = re.compile(r"^[A-Za-z0-9]{10}$|^[A-Za-z0-9]{12}$")
ICP = re.compile(r"[\u4e00-\u9fa5]{1,2}ICP[备证]\s?\d{6,10}号?(?:-\d{1,3})?")
POLICE = re.compile(r"[\u4e00-\u9fa5]{1,2}公网安备\s?\d{10,16}号?")
# Looser forms, looked for in the visible text when the usual one is not in the page: a missing
# mark is an accusation, so a number written unusually ("ICP备案号：11002306号", "公安备案号 …")
# still counts as shown.
ICP_LOOSE = re.compile(r"ICP[^0-9<>\n]{0,12}\d{6,}[^\s，。|]{0,8}")
POLICE_LOOSE = re.compile(r"(?:公网安备|公安(?:机关)?备案)[^0-9<>\n]{0,12}\d{8,}号?")
SITE_CODE_LOOSE = re.compile(r"网站标识码[^A-Za-z0-9<>\n]{0,6}([A-Za-z]{0,2}\d{8,12})")
BADGE_HOST = re.compile(r"//bszs\.conac\.cn/|//(?:www\.)?conac\.cn/", re.I)
# The badge as real footers carry it: a link to bszs.conac.cn, the dcs.conac.cn script (often
# written by document.write(unescape(…)), so "%2F" may stand for "/"), or its span/img ids.
BADGE_TRACE = re.compile(r"[/.]conac\.cn(?=[/'\"%?:\\]|$)|_ideConac|imgConac", re.I)
# The platform (zfwzgl …/exposure/), and its earlier address that older footers still link
# (zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?websiteCode=…).
ERROR_ENTRY = re.compile(r"//zfwzgl\.www\.gov\.cn/exposure/|//zfwzzc\.www\.gov\.cn/", re.I)
# The 找错 entry as real footers carry it: the national script or its local copy (_jiucuo_,
# jiucuo.js), its button (_span_jiucuo, jiucuo.png with onclick="Link('sitecode')"), the platform.
ERROR_TRACE = re.compile(r"zfwz(?:gl|zc)\.www\.gov\.cn|_jiucuo_|_span_jiucuo|[/_.]jiucuo\.(?:js|png|gif|jpg|html)", re.I)
ERROR_TEXT = "政府网站找错"  # 我为政府网站找错, or the button picture's alt 政府网站找错
SEARCH_WORDS = ("搜索", "检索", "search", "query", "keyword", "q", "searchword", "sw", "wd", "kw", "key")


def site_marks(doc: Any, raw: str, base_url: str) -> dict[str, Any]:
    """The marks found on one page (usually the home page); absent marks are None/empty."""
    meta = {(m.get("name") or "").strip().lower(): (m.get("content") or "").strip() for m in doc.iter("meta")}
    code, source = None, None
    if SITE_CODE_VALUE.match(meta.get("siteidcode", "")):
        code, source = meta["siteidcode"], "meta"
    else:
        m = SITE_CODE_TEXT.search(raw)
        if m and SITE_CODE_VALUE.match(m.group(1)):
            code, source = m.group(1), "text"
    badge = error = None
    for el in doc.iter("a", "script", "img", "iframe"):
        ref = el.get("href") or el.get("src") or ""
        if not badge and BADGE_HOST.search(ref):
            badge = urljoin(base_url, ref.strip())
        if not error and ERROR_ENTRY.search(ref):
            error = urljoin(base_url, ref.strip())
        if not error and el.tag == "script" and (el.get("id") == "_jiucuo_" or ref.strip().endswith("/jiucuo.js")):
            # The national snippet (<script id="_jiucuo_" sitecode=… src=…/jiucuo.js>), also when the
            # site serves its own copy of jiucuo.js: it draws the 找错 button either way.
            error = urljoin(base_url, ref.strip()) if ref.strip() else "（页面脚本中）"
        if not error and el.tag == "a" and ERROR_TEXT in "".join(
                [el.text_content() or "", el.get("title") or "", *(i.get("alt") or "" for i in el.iter("img"))]).replace(" ", ""):
            error = urljoin(base_url, (el.get("href") or "").strip())
    if not badge and BADGE_TRACE.search(raw):  # inside a script-written footer (covers BADGE_HOST)
        badge = "（页面脚本中）"
    # A picture of the badge without the conac link (a local copy): shown, but not the issued
    # badge that links to its verification page — a question for a person, not an accusation.
    badge_image = None if badge else next(
        (urljoin(base_url, (img.get("src") or "").strip()) for img in doc.iter("img")
         if "党政机关" in (img.get("alt") or "") + (img.get("title") or "")), None)
    if not error and ERROR_TRACE.search(raw):  # covers ERROR_ENTRY
        error = "（页面脚本中）"
    icp = ICP.search(raw)
    police = POLICE.search(raw)
    if not (icp and police and code):
        text = re.sub(r"[\s\xa0\u3000]+", " ", doc.text_content())
        icp = icp or ICP_LOOSE.search(text)
        police = police or POLICE_LOOSE.search(text)
        if not code:
            m = SITE_CODE_LOOSE.search(text)
            if m and SITE_CODE_VALUE.match(m.group(1)):
                code, source = m.group(1), "text"
    return {
        "site_code": code, "site_code_source": source,
        "icp": re.sub(r"\s", "", icp.group(0)) if icp else None,
        "police": re.sub(r"\s", "", police.group(0)) if police else None,
        "party_badge": badge, "party_badge_image": badge_image, "error_entry": error,
        "search_forms": search_forms(doc, base_url),
        "footer_elsewhere": footer_elsewhere(doc),
    }


FOOTER_SOURCE = re.compile(r"foot|bottom|copyright|banquan|include|common|public|(?:^|/)(?:wb|dbxx|db)\.", re.I)


def footer_elsewhere(doc: Any) -> bool:
    """Whether the page may take its footer from another file (an external script, an iframe, an
    SSI-style loader): then a mark the static page lacks may still be shown, and a person checks."""
    for el in doc.iter("script", "iframe"):
        src = (el.get("src") or "").strip()
        if el.tag == "iframe" and src:
            return True
        if src and FOOTER_SOURCE.search(src):
            return True
    for el in doc.iter("script"):
        code = el.text or ""
        if ".load(" in code and FOOTER_SOURCE.search(code):
            return True
    return False


def search_forms(doc: Any, base_url: str) -> list[dict[str, Any]]:
    """Forms a visitor searches with: one text field (the query) plus hidden fields sent as they are.

    GET and POST forms are recorded, with the form's named submit button (sent as a browser sends
    the button clicked) and whether it is an ASP.NET WebForms page form (``__VIEWSTATE``: the whole
    page posts back, and what the search button does cannot be told from the markup)."""
    out = []
    for form in doc.iter("form"):
        texts = [i for i in form.iter("input") if (i.get("type") or "text").lower() in ("text", "search")]
        if not texts:
            continue
        hint = " ".join(filter(None, [form.get("action"), form.get("id"), form.get("name"), form.get("class"),
                                      *(t.get("name") or "" for t in texts), *(t.get("placeholder") or "" for t in texts)]))
        if not any(w in hint.lower() for w in SEARCH_WORDS) and "搜" not in (form.text_content() or ""):
            continue
        query = texts[0].get("name")
        if not query:
            continue
        hidden = {i.get("name"): i.get("value") or "" for i in form.iter("input")
                  if (i.get("type") or "").lower() == "hidden" and i.get("name")}
        submit = next(((b.get("name"), b.get("value") or "") for b in form.iter("input", "button")
                       if (b.get("type") or ("submit" if b.tag == "button" else "")).lower() in ("submit", "image")
                       and b.get("name")), None)
        out.append({"action": urljoin(base_url, (form.get("action") or "").strip()) or base_url,
                    "method": (form.get("method") or "get").lower(), "query": query, "hidden": hidden,
                    "submit": list(submit) if submit else None, "webforms": "__VIEWSTATE" in hidden})
    return out
