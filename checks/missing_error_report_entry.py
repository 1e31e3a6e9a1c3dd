"""找错入口: the home page must carry the national "我为政府网站找错" entry (a link to, or the script of,
zfwzgl.www.gov.cn, or its earlier address zfwzzc.www.gov.cn; 2019 indicators, 功能设计)."""
from __future__ import annotations

from typing import Iterable

from .crawl import Crawl
from .spec import CheckSpec
from .wording import fixed
from .site_identity_common import home_marks



def run(crawl: Crawl) -> Iterable[dict]:
    marks, home = home_marks(crawl)
    if marks is None or marks.get("error_entry"):
        return
    yield {"url": home, "found_on": [home], "severity": "info" if marks.get("footer_elsewhere") else "medium",
           "detail": "首页未设置“我为政府网站找错”入口（链接至全国政府网站找错平台 zfwzgl.www.gov.cn）"
                     + ("（首页页脚可能由外部脚本或框架加载，未能读取，需人工核实）" if marks.get("footer_elsewhere") else ""),
           "data": {}}


CHECK = CheckSpec(
    id="missing_error_report_entry", title="未设置找错入口", run=run, order=125,
    hint="首页未设置“我为政府网站找错”入口。",
    where=fixed("网站首页"), summary=lambda items: "首页未设置“我为政府网站找错”入口",
)
