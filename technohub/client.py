"""The client's address: the one value everything that counts per client uses.

Log-in lock-outs and rate limits ask :func:`client_address`. Behind a
reverse proxy ``REMOTE_ADDR`` is the proxy's own address, the same for every visitor; counting
that would let five wrong passwords from anyone lock everybody out. So the operator says how many
trusted proxies stand in front of the site (``TRUSTED_PROXY_COUNT``), and the address is read
from ``X-Forwarded-For``, where each proxy appends the address it received the request from.
With N proxies the client is the N-th entry from the right: what stands left of it was written
by the client itself and can be forged.

IPv6 addresses are grouped by their /64 network, the block one connection usually gets, so
that hopping between the addresses of one's own block does not reset a count.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The address to count ``request`` under, or None if it cannot be told.

    IPv4 addresses come as they are, IPv6 addresses as the first address of their /64.
    """
    candidate = _reported_address(request)
    try:
        address = ipaddress.ip_address(candidate.strip())
    except (AttributeError, ValueError):
        return None
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def _reported_address(request: HttpRequest) -> str | None:
    """``REMOTE_ADDR``, or the address the trusted proxies report for the client."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return request.META.get("REMOTE_ADDR")
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if not forwarded:
        # Not through the proxies (a health probe from inside the network): the peer itself.
        return request.META.get("REMOTE_ADDR")
    # Fewer entries than proxies: the outer ones added none; the left-most is the furthest known.
    return forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
