"""A DNS resolver that answers from a fixed hosts table only.

For intranet audits with names the office's DNS does not publish, and for closed networks
(the bundled demo and the tests) where no lookup may leave the machine: every other name
fails as a DNS error, exactly as an unresolvable link does on the internet.
"""
from __future__ import annotations

import ipaddress

from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from scrapy.resolver import CachingThreadedResolver


class HostsResolver(CachingThreadedResolver):
    hosts: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.hosts = {k.lower(): v for k, v in (crawler.settings.getdict("GOVAUDIT_HOSTS") or {}).items()}
        resolver.hosts.setdefault("localhost", "127.0.0.1")
        return resolver

    def getHostByName(self, name: str, timeout=()):
        try:
            ipaddress.ip_address(name)
            return defer.succeed(name)
        except ValueError:
            pass
        address = self.hosts.get(name.lower())
        if address:
            return defer.succeed(address)
        return defer.fail(DNSLookupError(f"{name}: 不在 hosts 表中（离线解析）"))
