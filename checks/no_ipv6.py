"""IPv6 (功能设计): the home page's host has no AAAA record, or answers no IPv6 connection. Where the
check could not be made (no IPv6 route on this machine, lookup failed) a `info` note says 未检查."""
from __future__ import annotations

import json
from typing import Iterable

from .crawl import Crawl
from .spec import CheckSpec
from .wording import fixed



def run(crawl: Crawl) -> Iterable[dict]:
    stats = crawl.run.get("stats")
    stats = json.loads(stats) if isinstance(stats, str) and stats else (stats or {})
    ipv6 = stats.get("ipv6")
    if not ipv6:
        return
    home = crawl.run["start_url"]
    if ipv6["status"] in ("no_aaaa", "unreachable"):
        yield {"url": home, "found_on": [home], "severity": "medium",
               "detail": f"网站不支持IPv6访问：{ipv6['detail']}", "data": ipv6}
    elif ipv6["status"] == "unchecked":
        yield {"url": home, "found_on": [home], "severity": "info",
               "detail": f"IPv6 未检查：{ipv6['detail']}（需人工核实）", "data": ipv6}


CHECK = CheckSpec(
    id="no_ipv6", title="不支持IPv6访问", run=run, order=130,
    hint="网站域名无 AAAA 记录或无法通过 IPv6 访问；本机无 IPv6 路由时为“未检查”（提示）。",
    where=fixed("网站域名"), summary=lambda items: "不支持IPv6访问",
)
