"""DNS resolvers: the crawler's hosts table, and offline resolution for closed networks.

The resolver only answers; it does not judge. Whether an address may be reached is decided
per site, on the URL as requested and the address resolved here, by
:class:`govaudit.crawler.guard.AddressGuardMiddleware` (a process-wide resolver cannot know
which site's request it is resolving). `GuardedResolver` (the default) answers from
``GOVAUDIT_HOSTS`` first, then the system; `HostsResolver` answers from the hosts table only:
for closed networks (the bundled demo, the tests) where no lookup may leave the machine, and
for intranet names the office's DNS does not publish. Answers are cached
(``CachingThreadedResolver``), so the guard's look-up and the connection see one address.
"""
from __future__ import annotations

import ipaddress

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError


def is_private_ip(address: str) -> bool:
    """True for every address that is not on the public internet (private, loopback,
    link-local, CGNAT, reserved, multicast, unspecified, IPv4-mapped forms of those)."""
    try:
        ip = ipaddress.ip_address(str(address).split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast or ip.is_private or ip.is_loopback or ip.is_link_local


class GuardedResolver(CachingThreadedResolver):
    offline = False

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.hosts = {k.lower(): str(v) for k, v in (crawler.settings.getdict("GOVAUDIT_HOSTS") or {}).items()}
        resolver.hosts.setdefault("localhost", "127.0.0.1")
        return resolver

    def getHostByName(self, name: str, timeout=()):
        name = name.lower()
        try:
            ipaddress.ip_address(name)
            return defer.succeed(name)
        except ValueError:
            pass
        if name in self.hosts:
            return defer.succeed(self.hosts[name])
        if self.offline:
            return defer.fail(DNSLookupError(f"{name}: 不在 hosts 表中（离线解析）"))
        return super().getHostByName(name, timeout)


class HostsResolver(GuardedResolver):
    offline = True
