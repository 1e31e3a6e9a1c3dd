"""可用性预警: ≥ 3 % (below the 5 % veto) of the week's home-page probes failed — a warning to act on,
as the commercial monitors give it, not a deduction."""
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
    id="availability_warning", title="网站可用性预警", run=run, order=115,
    hint="基准日前 7 天首页无法打开的次数占比 ≥ 3% 且 < 5%（提示）。",
    where=fixed("网站首页（可用性监测）"),
    summary=lambda items: f"首页一周内无法打开的次数占比{items[0]['data']['ratio_text']}，已达3%预警线",
)
