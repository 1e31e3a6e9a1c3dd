"""规范性文件未标注有效性: a counted policy document whose page does not mark its validity.

Unmarked means: no 有效性/时效性/效力状态 field, or an empty one (nothing, or a placeholder
such as 无 / —). A value we cannot read (待定, a typo, a wording not in the configurable set
``documents.validity_values``) may be a marking we have not seen yet: it is reported at
severity info for a manual look, never as a missing marking — a false accusation in a
通报 is worse than a miss. Values are compared without spacing, bracketed remarks and a
leading 已 (已废止 = 废止, 有效（2027年12月31日前） = 有效).
"""
from __future__ import annotations

from typing import Iterable

from govaudit.crawler.docmeta import validity_status

from . import documents_common as dc
from .crawl import Crawl
from .spec import CheckSpec

WHAT = {"missing": "页面未标注有效性", "empty": "有效性字段为空"}
UNKNOWN_NOTE = "有效性取值无法识别，请人工核实"


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
            "severity": "info" if status == "unknown" or d.uncertain else "medium",
            "detail": f"{dc.book_title(d.title)}{('（' + d.doc_number + '）') if d.doc_number else ''}"
                      + (f"有效性取值为“{d.validity}”，{UNKNOWN_NOTE}" if status == "unknown"
                         else WHAT[status] + (dc.UNCERTAIN_NOTE if d.uncertain else "")),
            "data": d.as_dict() | {"validity_status": status},
        }


CHECK = CheckSpec(
    id="missing_validity", title="规范性文件未标注有效性", run=run, order=70,
    hint="政策文件页面无有效性字段或字段为空；取值无法识别的仅提示人工核实。",
)
