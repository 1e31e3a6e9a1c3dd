"""Checks: pure functions from a stored crawl to findings, one module per check id.

A check is a module that declares one object, ``CHECK = CheckSpec(...)`` (see checks/spec.py):
its id, title, ``run(crawl)``, report order, veto status and the wording reports use for it.
Built-in checks are listed in ``DEFAULT_CHECKS`` (like Datasette's DEFAULT_PLUGINS); other
packages register theirs under the ``govaudit.checks`` entry point group (pointing at the
CheckSpec or at its module), and both are treated identically. Every report, the notice, the
history, the 整改清单 and the mail read checks only from :func:`registry`, so adding a check is
adding a file: nothing else (the crawler least of all) changes.

``run`` yields findings: dicts with ``url``, ``found_on`` (list), ``severity``, ``detail``
(Chinese, for people) and ``data`` (the facts behind the detail), or :class:`Finding` objects.
"""
from __future__ import annotations

import importlib
from functools import lru_cache
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any, Iterable

from .crawl import Crawl
from .finding import Finding, identity_of
from .site_unreachable import CHECK as UNREACHABLE_CHECK  # the check the inspection itself raises
from .spec import CheckSpec, unknown

__all__ = ["CheckSpec", "Crawl", "DEFAULT_CHECKS", "Finding", "identity_of", "inventories", "registry",
           "run_checks", "spec_for", "by_order", "UNREACHABLE_CHECK"]

#: The built-in checks (modules of this package), in the order they run.
DEFAULT_CHECKS = (
    "blank_column", "column_veto", "dead_link", "expired_still_valid", "late_interpretation",
    "missing_interpretation", "missing_validity", "site_unreachable", "stale_column", "stale_homepage",
    "unverifiable_link", "site_unavailable", "availability_warning", "missing_site_identity",
    "missing_error_report_entry", "missing_required_column", "no_ipv6", "search_broken", "future_date", "page_truncated",
    "privacy_leak", "hidden_link", "wrong_expression", "unanswered_message", "stale_replies", "no_message_channel",
    "incomplete_leader_info",
)
ENTRY_POINT_GROUP = "govaudit.checks"


def spec_of(obj: Any) -> CheckSpec:
    """The CheckSpec an entry point or module stands for.

    A module without ``CHECK`` but with ``ID``, ``TITLE`` and ``run`` (the first plugin
    interface) still works: its spec is built from those with default order and wording.
    """
    if isinstance(obj, CheckSpec):
        return obj
    if isinstance(obj, ModuleType):
        if isinstance(getattr(obj, "CHECK", None), CheckSpec):
            return obj.CHECK
        if hasattr(obj, "ID") and hasattr(obj, "run"):
            return CheckSpec(id=obj.ID, title=getattr(obj, "TITLE", obj.ID), run=obj.run,
                             hint=(obj.__doc__ or "").strip().splitlines()[0] if obj.__doc__ else "")
    raise TypeError(f"检查项注册对象无效：{obj!r}（应为 CheckSpec 或定义了 CHECK 的模块）")


@lru_cache(maxsize=None)
def _registry() -> tuple[CheckSpec, ...]:
    specs = [spec_of(importlib.import_module(f"{__name__}.{name}")) for name in DEFAULT_CHECKS]
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        specs.append(spec_of(ep.load()))
    found: dict[str, CheckSpec] = {}
    for spec in specs:
        found.setdefault(spec.id, spec)
    return tuple(found.values())


def registry() -> dict[str, CheckSpec]:
    """All checks by id, in run order: built-ins, then plugins (a plugin cannot shadow a built-in)."""
    return {s.id: s for s in _registry()}


registry.cache_clear = _registry.cache_clear  # type: ignore[attr-defined]


def spec_for(check_id: str) -> CheckSpec:
    """The check's spec; a stand-in titled by its id when the check is no longer installed."""
    return registry().get(check_id) or unknown(check_id)


def by_order(check_ids: Iterable[str]) -> list[str]:
    """Check ids in report order (the specs' ``order``, ties by id)."""
    return sorted(check_ids, key=lambda c: (spec_for(c).order, c))


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


def run_checks(crawl: Crawl, only: Iterable[str] | None = None) -> list[Finding]:
    """Run every check (or those named) over one stored run; findings in a stable order."""
    checks = registry()
    wanted = list(only) if only else list(checks)
    unknown_ids = [c for c in wanted if c not in checks]
    if unknown_ids:
        raise KeyError(f"未知的检查项：{', '.join(unknown_ids)}；可用的检查项：{', '.join(checks)}")
    return [Finding.of(f, check=check_id, site=crawl.site) for check_id in wanted for f in checks[check_id].run(crawl)]
