"""可用性预警: ≥ 3 % (below the 5 % veto) of the week's home-page probes failed — a warning to act on,
as the commercial monitors give it, not a deduction."""
from __future__ import annotations

from typing import Iterable

from govaudit import availability as av

from .availability_common import week
from .crawl import Crawl

ID = "availability_warning"
TITLE = "网站可用性预警"


def run(crawl: Crawl) -> Iterable[dict]:
    a = week(crawl)
    f = av.finding(a, crawl.run["start_url"])
    if f and f["check"] == ID:
        yield f
