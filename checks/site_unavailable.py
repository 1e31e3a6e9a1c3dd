"""站点无法访问 (2019 单项否决 1): ≥ 5 % of the week's home-page probes failed to open within 15 s.

Measured by `govaudit probe` over the seven days before the as-of date, not by the crawl: a site that
was down once during the crawl is `site_unreachable`; this one is the rule's own measure.
"""
from __future__ import annotations

from typing import Iterable

from govaudit import availability as av

from .availability_common import week
from .crawl import Crawl
from .spec import CheckSpec
from .wording import fixed



def run(crawl: Crawl) -> Iterable[dict]:
    a = week(crawl)
    f = av.finding(a, crawl.run["start_url"])
    if f and f["check"] == CHECK.id:
        yield f


CHECK = CheckSpec(
    id="site_unavailable", title="站点无法访问（监测1周）", run=run, order=11, veto=True,
    hint="按 govaudit probe 的监测记录，基准日前 7 天首页超过 15 秒仍打不开的次数占比 ≥ 5%；`veto`。",
    where=fixed("网站首页（可用性监测）"),
    summary=lambda items: f"首页一周内无法打开的次数占比{items[0]['data']['ratio_text']}",
)
