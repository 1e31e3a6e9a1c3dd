"""政策解读缺失: a policy document that needs an interpretation and has none by any path.

Documents whose interpretation box is filled by script (TRS trt_ templates load 文字解读/
图片解读 by AJAX) cannot be judged from the page and are left out, not reported.
"""
from __future__ import annotations

from typing import Iterable

from . import documents_common as dc
from .crawl import Crawl
from .spec import CheckSpec



def run(crawl: Crawl) -> Iterable[dict]:
    docs, interps = dc.analyse(crawl)
    rate = dc.interpretation_rate(docs)
    for d in docs:
        if d.interpretation or not d.needs_interpretation or d.ajax_interpretation:
            continue
        yield {
            "url": d.url,
            "found_on": [d.url],
            "severity": "info" if d.uncertain else "medium",
            "detail": f"{dc.book_title(d.title)}{('（' + d.doc_number + '）') if d.doc_number else ''}未发现对应的政策解读"
                      f"（已比对 {len(interps)} 篇解读：相关链接、标题引用、文号引用）"
                      + (dc.UNCERTAIN_NOTE if d.uncertain else ""),
            "data": d.as_dict() | {"interpretation_rate": rate},
        }


CHECK = CheckSpec(
    id="missing_interpretation", title="政策文件缺少解读", run=run, order=90,
    hint="需解读的政策文件没有任何途径匹配到解读。",
)
