"""已过有效期仍标注有效: marked valid, but its 有效期至 date has passed on the as-of date."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from . import documents_common as dc
from .crawl import Crawl
from .spec import CheckSpec



def run(crawl: Crawl) -> Iterable[dict]:
    docs, _ = dc.analyse(crawl)
    valid = set(crawl.setting("documents", "valid_values") or ["有效", "现行有效", "全文有效"])
    for d in docs:
        if not d.valid_until or (d.validity or "").replace(" ", "") not in valid:
            continue
        try:
            until = date.fromisoformat(d.valid_until[:10])
        except ValueError:
            continue
        if until < crawl.as_of:
            yield {
                "url": d.url,
                "found_on": [d.url],
                "severity": "medium",
                "detail": f"{dc.book_title(d.title)}有效期至 {until.isoformat()}，至 {crawl.as_of.isoformat()} 已过期，但仍标注“{d.validity}”",
                "data": d.as_dict(),
            }


CHECK = CheckSpec(
    id="expired_still_valid", title="已过有效期仍标注有效", run=run, order=80,
    hint="标注“有效”但“有效期至”已过。",
)
