"""Webhooks as an attacker uses them: URLs that name the inside, names that resolve inside, redirects, a
rebinding resolver, and the deliveries panel read as a port scanner. On the real stack; every connection
goes to a loopback listener that records it, so "nothing sent" is observed, not assumed."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from ipaddress import IPv4Address, ip_address
from pathlib import Path
from typing import Any

import pytest

from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.domain.errors import InvalidInput
from marketplace.i18n import catalogues
from marketplace.webhooks.addresses import IPAddress
from marketplace.webhooks.delivery import RetryPolicy, deliver_due
from marketplace.webhooks.guard import WebhookSender
from marketplace.webhooks.service import WebhookServices
from tests.integration.journeys import Journeys

ONCE = RetryPolicy(base_seconds=60, max_attempts=5, timeout_seconds=3, lease_seconds=5)
LOOPBACK = IPv4Address("127.0.0.1")


@dataclass
class Listener:
    """A loopback TCP server that counts connections and answers each request with `answer`."""

    host: str = "127.0.0.1"
    answer: bytes = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    connections: int = 0
    heads: list[dict[str, str]] = field(default_factory=list)
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            self.heads.append({k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in head[1:] if x)}
                              | {":request": head[0]})
            writer.write(self.answer)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        writer.close()


@pytest.fixture
async def listen() -> AsyncIterator[Any]:
    servers: list[asyncio.Server] = []

    async def start(listener: Listener, tls: ssl.SSLContext | None = None) -> Listener:
        server = await asyncio.start_server(listener.handle, listener.host, listener.port, ssl=tls)
        listener.port = server.sockets[0].getsockname()[1]
        servers.append(server)
        return listener

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


def loopback_too(address: IPAddress) -> bool:
    return address.is_loopback


def answering(**names: str) -> Any:
    """A resolver for names the test controls (no DNS is asked); counts the questions."""
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[IPAddress]:
        asked.append(host)
        return [ip_address(names[host])]

    resolve.asked = asked  # type: ignore[attr-defined]
    return resolve


async def hook_registered_earlier(stack: Any, url: str) -> None:
    """A webhook stored as registration would have stored it before (or a name that resolved outside then)."""
    async with stack.pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO webhooks (id, org_id, url, secret) SELECT gen_random_uuid(), u.org_id, $1, 'whsec_test' "
            "FROM users u WHERE u.email = $2", url, DEMO_ACCOUNTS["asset_manager"][0])


async def send_one(stack: Any, sender: WebhookSender, journeys: Journeys | None = None) -> list[dict[str, Any]]:
    """Retire a device (its event concerns the asset manager's organisation) and run one delivery pass."""
    await (journeys or Journeys(stack)).retire()
    async with sender:
        assert await deliver_due(stack.pool, sender, ONCE) >= 1
    async with stack.pool.acquire() as conn:
        rows = await conn.fetch("SELECT d.status, d.last_status, d.last_error, w.url FROM webhook_deliveries d "
                                "JOIN webhooks w ON w.id = d.webhook_id ORDER BY d.id")
    return [dict(r) for r in rows]


async def panel(stack: Any) -> list[Any]:
    token = await Journeys(stack).token("asset_manager")
    return await WebhookServices(stack.marketplace).deliveries(token)


class TestRegistration:
    @pytest.mark.parametrize("url", ["http://2130706433/", "http://127.1/", "http://0x7f000001/", "http://127.0.0.1/",
                                     "http://[::ffff:127.0.0.1]/", "http://postgres:5432/", "http://100.64.0.1/",
                                     "http://localhost:8000/", "http://169.254.169.254/latest/meta-data/"])
    async def test_visibly_internal_urls_are_refused_and_nothing_is_stored(self, stack: Any, url: str) -> None:
        token = await Journeys(stack).token("asset_manager")
        service = WebhookServices(stack.marketplace)  # production's policy
        with pytest.raises(InvalidInput, match="interne"):
            await service.register(token, url)
        assert await service.webhooks(token) == []


class TestSendTime:
    async def test_production_default_refuses_a_loopback_receiver_with_nothing_sent(self, stack: Any,
                                                                                     listen: Any) -> None:
        receiver = await listen(Listener())
        await hook_registered_earlier(stack, f"http://127.0.0.1:{receiver.port}/hook")
        rows = await send_one(stack, WebhookSender())
        assert receiver.connections == 0
        assert (rows[0]["status"], rows[0]["last_error"], rows[0]["last_status"]) == ("pending", "internal_address",
                                                                                     None)
        assert [d.failure for d in await panel(stack)] == ["internal_address"]
        assert catalogues.text("webhooks.failure.internal_address", "fr") == "refusé : adresse interne"
        assert catalogues.text("webhooks.failure.internal_address", "en") == "refused: internal address"

    @pytest.mark.parametrize("host", ["2130706433", "127.1", "0x7f000001", "[::ffff:127.0.0.1]", "localhost"])
    async def test_other_spellings_of_loopback_are_refused_with_nothing_sent(self, stack: Any, listen: Any,
                                                                             host: str) -> None:
        receiver = await listen(Listener())
        await hook_registered_earlier(stack, f"http://{host}:{receiver.port}/hook")
        rows = await send_one(stack, WebhookSender())  # the system resolver: numeric forms, /etc/hosts
        assert receiver.connections == 0
        assert rows[0]["last_error"] == "internal_address"

    @pytest.mark.parametrize("name", ["127.0.0.1.nip.io", "hooks.partner.example"])
    async def test_a_public_looking_name_that_resolves_inside_is_refused(self, stack: Any, listen: Any,
                                                                         name: str) -> None:
        receiver = await listen(Listener())
        token = await Journeys(stack).token("asset_manager")
        await WebhookServices(stack.marketplace).register(token, f"http://{name}:{receiver.port}/hook")  # accepted
        rows = await send_one(stack, WebhookSender(resolver=answering(**{name: "127.0.0.1"})))
        assert receiver.connections == 0
        assert rows[0]["last_error"] == "internal_address"

    async def test_the_address_checked_is_the_address_dialled(self, stack: Any, listen: Any) -> None:
        # A rebinding resolver: the first answer passes the check, any later one is an internal host.
        checked = await listen(Listener(host="127.0.0.1"))
        inside = await listen(Listener(host="127.0.0.2", port=checked.port))
        answers = iter(["127.0.0.1", "127.0.0.2", "127.0.0.2"])
        asked: list[str] = []

        async def rebinding(host: str, port: int) -> list[IPAddress]:
            asked.append(host)
            return [ip_address(next(answers))]

        await hook_registered_earlier(stack, f"http://hooks.partner.example:{checked.port}/hook")
        rows = await send_one(stack, WebhookSender(allowed=lambda a: a == LOOPBACK, resolver=rebinding))
        assert rows[0]["status"] == "delivered"
        assert (checked.connections, inside.connections, asked) == (1, 0, ["hooks.partner.example"])
        assert checked.heads[0]["host"] == f"hooks.partner.example:{checked.port}"  # the original Host header

    async def test_redirects_are_not_followed(self, stack: Any, listen: Any) -> None:
        target = await listen(Listener())
        redirect = (f"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:{target.port}/internal\r\n"
                    "Content-Length: 0\r\nConnection: close\r\n\r\n").encode()
        receiver = await listen(Listener(answer=redirect))
        await hook_registered_earlier(stack, f"http://127.0.0.1:{receiver.port}/hook")
        rows = await send_one(stack, WebhookSender(allowed=loopback_too))
        assert (receiver.connections, target.connections) == (1, 0)
        assert (rows[0]["last_error"], rows[0]["status"]) == ("http_3xx", "pending")

    async def test_the_panel_shows_a_class_never_the_error_text(self, stack: Any) -> None:
        probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = probe.sockets[0].getsockname()[1]
        probe.close()
        await probe.wait_closed()  # nobody listens on `port` now: "Connection refused" in the raw text
        await hook_registered_earlier(stack, f"http://127.0.0.1:{port}/hook")
        rows = await send_one(stack, WebhookSender(allowed=loopback_too))
        assert rows[0]["last_error"] == "connect"
        shown = await panel(stack)
        assert [d.failure for d in shown] == ["connect"]
        assert catalogues.text("webhooks.failure.connect", "fr") == "connexion impossible"
        assert not any("refused" in str(vars(d)).lower() or "errno" in str(vars(d)).lower() for d in shown)


def _certificate(folder: Path, name: str) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "1", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test certificate")
class TestHttps:
    async def test_tls_uses_the_original_name_for_sni_and_verification(self, stack: Any, listen: Any,
                                                                       tmp_path: Path) -> None:
        cert, key = _certificate(tmp_path, "hooks.partner.example")
        server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_side.load_cert_chain(cert, key)
        names: list[str | None] = []
        server_side.sni_callback = lambda _sock, name, _ctx: names.append(name)  # type: ignore[assignment,func-returns-value]
        receiver = await listen(Listener(), tls=server_side)
        trusting = ssl.create_default_context(cafile=str(cert))
        resolver = answering(**{"hooks.partner.example": "127.0.0.1", "other.partner.example": "127.0.0.1"})

        journeys = Journeys(stack)
        await hook_registered_earlier(stack, f"https://hooks.partner.example:{receiver.port}/hook")
        rows = await send_one(stack, WebhookSender(allowed=loopback_too, resolver=resolver, ssl_context=trusting),
                              journeys)
        assert rows[0]["status"] == "delivered"
        assert names == ["hooks.partner.example"]
        assert receiver.heads[0]["host"] == f"hooks.partner.example:{receiver.port}"

        # The same address under a name the certificate does not carry: verification fails, nothing delivered.
        async with stack.pool.acquire() as conn:
            await conn.execute("UPDATE webhooks SET url = $1", f"https://other.partner.example:{receiver.port}/hook")
        rows = await send_one(stack, WebhookSender(allowed=loopback_too, resolver=resolver, ssl_context=trusting),
                              journeys)
        assert rows[-1]["last_error"] == "tls" and len(receiver.heads) == 1
