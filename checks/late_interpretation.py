"""政策解读发布滞后: an interpretation published more than 3 working days after its document
(三同步; domain.md §5). Weekends and configured holidays are not working days."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from govaudit.workdays import working_days_between

from . import documents_common as dc
from .crawl import Crawl
from .spec import CheckSpec



def run(crawl: Crawl) -> Iterable[dict]:
    docs, _ = dc.analyse(crawl)
    limit = int(crawl.setting("documents", "late_working_days", default=3))
    holidays = crawl.setting("documents", "holidays", default=[]) or []
    workdays = crawl.setting("documents", "workdays", default=[]) or []
    for d in docs:
        if not (d.interpretation and d.interpretation_date and d.pub_date):
            continue
        try:
            published, explained = date.fromisoformat(d.pub_date[:10]), date.fromisoformat(d.interpretation_date[:10])
        except ValueError:
            continue
        late = working_days_between(published, explained, holidays, workdays)
        if late > limit:
            yield {
                "url": d.url,
                "found_on": [d.interpretation],
                "severity": "low",
                "detail": f"{dc.book_title(d.title)}发布于 {published.isoformat()}，解读发布于 {explained.isoformat()}，"
                          f"间隔 {late} 个工作日，超过 {limit} 个工作日的要求",
                "data": d.as_dict() | {"working_days": late},
            }


CHECK = CheckSpec(
    id="late_interpretation", title="政策解读发布滞后", run=run, order=100,
    hint="解读晚于文件 3 个工作日以上（“三同步”）。",
)
