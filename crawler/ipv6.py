"""IPv6 support of a site (功能设计 · IPv6): an AAAA record for the home page's host, and a connection
to it over IPv6 — judged only where this machine can reach the IPv6 Internet.

A machine without an IPv6 route cannot tell a site that does not answer over IPv6 from its own
missing route, so it says 未检查 rather than guess. A missing AAAA record is a fact any resolver
can establish; a failed lookup (timeout, offline resolution) is not, and is 未检查 too.
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Callable

Lookup = Callable[..., list]


def has_ipv6_route() -> bool:
    """Whether the kernel has a route to the IPv6 Internet (a UDP connect sends no packet)."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.connect(("2001:db8::1", 53))
        return True
    except OSError:
        return False


def ipv6_status(host: str, port: int = 80, *, lookup: Lookup = socket.getaddrinfo, route: bool | None = None,
                timeout: float = 10.0, offline: bool = False) -> dict:
    """{status: supported | no_aaaa | unreachable | unchecked, addresses, detail}."""
    try:
        ip = ipaddress.ip_address(host)
        if ip.version == 4:
            return {"status": "unchecked", "addresses": [], "detail": "起始网址为 IPv4 地址，无法检查 IPv6"}
        addresses = [host]
    except ValueError:
        if offline:
            return {"status": "unchecked", "addresses": [], "detail": "离线解析（hosts 表），未查询 AAAA 记录"}
        try:
            infos = lookup(host, port, socket.AF_INET6, socket.SOCK_STREAM)
            addresses = sorted({i[4][0] for i in infos})
        except socket.gaierror as exc:
            if exc.errno in (getattr(socket, "EAI_NODATA", -5), socket.EAI_NONAME):
                return {"status": "no_aaaa", "addresses": [], "detail": f"域名 {host} 没有 IPv6（AAAA）解析记录"}
            return {"status": "unchecked", "addresses": [], "detail": f"查询 AAAA 记录失败：{exc}"}
        except OSError as exc:
            return {"status": "unchecked", "addresses": [], "detail": f"查询 AAAA 记录失败：{exc}"}
        if not addresses:
            return {"status": "no_aaaa", "addresses": [], "detail": f"域名 {host} 没有 IPv6（AAAA）解析记录"}
    if not (has_ipv6_route() if route is None else route):
        return {"status": "unchecked", "addresses": addresses,
                "detail": "本机没有 IPv6 网络路由，未检查能否通过 IPv6 访问（已有 AAAA 记录）"}
    for addr in addresses:
        try:
            with socket.create_connection((addr, port), timeout=timeout):
                return {"status": "supported", "addresses": addresses, "detail": f"可通过 IPv6 地址 {addr} 访问"}
        except OSError:
            continue
    return {"status": "unreachable", "addresses": addresses,
            "detail": f"有 AAAA 记录（{'、'.join(addresses)}），但无法通过 IPv6 连接网站"}
