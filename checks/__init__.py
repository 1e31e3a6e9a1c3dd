"""Checks: pure functions from a stored crawl to findings, one module per check id.

A check is a module in this package (or a module registered by another package under the
``govaudit.checks`` entry point group) that defines::

    ID = "dead_link"                      # the finding's `check` value; never renamed
    TITLE = "链接不可用"                    # what reports call it
    def run(crawl: Crawl) -> Iterable[dict]: ...

Each finding is a dict with at least ``check``, ``url``, ``found_on`` (list), ``severity``,
``detail`` (Chinese, for people) and ``data`` (machine-readable facts behind the detail).
Adding a check is adding a file: nothing else (the crawler least of all) changes.
"""
from __future__ import annotations

import importlib
import pkgutil
from importlib.metadata import entry_points
from types import ModuleType
from typing import Iterable

from .crawl import Crawl

__all__ = ["Crawl", "inventories", "registry", "run_checks"]

#: Modules of this package that are helpers, not checks.
_NOT_CHECKS = {"crawl", "columns_common", "documents_common", "availability_common", "site_identity_common"}


def registry() -> dict[str, ModuleType]:
    """All checks by id: built-ins from this package, then plugins from entry points."""
    found: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name in _NOT_CHECKS:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "ID") and hasattr(module, "run"):
            found[module.ID] = module
    for ep in entry_points(group="govaudit.checks"):
        module = ep.load()
        found.setdefault(module.ID, module)
    return found


def inventories(crawl: Crawl) -> dict[str, list[dict]]:
    """What the site has, beside what is wrong with it: its columns and its policy documents.

    Inspectors want the whole table (every column with its newest item, every document with
    its validity and interpretation), not only the rows that failed.
    """
    from . import columns_common, documents_common

    as_of = crawl.as_of
    docs, interps = documents_common.analyse(crawl)
    rate = documents_common.interpretation_rate(docs)
    return {
        "columns": [c.as_dict(as_of) for c in columns_common.discover(crawl)],
        "documents": [{k: v for k, v in d.as_dict().items() if k != "related"} for d in docs],
        "interpretations": [{"url": i.url, "title": i.title, "pub_date": i.pub_date} for i in interps],
        "summary": [{"interpretation_rate": rate}],
    }


def run_checks(crawl: Crawl, only: Iterable[str] | None = None) -> list[dict]:
    """Run every check (or those named) over one stored run; findings in a stable order."""
    checks = registry()
    wanted = list(only) if only else list(checks)
    unknown = [c for c in wanted if c not in checks]
    if unknown:
        raise KeyError(f"未知的检查项：{', '.join(unknown)}；可用的检查项：{', '.join(checks)}")
    findings: list[dict] = []
    for check_id in wanted:
        for f in checks[check_id].run(crawl):
            f.setdefault("check", check_id)
            f.setdefault("site", crawl.site)
            f.setdefault("found_on", [])
            f.setdefault("data", {})
            findings.append(f)
    return findings
