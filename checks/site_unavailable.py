"""站点无法访问 (2019 单项否决 1): ≥ 5 % of the week's home-page probes failed to open within 15 s.

Measured by `govaudit probe` over the seven days before the as-of date, not by the crawl: a site that
was down once during the crawl is `site_unreachable`; this one is the rule's own measure.
"""
from __future__ import annotations

from typing import Iterable

from govaudit import availability as av

from .availability_common import week
from .crawl import Crawl

ID = "site_unavailable"
TITLE = "站点无法访问"


def run(crawl: Crawl) -> Iterable[dict]:
    a = week(crawl)
    f = av.finding(a, crawl.run["start_url"])
    if f and f["check"] == ID:
        yield f
