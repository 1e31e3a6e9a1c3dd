"""How one problem is named in the notice and the 整改清单: where it is, and its error code.

The words belong to the check (its CheckSpec's ``where``, ``short``, ``summary`` and
``error_code``); this module only looks the check up, so reports never branch on a check id.
"""
from __future__ import annotations

from govaudit.checks import spec_for


def where(f: dict) -> str:
    """问题页面/栏目: the column, document or pages where the unit will see the problem."""
    return spec_for(f["check"]).where(f)


def error_code(f: dict) -> str:
    """错误返回码: the HTTP status or network error behind a broken link, or ""."""
    return spec_for(f["check"]).error_code(f)


def short(f: dict) -> str:
    """A problem in a few words, for lists in the notice's running text."""
    return spec_for(f["check"]).short(f)


def summary(items: list[dict]) -> str:
    """One site's problems of one type, after the site's name in a notice line."""
    return spec_for(items[0]["check"]).summary(items)
