"""无法验证的链接: links the audit could not judge (anti-bot answers, robots.txt, traps).

Reported apart from dead links so no one is told to fix a link that may well work.
"""
from __future__ import annotations

from typing import Iterable

from .crawl import Crawl
from .spec import CheckSpec
from .wording import link_error_code
from .dead_link import findings_of



def run(crawl: Crawl) -> Iterable[dict]:
    return findings_of(crawl, "unverifiable", CHECK.id)


CHECK = CheckSpec(
    id="unverifiable_link", title="链接无法验证", run=run, order=110,
    hint="人机验证/防护页面、重试后仍为 429、robots.txt 禁止、疑似陷阱、内网地址、内容超限：需人工复核。",
    error_code=link_error_code,
)
