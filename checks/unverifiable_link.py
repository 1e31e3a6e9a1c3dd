"""无法验证的链接: links the audit could not judge (anti-bot answers, robots.txt, traps).

Reported apart from dead links so no one is told to fix a link that may well work.
"""
from __future__ import annotations

from typing import Iterable

from .crawl import Crawl
from .dead_link import findings_of

ID = "unverifiable_link"
TITLE = "链接无法验证"


def run(crawl: Crawl) -> Iterable[dict]:
    return findings_of(crawl, "unverifiable", ID)
