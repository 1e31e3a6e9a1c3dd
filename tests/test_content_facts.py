"""crawler/content.py: a page in, its content facts out (no crawl)."""
from __future__ import annotations

import json
from datetime import date

from govaudit.crawler import content as content_mod
from govaudit.crawler.content import ContentOptions, page_content
from govaudit.crawler.listing import parse_html
from govaudit.crawler.text import visible_text

URL = "http://www.qx.gov.cn/col/1/index.html"
AS_OF = date(2026, 11, 21)


def facts(html: str, **kw) -> dict:
    doc = parse_html(html, remove_comments=True)
    return page_content(doc, URL, title=kw.pop("title", ""), meta=kw.pop("meta", {}), breadcrumb=[], text=visible_text(doc),
                        as_of=AS_OF, internal_hosts=["www.qx.gov.cn"], options=ContentOptions(), **kw)


def test_a_plain_page_has_no_content_facts():
    assert facts("<html><body><p>县政府召开常务会议。</p><a href='/a.html'>通知</a></body></html>") == {}


def test_a_list_row_repeating_an_articles_title_points_at_the_article():
    got = facts("<html><body><ul><li><a href='/art/1.html'>学习中国特色社会主意思想</a><span>2026-11-13</span></li></ul>"
                "<p>坚持中国特色社会主意道路不动摇。</p></body></html>")
    links = {h["sentence"]: h.get("link") for h in got["wording"]}
    assert links == {"学习中国特色社会主意思想2026-11-13": "http://www.qx.gov.cn/art/1.html",
                     "坚持中国特色社会主意道路不动摇。": None}


def test_privacy_facts_hold_masked_samples_only():
    rows = "".join(f"<tr><td>居民{i}</td><td>{n}</td></tr>" for i, n in enumerate(["110101199003070011", "110101199003070038"]))
    got = facts(f"<html><body><table><tr><th>姓名</th><th>身份证号码</th></tr>{rows}</table></body></html>",
                title="低保对象名单公示")
    assert [(p["kind"], p["count"]) for p in got["privacy"]] == [("id18", 2)]
    assert "110101199003070011" not in json.dumps(got, ensure_ascii=False)


def test_channels_only_where_asked():
    html = "<html><body><a href='/hdjl/xzxx/'>县长信箱</a><a href='/zxft/'>在线访谈</a></body></html>"
    assert facts(html) == {}
    assert facts(html, with_channels=True) == {"channels": [["县长信箱", "http://www.qx.gov.cn/hdjl/xzxx/"]]}


def test_a_failing_detector_costs_only_its_own_fact(monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("hostile markup")

    monkeypatch.setattr(content_mod.hidden_links, "find_hidden_links", boom)
    got = facts("<html><body><p>县环保局开展检查。</p><div style='display:none'><a href='http://x.com/'>博彩</a></div></body></html>")
    assert "hidden" not in got and got["wording"][0]["wrong"] == "环保局"
