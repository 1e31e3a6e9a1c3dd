"""The typed finding every check produces, and its one stable identity.

Checks may still yield plain dicts (the shape has not changed since the first check);
``run_checks`` turns each into a :class:`Finding`, so store, history and reports all see
the same fields and compute identity the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


def identity_of(check: str, url: str, data: Mapping[str, Any] | None = None) -> str:
    """check|url, plus #rule when one URL carries several verdicts (column_veto's rules).

    The site is not part of it: history is keyed by the stable site id beside it, so renaming
    a site's display name keeps its problems' identities.
    """
    rule = (data or {}).get("rule")
    key = f"{check}|{url}"
    return f"{key}#{rule}" if rule else key


@dataclass
class Finding:
    """One problem found on one site (the findings.jsonl contract's fields)."""

    check: str
    url: str
    found_on: list[str] = field(default_factory=list)
    severity: str = ""
    detail: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    site: str = ""

    @property
    def identity(self) -> str:
        return identity_of(self.check, self.url, self.data)

    @classmethod
    def of(cls, value: "Finding | Mapping[str, Any]", *, check: str = "", site: str = "") -> "Finding":
        """A Finding from a check's dict (filling check and site the way run_checks always did)."""
        if isinstance(value, Finding):
            return value
        return cls(
            check=value.get("check") or check,
            url=value["url"],
            found_on=list(value.get("found_on") or []),
            severity=value.get("severity", ""),
            detail=value.get("detail", ""),
            data=dict(value.get("data") or {}),
            site=value.get("site", site),
        )

    def as_dict(self) -> dict[str, Any]:
        """The contract's shape and key order: check, url, found_on, severity, detail, site, data."""
        return {"check": self.check, "url": self.url, "found_on": list(self.found_on), "severity": self.severity,
                "detail": self.detail, "site": self.site, "data": self.data}
