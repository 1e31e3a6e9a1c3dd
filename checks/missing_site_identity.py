"""域名及网站标识: the home page must show 网站标识码, ICP备案编号 and 公安机关备案号, and carry the
党政机关网站标识 (《政府网站发展指引》国办发〔2017〕47号; 2019 indicators, 功能设计 · 域名及网站标识).

One finding per missing mark. Marks written by a footer script are looked for in the raw HTML too
(crawler/site_marks.py); a home page that could not be read is not judged here."""
from __future__ import annotations

from typing import Iterable

from .crawl import Crawl
from .spec import CheckSpec
from .wording import fixed
from .site_identity_common import home_marks


MARKS = {
    "site_code": ("网站标识码", "首页底部未标注网站标识码（或 SiteIDCode 标识）"),
    "icp": ("ICP备案编号", "首页底部未标注ICP备案编号"),
    "police": ("公安机关备案号", "首页底部未标注公安机关备案号"),
    "party_badge": ("党政机关网站标识", "首页未加注党政机关网站标识（链接至 bszs.conac.cn 的标识）"),
}
NOTE = "（首页页脚可能由外部脚本或框架加载，未能读取，需人工核实）"
RULE = "依据《政府网站发展指引》（国办发〔2017〕47号）：网站首页底部应标注网站标识码、ICP备案编号、公安机关备案号，并加注党政机关网站标识"


def run(crawl: Crawl) -> Iterable[dict]:
    marks, home = home_marks(crawl)
    if marks is None:
        return
    for key, (name, text) in MARKS.items():
        if marks.get(key):
            continue
        unsure = bool(marks.get("footer_elsewhere"))
        note = NOTE if unsure else ""
        if key == "party_badge" and marks.get("party_badge_image"):
            unsure = True
            text = "首页有党政机关网站标识图片，但未链接至 bszs.conac.cn 的标识核验页面"
            note = "（可能为本地图片代替了统一发放的标识，需人工核实）"
        # data.rule keeps each missing mark a problem of its own (finding.identity_of): two marks
        # missing on one home page are two rows of the list and two histories, not one.
        yield {"url": home, "found_on": [home], "severity": "info" if unsure else "medium",
               "detail": f"{text}。{RULE}" + note,
               "data": {"mark": key, "name": name, "rule": key}}


CHECK = CheckSpec(
    id="missing_site_identity", title="网站标识不规范", run=run, order=120,
    hint="首页底部未标注网站标识码、ICP备案编号、公安机关备案号，或未加注党政机关网站标识。",
    where=fixed("网站首页底部"),
    summary=lambda items: "首页未标注" + "、".join(f["data"]["name"] for f in items),
)
