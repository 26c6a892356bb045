"""Webhooks on the real stack against a local receiver: deliveries queued with their events, signed,
retried with backoff after the receiver fails twice, and shown to the organisation with their failures."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from marketplace.domain.errors import InvalidInput
from marketplace.webhooks.addresses import IPAddress
from marketplace.webhooks.delivery import RetryPolicy, deliver_due
from marketplace.webhooks.guard import WebhookSender
from marketplace.webhooks.service import WebhookServices
from marketplace.webhooks.signing import verify
from tests.integration.journeys import Journeys
from tests.integration.stack import eventually

FAST = RetryPolicy(base_seconds=0.2, max_attempts=4, timeout_seconds=5, lease_seconds=5)


def loopback_too(address: IPAddress) -> bool:
    """The tests' address policy: their receivers listen on 127.0.0.1 (production's refuses it)."""
    return address.is_loopback


@dataclass
class Receiver:
    """A tiny HTTP server on 127.0.0.1: answers with `statuses` in turn (then 200) and keeps every request."""

    statuses: list[int] = field(default_factory=list)
    requests: list[tuple[dict[str, str], bytes, float]] = field(default_factory=list)
    url: str = ""

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.requests.append((headers, body, time.monotonic()))
        status = self.statuses.pop(0) if self.statuses else 200
        writer.write(f"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        writer.close()


@pytest.fixture
async def receiver() -> Any:
    r = Receiver()
    server = await asyncio.start_server(r.handle, "127.0.0.1", 0)
    r.url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hooks/seconde-vie"
    yield r
    server.close()
    await server.wait_closed()


async def deliveries(stack: Any) -> list[dict[str, Any]]:
    async with stack.pool.acquire() as conn:
        rows = await conn.fetch("SELECT event_type, status, attempts, last_status, last_error FROM webhook_deliveries "
                                "ORDER BY id")
    return [dict(r) for r in rows]


class TestWebhooks:
    async def test_signed_deliveries_are_retried_until_the_receiver_answers(self, stack: Any,
                                                                             receiver: Receiver) -> None:
        journeys = Journeys(stack)
        service = WebhookServices(stack.marketplace, allowed=loopback_too)
        session = await journeys.token("refurbisher")
        hook = await service.register(session, receiver.url)
        receiver.statuses = [500, 503]

        code = await journeys.retire()  # the donor's event: not the refurbisher's concern
        await journeys.route(code)  # offered to repar-acteurs-brest (among others)
        assert [d["event_type"] for d in await deliveries(stack)] == ["asset.offered"]

        async with WebhookSender(allowed=loopback_too) as sender:
            async def attempt() -> list[dict[str, Any]]:
                await deliver_due(stack.pool, sender, FAST)
                return await deliveries(stack)

            done = await eventually(attempt, lambda d: d[0]["status"] == "delivered", timeout=15)
        assert done[0]["attempts"] == 3 and done[0]["last_status"] == 200
        assert len(receiver.requests) == 3
        gaps = [b[2] - a[2] for a, b in zip(receiver.requests, receiver.requests[1:], strict=False)]
        assert gaps[0] >= 0.2 and gaps[1] >= 0.4  # exponential backoff: 0.2 s, then 0.4 s
        for headers, body, _ in receiver.requests:
            assert verify(hook.secret, headers["x-secondevie-timestamp"], headers["x-secondevie-signature"], body,
                          time.time())
            assert not verify("whsec_wrong", headers["x-secondevie-timestamp"], headers["x-secondevie-signature"],
                              body, time.time())
            assert headers["x-secondevie-event"] == "asset.offered"
        event = json.loads(receiver.requests[0][1])
        assert event["type"] == "asset.offered" and any(o["org"] == "repar-acteurs-brest"
                                                        for o in event["payload"]["offers"])
        assert receiver.requests[0][1] == receiver.requests[2][1]  # the same body, re-signed

        shown = await service.deliveries(session)
        assert [(d.status, d.attempts) for d in shown] == [("delivered", 3)]

        # The device's next transitions concern the refurbisher too (it claims and holds the device).
        await journeys.act("refurbisher", code, "claim", {})
        assert [d["event_type"] for d in await deliveries(stack)][-1] == "asset.claimed"

    async def test_failures_are_recorded_and_give_up_after_the_last_attempt(self, stack: Any,
                                                                            receiver: Receiver) -> None:
        journeys = Journeys(stack)
        service = WebhookServices(stack.marketplace, allowed=loopback_too)
        session = await journeys.token("asset_manager")
        await service.register(session, receiver.url)
        receiver.statuses = [500] * 10
        await journeys.retire()
        async with WebhookSender(allowed=loopback_too) as sender:
            async def attempt() -> list[dict[str, Any]]:
                await deliver_due(stack.pool, sender, FAST)
                return await deliveries(stack)

            done = await eventually(attempt, lambda d: d[0]["status"] == "failed", timeout=20)
        assert done[0] | {} == {"event_type": "asset.retired", "status": "failed", "attempts": 4, "last_status": 500,
                                "last_error": "http_5xx"}
        shown = await service.deliveries(session)
        assert shown[0].failure == "http_5xx"
        # Another organisation sees none of it.
        assert await service.deliveries(await journeys.token("refurbisher")) == []

    async def test_removed_webhook_gets_nothing_and_internal_urls_are_refused(self, stack: Any,
                                                                              receiver: Receiver) -> None:
        journeys = Journeys(stack)
        session = await journeys.token("asset_manager")
        with pytest.raises(InvalidInput, match="interne"):
            await WebhookServices(stack.marketplace).register(session, receiver.url)
        with pytest.raises(InvalidInput):
            await WebhookServices(stack.marketplace).register(session, "ftp://example.org/x")
        service = WebhookServices(stack.marketplace, allowed=loopback_too)
        hook = await service.register(session, receiver.url)
        await service.remove(session, hook.id)
        await journeys.retire()
        assert await deliveries(stack) == []
        assert [w.active for w in await service.webhooks(session)] == [False]
