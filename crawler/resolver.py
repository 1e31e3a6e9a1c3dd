"""DNS resolvers that keep a hostile page from steering the auditor into an intranet.

`GuardedResolver` (the default) resolves as usual but refuses names that resolve to
private, loopback or link-local addresses unless they belong to a site being audited, or
the audit is itself an intranet audit (a site's own host resolves to such an address), or the
configuration allows it. `HostsResolver` answers from a fixed hosts table only: for closed
networks (the bundled demo, the tests) where no lookup may leave the machine, and for
intranet names the office's DNS does not publish.
"""
from __future__ import annotations

import ipaddress

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError


def is_private_ip(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast


#: Names refused by the guard in this process. Twisted reports every failed lookup alike
#: ("no results"), so the spider asks here whether a DNS failure was really a refusal.
BLOCKED: set[str] = set()


class GuardedResolver(CachingThreadedResolver):
    offline = False

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        s = crawler.settings
        resolver.hosts = {k.lower(): str(v) for k, v in (s.getdict("GOVAUDIT_HOSTS") or {}).items()}
        resolver.hosts.setdefault("localhost", "127.0.0.1")
        resolver.site_hosts = {h.lower() for h in s.getlist("GOVAUDIT_SITE_HOSTS")}
        setting = str(s.get("GOVAUDIT_ALLOW_PRIVATE", "auto")).lower()
        resolver.allow_private = setting in ("true", "1", "yes")
        resolver.auto = setting not in ("true", "1", "yes", "false", "0", "no")
        return resolver

    def getHostByName(self, name: str, timeout=()):
        name = name.lower()
        try:
            ipaddress.ip_address(name)
            return defer.succeed(name)  # literals are judged by the spider
        except ValueError:
            pass
        if name in self.hosts:
            d = defer.succeed(self.hosts[name])
        elif self.offline:
            return defer.fail(DNSLookupError(f"{name}: 不在 hosts 表中（离线解析）"))
        else:
            d = super().getHostByName(name, timeout)
        return d.addCallback(self._guard, name)

    def _guard(self, address: str, name: str) -> str:
        if not is_private_ip(address) or self.allow_private:
            return address
        if name in self.site_hosts:
            if self.auto:
                self.allow_private = True  # the audited site lives on an intranet: so do its links
            return address
        BLOCKED.add(name)
        raise DNSLookupError(f"{name} 解析到内网或本机地址 {address}（private address），出于安全考虑未访问")


class HostsResolver(GuardedResolver):
    offline = True
