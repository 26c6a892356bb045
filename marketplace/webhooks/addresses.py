"""Which addresses a webhook may reach: global unicast only, never the inside of our network. Pure.

The check runs on the addresses a host name resolves to at send time (`guard.py`), and on the literal
address of a URL at registration. A literal can be written in forms a reader does not recognise but
`getaddrinfo` accepts (`2130706433`, `127.1`, `0x7f000001`, `0177.0.0.1` are all 127.0.0.1), and IPv6 can
carry an IPv4 address inside it (`::ffff:127.0.0.1`, `64:ff9b::7f00:1`, `2002:7f00:1::`), which a
dual-stack socket or a NAT64/6to4 gateway turns back into that IPv4 address: the embedded address is what
is judged. Python's `is_global` alone is not enough (3.11 calls `2002:7f00:1::` and `::127.0.0.1` global).
"""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

IPAddress = IPv4Address | IPv6Address
AddressPolicy = Callable[[IPAddress], bool]

# Everything in IANA's special-purpose registries that is not reachable global unicast, written out so
# that the answer does not depend on the Python patch release.
_V4_REFUSED = tuple(IPv4Network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
    "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
))
_V6_GLOBAL_UNICAST = IPv6Network("2000::/3")
_V6_REFUSED = tuple(IPv6Network(n) for n in (
    "2001::/23",  # IETF protocol assignments (Teredo 2001::/32 among them)
    "2001:db8::/32", "3fff::/20",  # documentation
))
_V4_MAPPED = IPv6Network("::ffff:0:0/96")
_NAT64 = IPv6Network("64:ff9b::/96")  # the well-known prefix: DNS64 networks give every IPv4 host one
_SIX_TO_FOUR = IPv6Network("2002::/16")

INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan", ".intranet")


def embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), if any."""
    if address in _V4_MAPPED or address in _NAT64:
        return IPv4Address(int(address) & 0xFFFF_FFFF)
    if address in _SIX_TO_FOUR:
        return IPv4Address((int(address) >> 80) & 0xFFFF_FFFF)
    return None


def is_public_unicast(address: IPAddress) -> bool:
    """True for a global unicast address: not loopback, private, CGNAT, link-local, multicast, reserved..."""
    if isinstance(address, IPv6Address):
        if address.scope_id:
            return False
        inner = embedded_ipv4(address)
        if inner is not None:
            return is_public_unicast(inner)
        # IPv4-compatible (::a.b.c.d, deprecated), ::1, ::, ULA, link-local, multicast: all outside 2000::/3.
        return (address in _V6_GLOBAL_UNICAST and not any(address in n for n in _V6_REFUSED)
                and address.is_global)
    return not any(address in n for n in _V4_REFUSED) and address.is_global


def _inet_aton_part(text: str) -> int | None:
    try:
        if text[:2].lower() == "0x":
            return int(text, 16)
        if len(text) > 1 and text.startswith("0"):
            return int(text[1:], 8)
        return int(text, 10) if text.isdigit() else None
    except ValueError:
        return None


def _legacy_ipv4(host: str) -> IPv4Address | None:
    """inet_aton's forms, as getaddrinfo reads a numeric host: 1 to 4 parts, decimal, 0x hex or 0 octal,
    the last part filling the remaining bytes (`127.1` is 127.0.0.1, `2130706433` too)."""
    parts = host.split(".")
    if host.endswith(".") and len(parts) > 1:
        parts = parts[:-1]
    if not 1 <= len(parts) <= 4 or not all(p.isascii() and p for p in parts):
        return None
    values = [_inet_aton_part(p) for p in parts]
    if any(v is None for v in values):
        return None
    numbers = [v for v in values if v is not None]
    *head, last = numbers
    if any(v > 255 for v in head) or last >= 1 << (8 * (4 - len(head))):
        return None
    value = last
    for i, v in enumerate(head):
        value |= v << (8 * (3 - i))
    return IPv4Address(value)


def literal_address(host: str) -> IPAddress | None:
    """The address a URL's host is written as, in any form a resolver accepts without asking DNS; else None."""
    host = host.strip("[]")
    try:
        return ip_address(host)
    except ValueError:
        pass
    return _legacy_ipv4(host)


def is_internal_name(host: str) -> bool:
    """A name only an internal resolver answers: one label (`postgres`, `localhost`), or a private suffix."""
    name = host.lower().rstrip(".")
    return "." not in name or name.endswith(INTERNAL_SUFFIXES)
