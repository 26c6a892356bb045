"""Sending a webhook without reaching the inside: resolve at send time, check, and dial what was checked.

A URL's host is resolved when the connection is made (`getaddrinfo`, in the event loop's thread pool),
every address it resolves to must pass the policy (one internal address refuses the host: a name that
answers both a public and a private address would otherwise pick its target), and the socket is opened
to the checked address itself. Nothing resolves the name a second time, so a DNS answer that changes
between the check and the connection (rebinding) cannot move the request inside. The request keeps its
URL: the Host header, the TLS server name (SNI) and certificate verification all use the original name.

Redirects are never followed, proxies from the environment are never used (a proxy would connect on our
behalf, past the check), and Unix sockets are refused.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from ipaddress import IPv6Address, ip_address
from typing import Any, Self

import anyio
import httpcore
import httpx

from marketplace.webhooks.addresses import AddressPolicy, IPAddress, is_public_unicast

Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]


class RefusedAddress(Exception):
    """The host resolves to an address webhooks may not reach; nothing was sent."""

    def __init__(self, host: str, address: IPAddress) -> None:
        super().__init__(f"{host} resolves to {address}, which is not a public address")
        self.host, self.address = host, address


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The system's answer (hosts file, DNS), from the loop's executor so the loop never blocks."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                         proto=socket.IPPROTO_TCP)
    return [ip_address(str(info[4][0])) for info in infos]


def _dial_address(address: IPAddress) -> str:
    # An IPv4-mapped address is that IPv4 address: dial it as IPv4, whatever the socket's V6ONLY setting.
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving and checking each host before it connects to the checked address."""

    def __init__(self, allowed: AddressPolicy, resolver: Resolver,
                 inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._allowed, self._resolver = allowed, resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        try:
            with anyio.fail_after(timeout):
                addresses = await self._resolver(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        except (OSError, ValueError) as exc:  # socket.gaierror is an OSError
            raise httpcore.ConnectError(f"{host} does not resolve: {exc}") from exc
        if not addresses:
            raise httpcore.ConnectError(f"{host} resolves to no address")
        for address in addresses:
            if not self._allowed(address):
                raise RefusedAddress(host, address)
        last: Exception | None = None
        for address in dict.fromkeys(addresses):  # each checked address in the resolver's order, once
            try:
                return await self._inner.connect_tcp(_dial_address(address), port, timeout=timeout,
                                                     local_address=local_address, socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("webhooks are never sent to a Unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over `GuardedBackend`, with no proxy (its request mapping and error mapping kept)."""

    def __init__(self, allowed: AddressPolicy = is_public_unicast, resolver: Resolver = system_resolver,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False), max_connections=100,
            max_keepalive_connections=20, keepalive_expiry=5.0,
            network_backend=GuardedBackend(allowed, resolver),
        )


class WebhookSender:
    """What deliveries are sent with, and the only way to build one: the guard is not optional.

    Production uses the defaults. Tests pass an `allowed` policy that admits their loopback receiver, a
    `resolver` that answers their own names and an `ssl_context` trusting their own certificate authority;
    nothing in the settings or the environment can widen it.
    """

    def __init__(self, allowed: AddressPolicy = is_public_unicast, resolver: Resolver = system_resolver,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self._client = httpx.AsyncClient(transport=GuardedTransport(allowed, resolver, ssl_context),
                                         follow_redirects=False, trust_env=False)

    async def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        """POST once (no redirect followed); the response's status code. The answer's body is never read."""
        async with self._client.stream("POST", url, content=body, headers=headers, timeout=timeout) as response:
            return response.status_code

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
