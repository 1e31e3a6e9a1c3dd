"""搜索功能 (功能设计): the home page offers no site search, or its search does not find an article the
site has published (crawler/search_probe.py submits the form once per crawl, as the GET or POST
the form defines, with a recent title). A script-only search, an ASP.NET page postback, and a POST
answered by a page that neither lists the article nor says 无结果 are `info` prompts (需人工核实);
a run without ``stats.search`` (older runs, distributed runs) gets no finding."""
from __future__ import annotations

import json
from typing import Iterable

from .crawl import Crawl
from .spec import CheckSpec
from .wording import fixed


def run(crawl: Crawl) -> Iterable[dict]:
    stats = crawl.run.get("stats")
    stats = json.loads(stats) if isinstance(stats, str) and stats else (stats or {})
    search = stats.get("search")
    if not isinstance(search, dict) or not search.get("status"):
        return
    home = crawl.run["start_url"]
    status = search["status"]
    detail = search.get("detail") or ""
    if status == "no_form":
        yield {"url": home, "found_on": [home], "severity": "medium",
               "detail": f"首页未提供站内搜索（{detail}）" if detail else "首页未提供站内搜索", "data": search}
    elif status in ("not_found", "error"):
        code = search.get("http_status")
        yield {"url": home, "found_on": [home], "severity": "medium",
               "detail": (f"站内搜索搜不到本站已发布的信息：搜索“{search.get('query', '')}”"
                          f"（{search.get('query_url', '')}，HTTP {code if code is not None else '无响应'}），{detail}"),
               "data": search}
    elif status == "unchecked":
        yield {"url": home, "found_on": [home], "severity": "info",
               "detail": f"站内搜索未自动检查：{detail}（需人工核实）", "data": search}


CHECK = CheckSpec(
    id="search_broken", title="搜索功能不可用", run=run, order=135,
    hint="首页无站内搜索，或提交首页搜索表单（GET 或 POST）搜不到本站近期发布的信息；脚本搜索、ASP.NET 页面回发为提示（需人工核实）。",
    where=fixed("站内搜索"), summary=lambda items: "搜索功能不可用",
)
