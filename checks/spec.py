"""CheckSpec: everything a check's consumers need, declared once, by the check.

Reports, the notice, history, the 整改清单 and the mail read a check's title, order, veto
status and its "问题页面/栏目" wording from here only, so a new check (built-in or plugin) is
one file and every document names it the same way.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from . import wording

Run = Callable[[Any], Iterable[dict]]
Words = Callable[[dict], str]


def _no_findings(crawl: Any) -> Iterable[dict]:
    return ()


@dataclass(frozen=True)
class CheckSpec:
    """One check's contract.

    id:     the finding's ``check`` value; never renamed.
    title:  what every report calls it.
    run:    ``run(crawl) -> Iterable[dict | Finding]`` over a stored crawl.
    order:  position in reports (vetoes first, then what the indicators weigh most).
    veto:   told as 单项否决 in the notice, not among the other problems.
    hint:   one line for people (``govaudit checks``).
    where:  finding → "问题页面/栏目" (the column, document or pages where the unit sees it).
    short:  finding → a few words, for lists in the notice's running text.
    summary: a site's findings of this check → the rest of a notice line after the site's name.
    error_code: finding → 错误返回码 (HTTP status or network error), "" when none.
    needs_full_run: a missing old finding counts as 已整改 only after a complete run; when
            False, any run that reached the site proves it fixed (site_unreachable).
    """

    id: str
    title: str
    run: Run = _no_findings
    order: int = 1000
    veto: bool = False
    hint: str = ""
    where: Words = wording.where
    short: Words = wording.short
    summary: Callable[[list[dict]], str] = wording.summary
    error_code: Words = wording.no_error_code
    needs_full_run: bool = True


def unknown(check_id: str) -> CheckSpec:
    """A stand-in for a check no longer installed (its findings are still in the store)."""
    return CheckSpec(id=check_id, title=check_id)
