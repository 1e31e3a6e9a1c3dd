"""Work budgets: how much one page, one host or one config may make the crawl do.

Each budget, when hit, is counted in the crawler stats as ``govaudit/budget/<name>`` (so the
run's stats keep it) and named in the report by :func:`budget_note`: a bounded crawl must say
that it was bounded, or a missing finding reads as "no problem".
"""
from __future__ import annotations

#: setting → (stats name, default, what the report says was cut short)
BUDGETS: dict[str, tuple[str, int, str]] = {
    "GOVAUDIT_MAX_LINKS_PER_PAGE": ("links_per_page", 5000, "单个页面链接数超过上限，超出部分未检查"),
    "GOVAUDIT_MAX_CHECKS": ("checks", 50000, "本次检查的链接数达到上限，其余链接未检查"),
    "GOVAUDIT_MAX_LIST_PAGES": ("list_pages", 300, "栏目分页数超过上限，其余分页未抓取"),
    "GOVAUDIT_MAX_HOST_FAILURES": ("host_failures", 3, "部分主机多次访问失败，其余链接按该主机状态报告、未再访问"),
    "GOVAUDIT_MAX_ROBOTS_BYTES": ("robots_size", 512 * 1024, "robots.txt 超过大小上限，按未设限制处理"),
    "GOVAUDIT_MAX_QUERY_VARIANTS": ("query_variants", 50, "同一路径的查询参数组合过多（疑似陷阱），超出部分未检查"),
    "GOVAUDIT_MAX_PAGES": ("pages", 20000, "本站页面数达到上限，其余页面只检查链接、未解析"),
    "GOVAUDIT_RENDER_BUDGET": ("render_pages", 100, "由脚本加载内容的页面超过渲染上限，其余页面未渲染（标注需人工核实）"),
}


def limit(settings, setting: str) -> int:
    return settings.getint(setting, BUDGETS[setting][1])


def hit(stats, setting: str, n: int = 1) -> None:
    """Count one budget hit in the crawler stats."""
    if stats is not None:
        stats.inc_value(f"govaudit/budget/{BUDGETS[setting][0]}", n)


def hits(scrapy_stats: dict | None) -> dict[str, int]:
    """{stats name: hits} from a finished crawl's stats."""
    prefix = "govaudit/budget/"
    return {k[len(prefix):]: int(v) for k, v in (scrapy_stats or {}).items() if k.startswith(prefix) and v}


def budget_note(scrapy_stats: dict | None) -> str | None:
    """One Chinese sentence for the report naming every budget that was hit, or None."""
    found = hits(scrapy_stats)
    if not found:
        return None
    parts = [f"{text}（{found[name]} 次）" for name, _default, text in BUDGETS.values() if name in found]
    return "本次检查触及工作量上限：" + "；".join(parts) + "。"
