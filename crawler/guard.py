"""The one place that decides whether a connection may be made (SSRF guard).

A hostile page must not steer the auditor into an intranet, a cloud metadata service or the
auditor's own machine. Judging the link as the page spells it is not enough: Scrapy normalises
the URL (IDNA maps full-width digits, ideographic full stops and circled digits to ASCII),
the resolver turns ``2130706433`` or an intranet name into an address, and redirects choose
new targets. So this downloader middleware judges every request *as it will be sent* —
``request.url`` after Scrapy's ``safe_url_string`` — including each redirect hop and
robots.txt, resolves the host through the crawler's resolver and checks the address, then
checks again the address the connection actually reached (``response.ip_address``).

The policy is per site (one instance per crawler): the site's own hosts are always allowed;
other private addresses only when ``GOVAUDIT_ALLOW_PRIVATE`` is true, or "auto" and the
site's own start host is itself on a private address (an intranet audit). A proxy is used
only for targets this guard allowed; a refusal raises :class:`PolicyRefused`, which no
retry or HEAD→GET fallback repeats.
"""
from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future

from .errors import PolicyRefused
from .resolver import is_private_ip
from .site import site_hosts


def setting_allows(setting: Any) -> bool | None:
    """True/False for an explicit setting, None for "auto"."""
    if isinstance(setting, bool):
        return setting
    value = str(setting).strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    return None


own_hosts = site_hosts  # the hosts the operator named, with and without www. (site.py)


def is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


class AddressGuardMiddleware:
    """Refuse requests (and responses) that reach a private, loopback or reserved address."""

    def __init__(self, crawler, allow: bool | None) -> None:
        self.crawler = crawler
        self.allow = allow  # None: decided by the site's own address (auto)
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, setting_allows(crawler.settings.get("GOVAUDIT_ALLOW_PRIVATE", "auto")))

    # -- policy ---------------------------------------------------------------------------------

    def _site(self) -> frozenset[str]:
        spider = self.crawler.spider
        start = getattr(spider, "start_url", "") or ""
        extra = self.crawler.settings.getlist("GOVAUDIT_EXTRA_HOSTS")
        return own_hosts(start, extra)

    async def _resolve(self, host: str) -> str | None:
        if is_literal(host):
            return host
        from twisted.internet import reactor

        try:
            return await maybe_deferred_to_future(reactor.resolve(host))
        except Exception:  # noqa: BLE001 - the download itself reports the DNS failure
            return None

    async def _private_allowed(self) -> bool:
        if self.allow is None:
            # auto: an intranet audit is one whose own start host is on a private address.
            start = urlsplit(getattr(self.crawler.spider, "start_url", "") or "").hostname or ""
            address = await self._resolve(start.lower()) if start else None
            self.allow = bool(address and is_private_ip(address)) or start == "localhost"
        return self.allow

    async def refusal(self, url: str) -> tuple[str | None, str | None]:
        """(why this URL may not be requested or None, its resolved address or None)."""
        host = (urlsplit(url).hostname or "").lower()
        if not host:
            return None, None
        if host in self._site():
            return None, None
        if host == "localhost" or host.endswith(".localhost"):
            address: str | None = "127.0.0.1"
        else:
            address = await self._resolve(host)
        if address and is_private_ip(address) and not await self._private_allowed():
            if is_literal(host):
                return "指向内网、本机或保留地址，出于安全考虑未检查", address
            return f"域名解析到内网、本机或保留地址（{address}），出于安全考虑未访问", address
        return None, address

    # -- downloader middleware -----------------------------------------------------------------

    async def process_request(self, request: Request, spider=None) -> None:
        why, address = await self.refusal(request.url)
        if why:
            self.stats.inc_value("govaudit/blocked_private")
            raise PolicyRefused(why)
        if request.meta.get("proxy") and address is None and not is_literal(urlsplit(request.url).hostname or ""):
            host = (urlsplit(request.url).hostname or "").lower()
            if host not in self._site():
                # Unknown here, so unknown to the guard: never hand it to a proxy that may
                # resolve it inside the intranet. Sent direct, it fails as a DNS error.
                request.meta["proxy"] = None
                request.headers.pop(b"Proxy-Authorization", None)
        request.meta["ga_guarded"] = True
        return None

    async def process_response(self, request: Request, response: Response, spider=None) -> Response:
        """The address the connection really reached (DNS can answer differently twice)."""
        ip = getattr(response, "ip_address", None)
        host = (urlsplit(request.url).hostname or "").lower()
        if ip is None or request.meta.get("proxy") or host in self._site():
            return response
        if is_private_ip(str(ip)) and not await self._private_allowed():
            self.stats.inc_value("govaudit/blocked_private")
            raise PolicyRefused(f"连接到了内网、本机或保留地址（{ip}），出于安全考虑未读取")
        return response
