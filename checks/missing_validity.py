"""规范性文件未标注有效性: a counted policy document whose page does not mark its validity.

Unmarked means: no 有效性/时效性 field, an empty one, or a value outside the known set
(domain.md §4; the set is configurable).
"""
from __future__ import annotations

from typing import Iterable

from govaudit.crawler.docmeta import validity_status

from . import documents_common as dc
from .crawl import Crawl
from .spec import CheckSpec

WHAT = {"missing": "页面未标注有效性", "empty": "有效性字段为空", "unknown": "有效性取值“{value}”不在规定范围内"}


def run(crawl: Crawl) -> Iterable[dict]:
    docs, _ = dc.analyse(crawl)
    known = tuple((crawl.setting("documents", "validity_values") or []))
    for d in docs:
        status = validity_status(d.validity, known) if known else validity_status(d.validity)
        if status == "ok":
            continue
        yield {
            "url": d.url,
            "found_on": [d.url],
            "severity": "medium",
            "detail": f"{dc.book_title(d.title)}{('（' + d.doc_number + '）') if d.doc_number else ''}"
                      f"{WHAT[status].format(value=d.validity)}",
            "data": d.as_dict() | {"validity_status": status},
        }


CHECK = CheckSpec(
    id="missing_validity", title="规范性文件未标注有效性", run=run, order=70,
    hint="政策文件页面无有效性字段、字段为空或取值不在规定范围。",
)
