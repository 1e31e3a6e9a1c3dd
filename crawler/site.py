"""Which hosts are the audited site: one rule for the spider, the guard and the runner.

A site is the hosts its operator named (the start URL's host and ``extra_hosts``), each with
and without ``www.``. The registrable domain is *not* the site: 北京's district portals
(xx.beijing.gov.cn) share beijing.gov.cn, and each is a unit of its own. The registrable
domain (public-suffix aware, from tldextract's bundled snapshot — never fetched: no lookup may
leave an inspection) is offered for grouping, e.g. "links within the same government domain".
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable
from urllib.parse import urlsplit

import tldextract

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _bare(host: str) -> str:
    host = host.lower().strip(".")
    return host[4:] if host.startswith("www.") else host


def site_hosts(start_url: str, extra_hosts: Iterable[str] = ()) -> frozenset[str]:
    """The site's hosts, each with and without www."""
    hosts = {(urlsplit(start_url).hostname or "").lower()}
    hosts.update(str(h).strip().lower() for h in extra_hosts if str(h).strip())
    hosts |= {h[4:] if h.startswith("www.") else f"www.{h}" for h in hosts if h}
    return frozenset(h for h in hosts if h)


def is_site_host(host: str, hosts: Iterable[str]) -> bool:
    """True when ``host`` is one of ``hosts``, www. or not."""
    host = host.lower()
    hosts = set(hosts)
    bare = _bare(host)
    return host in hosts or bare in hosts or f"www.{bare}" in hosts


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """example.gov.cn for www.example.gov.cn (gov.cn is a public suffix); the host without
    www. when the suffix is unknown (intranet names, .test) or the host is an address."""
    host = host.lower().split(":")[0].strip(".")
    result = _EXTRACT(host)
    if hasattr(type(result), "top_domain_under_public_suffix"):  # tldextract >= 5.3
        domain = result.top_domain_under_public_suffix
    else:
        domain = result.registered_domain
    return domain or _bare(host)
