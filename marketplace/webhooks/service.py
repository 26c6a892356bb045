"""Registering webhooks and reading their deliveries: signed-in members of an organisation, for it only."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import asyncpg

from marketplace.adapters import webhook_queries as q
from marketplace.domain.errors import InvalidInput, NotFound
from marketplace.domain.ids import new_id
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
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime


def check_url(url: str, allow_private: bool) -> str:
    """http(s) with a host; loopback and private addresses only when allowed (tests, a local receiver)."""
    url = url.strip()
    try:
        storable(url)
        parts = urlsplit(url)
        scheme, hostname, _ = parts.scheme, parts.hostname, parts.port  # a malformed host or port: ValueError
    except ValueError:
        scheme, hostname = "", None
    if scheme not in ("http", "https") or not hostname or len(url) > 500:
        raise InvalidInput(detail="URL du webhook : adresse http:// ou https:// complète attendue")
    if not allow_private:
        host = hostname
        try:
            address = ipaddress.ip_address(host)
            private = address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
        except ValueError:
            private = host == "localhost" or host.endswith((".localhost", ".local", ".internal"))
        if private:
            raise InvalidInput(detail="URL du webhook : adresse interne refusée")
    return url


class WebhookServices:
    def __init__(self, marketplace: Marketplace, allow_private_urls: bool = False) -> None:
        self.marketplace = marketplace
        self.allow_private_urls = allow_private_urls

    async def register(self, session: str | None, url: str) -> Registered:
        user = await self.marketplace._require(session)
        url = check_url(url, self.allow_private_urls)
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
        return [DeliveryRow(**dict(r)) for r in rows]
