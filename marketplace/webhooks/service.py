"""Registering webhooks and reading their deliveries: signed-in members of an organisation, for it only."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import asyncpg
import httpx

from marketplace.adapters import webhook_queries as q
from marketplace.domain.errors import InvalidInput, NotFound
from marketplace.domain.ids import new_id
from marketplace.webhooks import failures
from marketplace.webhooks.addresses import AddressPolicy, is_internal_name, is_public_unicast, literal_address
from schemas.common import storable

if TYPE_CHECKING:
    from marketplace.services import Marketplace

MAX_WEBHOOKS = 5


@dataclass(frozen=True)
class Registered:
    id: str
    url: str
    secret: str  # shown once, to configure the receiver


@dataclass(frozen=True)
class WebhookRow:
    id: str
    url: str
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    url: str
    event_type: str
    status: str
    attempts: int
    last_status: int | None
    failure: str | None  # a class of `failures.CLASSES`, never an error's text
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime


def check_url(url: str, allowed: AddressPolicy = is_public_unicast) -> str:
    """http(s) with a host that is not visibly internal: a literal address `allowed` refuses (in any of the
    forms a resolver reads, `2130706433` or `0x7f000001` as well as `127.0.0.1`), a one-label name
    (`localhost`, `postgres`) or a private suffix. Names are checked again, resolved, at each sending."""
    url = url.strip()
    try:
        storable(url)
        parsed = httpx.URL(url)  # the parser the sender uses: no differential between the check and the send
        scheme, hostname = parsed.scheme, parsed.host
        if parsed.port is not None and not 0 < parsed.port < 65536:
            raise ValueError("port out of range")
    except (ValueError, httpx.InvalidURL):
        scheme, hostname = "", ""
    if scheme not in ("http", "https") or not hostname or len(url) > 500:
        raise InvalidInput(detail="URL du webhook : adresse http:// ou https:// complète attendue")
    address = literal_address(hostname)
    internal = not allowed(address) if address is not None else is_internal_name(hostname)
    if internal:
        raise InvalidInput(detail="URL du webhook : adresse interne refusée")
    return url


class WebhookServices:
    def __init__(self, marketplace: Marketplace, allowed: AddressPolicy = is_public_unicast) -> None:
        """`allowed` is for tests only (a loopback receiver); no setting widens it."""
        self.marketplace = marketplace
        self.allowed = allowed

    async def register(self, session: str | None, url: str) -> Registered:
        user = await self.marketplace._require(session)
        url = check_url(url, self.allowed)
        secret = "whsec_" + secrets.token_urlsafe(32)
        webhook_id = new_id()
        async with self.marketplace.pool.acquire() as conn:
            if sum(w["active"] for w in await q.webhooks_of_org(conn, user.org_slug)) >= MAX_WEBHOOKS:
                raise InvalidInput(detail=f"au plus {MAX_WEBHOOKS} webhooks actifs par organisation")
            await q.insert_webhook(conn, (webhook_id, user.org_slug, url, secret, user.id))
        return Registered(webhook_id, url, secret)

    async def remove(self, session: str | None, webhook_id: str) -> None:
        user = await self.marketplace._require(session)
        async with self.marketplace.pool.acquire() as conn:
            try:
                done = await q.deactivate(conn, webhook_id, user.org_slug)
            except asyncpg.DataError:
                done = False
        if not done:
            raise NotFound("webhook.not_found")

    async def webhooks(self, session: str | None) -> list[WebhookRow]:
        user = await self.marketplace._require(session)
        async with self.marketplace.pool.acquire() as conn:
            rows = await q.webhooks_of_org(conn, user.org_slug)
        return [WebhookRow(str(r["id"]), r["url"], r["active"], r["created_at"]) for r in rows]

    async def deliveries(self, session: str | None, limit: int = 50) -> list[DeliveryRow]:
        user = await self.marketplace._require(session)
        async with self.marketplace.pool.acquire() as conn:
            rows = await q.recent_deliveries(conn, user.org_slug, min(limit, 200))
        return [DeliveryRow(r["id"], r["url"], r["event_type"], r["status"], r["attempts"], r["last_status"],
                            failures.shown(r["last_error"], r["last_status"]), r["created_at"], r["delivered_at"],
                            r["next_attempt_at"]) for r in rows]
