"""The home page's marks (crawler/site_marks.py facts), read once for the 功能设计 checks.

Forwarding start pages make several pages "home": the one that carries marks (or, failing that,
the most content) is the home page a visitor sees.
"""
from __future__ import annotations

from typing import Any

from .crawl import Crawl


def home_marks(crawl: Crawl) -> tuple[dict[str, Any] | None, str]:
    """(marks, home url); marks is None when the crawl holds no readable home page or predates marks."""
    homes = list(crawl.pages(where="is_home = 1"))
    with_marks = [p for p in homes if isinstance(p["facts"].get("marks"), dict)]
    if not with_marks:
        return None, crawl.home_url
    best = max(with_marks, key=lambda p: (sum(1 for v in p["facts"]["marks"].values() if v), p["facts"].get("text_len", 0)))
    return best["facts"]["marks"], best["url"]
