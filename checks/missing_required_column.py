"""必备栏目缺失: the columns a government site must offer (概况信息, 机构职能, 领导信息, 政策文件, 政策解读,
互动交流 channel, 办事服务 entry — 2019 indicators) have no link on the home page and no column of
that name. A home page with hardly any links (navigation built by script) is not judged: the
static crawl cannot see the menu a visitor sees. Even so a column may hide in a drop-down or on a
second-level page, so the finding is a prompt (`info`, 需人工核实), not an accusation; a person's
verdict recorded in sites.yaml (sites[].manual) is what the score sheet counts."""
from __future__ import annotations

from typing import Iterable

from . import columns_common as cc
from .crawl import Crawl
from .spec import CheckSpec
from .wording import fixed



def run(crawl: Crawl) -> Iterable[dict]:
    wanted = dict(crawl.setting("required_columns", default={}) or {})
    min_links = int(wanted.pop("min_home_links", 15))
    if crawl.setting("site", "public_services") is False:
        wanted.pop("办事服务", None)
    home = crawl.home_url
    homes = [p["url"] for p in crawl.pages(where="is_home = 1", fields="url")]
    if not homes:
        return
    marks = ",".join("?" * len(homes))
    anchors = [r["anchor"] or "" for r in crawl.db.query(
        f"SELECT anchor FROM links WHERE run_id = ? AND source IN ({marks})", [crawl.run_id, *homes])]
    if len(anchors) < min_links:
        return
    names = [c.name or "" for c in cc.discover(crawl)]
    texts = [a.replace(" ", "").replace("\u3000", "") for a in anchors] + names
    for column, words in wanted.items():
        words = [str(w) for w in words]
        if any(w in t for t in texts for w in words):
            continue
        yield {"url": home, "found_on": [home], "severity": "info",
               "detail": f"首页链接和已发现的栏目中均未找到“{column}”栏目，需人工核实（栏目可能在下拉菜单、"
                         f"脚本生成的导航或其他页面中）。依据《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）",
               "data": {"column": column, "words": list(words)}}


CHECK = CheckSpec(
    id="missing_required_column", title="必备栏目缺失", run=run, order=65,
    hint="未提供概况信息、机构职能、领导信息、政策文件、政策解读、互动交流或办事服务栏目。",
    where=lambda f: f"“{f['data']['column']}”栏目（网站首页及导航）",
    short=lambda f: f"“{f['data']['column']}”",
    summary=lambda items: "未提供" + "".join(f"“{f['data']['column']}”" for f in items) + "栏目",
)
