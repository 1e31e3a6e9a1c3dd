"""IPv6 status: facts a resolver can establish are judged; everything else is 未检查, never guessed."""
from __future__ import annotations

import socket

from govaudit.crawler.ipv6 import ipv6_status


def test_ipv4_literal_and_offline_are_unchecked():
    assert ipv6_status("127.0.0.1")["status"] == "unchecked"
    assert ipv6_status("www.example.gov.cn", offline=True)["status"] == "unchecked"


def test_no_aaaa_record_is_a_fact():
    def lookup(*a, **k):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    assert ipv6_status("www.example.gov.cn", lookup=lookup)["status"] == "no_aaaa"


def test_failed_lookup_or_no_route_is_unchecked():
    def again(*a, **k):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    assert ipv6_status("www.example.gov.cn", lookup=again)["status"] == "unchecked"

    def found(*a, **k):
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2001:db8::10", 80, 0, 0))]
    r = ipv6_status("www.example.gov.cn", lookup=found, route=False)
    assert r["status"] == "unchecked" and r["addresses"] == ["2001:db8::10"] and "IPv6 网络路由" in r["detail"]


def test_loopback_ipv6_connection_is_supported():
    """A real IPv6 connection to ::1 (skipped where the kernel has IPv6 disabled)."""
    try:
        srv = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        srv.bind(("::1", 0))
    except OSError:
        import pytest

        pytest.skip("本机未启用 IPv6 回环地址")
    srv.listen(1)
    port = srv.getsockname()[1]
    try:
        assert ipv6_status("::1", port, route=True)["status"] == "supported"
    finally:
        srv.close()
    assert ipv6_status("::1", port, route=True, timeout=1)["status"] == "unreachable"
