"""One page of charts for the month: problems by type, by site, and the trend over months.

Rendered with matplotlib's Agg backend (no display on a server) to PNG, saved beside the
notice and embedded in the HTML notice as base64. Chinese labels need a CJK font: a known one
is looked up, then font files on the system are scanned (the font cache may predate an
installed fonts-noto-cjk). `make system-deps` installs fonts-noto-cjk on Debian/Ubuntu.
"""
from __future__ import annotations

import io
import re
import warnings
from collections import Counter
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from govaudit.history import SiteMonth, problem_title  # noqa: E402
from govaudit.workdays import cn_month  # noqa: E402

CJK_FAMILIES = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                "SimHei", "Microsoft YaHei", "Noto Serif CJK SC", "AR PL UMing CN", "Droid Sans Fallback"]
_CJK_FILE = re.compile(r"NotoSansCJK|NotoSerifCJK|SourceHan|wqy|WenQuanYi|simhei|msyh|DroidSansFallback|uming", re.I)
MAX_SITES = 15


_HEAVY = re.compile(r"Bold|Black|Heavy|Medium|Light|Thin|ExtraLight|DemiLight|SemiBold", re.I)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed CJK font in its regular weight, or None (labels would then
    show as boxes).

    The font files are registered by path, the regular face first: matplotlib's cache often lists
    only the bold .ttc of Noto CJK under the family name, and then picks bold with a ``findfont``
    warning for every label.
    """
    paths = [p for p in font_manager.findSystemFonts() if _CJK_FILE.search(p) and not _HEAVY.search(Path(p).name)]
    paths.sort(key=lambda p: ("Sans" not in p, "Regular" not in p, p))
    for path in paths:
        try:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
        except Exception:  # a broken font file must not stop the monthly run
            continue
    names = {f.name for f in font_manager.fontManager.ttflist if f.weight in (400, "normal", "regular")}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    warnings.warn("未找到中文字体，统计图中的中文可能无法显示；请安装 fonts-noto-cjk（make system-deps）", stacklevel=2)
    return None


def _short(text: str, n: int = 14) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def summary_chart(report: list[SiteMonth], trend: list[dict], month: str) -> bytes:
    """The month's one-page chart as PNG bytes (A4 landscape)."""
    family = cjk_font()
    rc = {"font.family": [family, "sans-serif"] if family else ["sans-serif"], "axes.unicode_minus": False}
    with plt.rc_context(rc):
        fig = plt.figure(figsize=(11.69, 8.27), dpi=100, layout="constrained")
        grid = fig.add_gridspec(2, 2, height_ratios=[1.2, 1])
        fig.suptitle(f"{cn_month(month)}政府网站检查情况（{len(report)} 个网站）", fontsize=16)
        types: Counter = Counter()
        for sm in report:
            types.update(sm.counts())
        order = [c for c, _ in types.most_common()]
        colors = {c: plt.get_cmap("tab10")(i % 10) for i, c in enumerate(order)}

        ax = fig.add_subplot(grid[0, 0])
        ax.set_title("问题类型分布")
        if order:
            labels = [problem_title(c) for c in order][::-1]
            values = [types[c] for c in order][::-1]
            bars = ax.barh(labels, values, color=[colors[c] for c in order][::-1])
            ax.bar_label(bars, padding=2)
            ax.set_xlabel("问题数（个）")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        else:
            ax.text(0.5, 0.5, "未发现问题", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()

        ax = fig.add_subplot(grid[0, 1])
        ax.set_title("各网站问题数" + (f"（前 {MAX_SITES} 个）" if len(report) > MAX_SITES else ""))
        worst = sorted(report, key=lambda s: (-len(s.problems), s.name))[:MAX_SITES][::-1]
        names = [_short(s.name) + ("（否决）" if s.veto else "") for s in worst]
        left = [0] * len(worst)
        for c in order:
            vals = [s.counts().get(c, 0) for s in worst]
            ax.barh(names, vals, left=left, color=colors[c], label=problem_title(c))
            left = [a + b for a, b in zip(left, vals)]
        for y, total in enumerate(left):
            ax.text(total, y, f" {total}", va="center", fontsize=9)
        ax.set_xlabel("问题数（个）")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if worst:
            ax.set_xlim(0, max(left) * 1.15 + 1)
        if order:
            ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3, frameon=False)

        ax = fig.add_subplot(grid[1, :])
        ax.set_title("近期变化趋势")
        months = [cn_month(r["month"]) for r in trend]
        x = range(len(trend))
        ax.bar(x, [r["problems"] for r in trend], width=0.5, color="#9DB4D6", label="问题总数")
        ax.plot(x, [r["new"] for r in trend], marker="o", color="#C00000", label="新增")
        ax.plot(x, [r["fixed"] for r in trend], marker="s", color="#2E7D32", label="已整改")
        ax.plot(x, [r["open"] for r in trend], marker="^", color="#E69F00", label="未整改")
        ax.set_xticks(list(x), months)
        ax.set_ylabel("问题数（个）")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=9, ncols=4, loc="upper left")
        for i, r in enumerate(trend):
            ax.annotate(str(r["problems"]), (i, r["problems"]), ha="center", va="bottom", fontsize=9,
                        xytext=(0, 2), textcoords="offset points")
        # A short history must not stretch one bar across the page.
        ax.set_xlim(-0.6, max(len(trend), 6) - 0.4)
        ax.set_ylim(0, max([r["problems"] for r in trend] + [1]) * 1.2)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
    return buf.getvalue()


def write_chart(out_dir: Path, png: bytes, month: str) -> Path:
    path = out_dir / f"{cn_month(month)}检查情况统计图.png"
    path.write_bytes(png)
    return path
