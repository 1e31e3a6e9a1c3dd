"""已过有效期仍标注有效: marked valid, but its 有效期至 date (or the end of its printed 有效期
range, or a date in the validity value itself, or — with no such field — the end its own text
states: "本办法自2024年6月20日起施行，有效期2年") has passed on the as-of date."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from govaudit.crawler.docmeta import validity_core

from . import documents_common as dc
from .crawl import Crawl
from .spec import CheckSpec



def run(crawl: Crawl) -> Iterable[dict]:
    docs, _ = dc.analyse(crawl)
    valid = {validity_core(v) for v in crawl.setting("documents", "valid_values") or ["有效", "现行有效", "全文有效"]}
    for d in docs:
        # "有效（2025年12月31日前）" is marked 有效 as much as "有效" is.
        if not d.valid_until or validity_core(d.validity or "") not in valid:
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
                "detail": f"{dc.book_title(d.title)}{'正文规定' if d.valid_until_from == 'text' else ''}有效期至 {until.isoformat()}，"
                          f"至 {crawl.as_of.isoformat()} 已过期，但仍标注“{d.validity}”",
                "data": d.as_dict(),
            }


CHECK = CheckSpec(
    id="expired_still_valid", title="已过有效期仍标注有效", run=run, order=80,
    hint="标注“有效”但“有效期至”已过。",
)
