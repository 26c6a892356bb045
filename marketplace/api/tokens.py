"""API tokens: created and revoked by signed-in members of an organisation, stored as a SHA-256 hash.

A token acts as its organisation with the role of the organisation's kind (what any user of that
organisation may do in the UI), never as an admin. It ends: at the end of the lifetime chosen when it was
made (30, 90 or 365 days), and at once when the account that made it or its organisation is disabled.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import asyncpg

from marketplace.adapters import api_queries as q
from marketplace.auth.credentials import token_hash
from marketplace.domain.errors import InvalidInput, NotAuthenticated, NotFound
from marketplace.domain.ids import new_id
from schemas.api import DEFAULT_TOKEN_LIFETIME_DAYS, TOKEN_LIFETIMES_DAYS, TokenCreated
from schemas.common import ROLE_OF_KIND, OrgKind, storable
from schemas.views import UserView

if TYPE_CHECKING:
    from marketplace.services import Marketplace

TOKEN_PREFIX = "svk_"


@dataclass(frozen=True)
class TokenRow:
    id: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    def expired(self, now: datetime) -> bool:
        return self.expires_at <= now


class TokenServices:
    def __init__(self, marketplace: Marketplace) -> None:
        self.marketplace = marketplace

    async def create(self, session: str | None, name: str,
                     lifetime_days: int = DEFAULT_TOKEN_LIFETIME_DAYS) -> TokenCreated:
        """A new token of the caller's organisation, valid for one of TOKEN_LIFETIMES_DAYS."""
        user = await self.marketplace._require(session)
        if lifetime_days not in TOKEN_LIFETIMES_DAYS:
            raise InvalidInput("token.lifetime_invalid", choices=", ".join(map(str, TOKEN_LIFETIMES_DAYS)))
        name = name.strip()
        try:
            storable(name)
        except ValueError as exc:
            raise InvalidInput(detail=f"nom du jeton : {exc}") from None
        if not 1 <= len(name) <= 100:
            raise InvalidInput(detail="nom du jeton : entre 1 et 100 caractères")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token_id = new_id()
        async with self.marketplace.pool.acquire() as conn:
            row = await q.insert_token(conn, (token_id, user.org_slug, name, token_hash(token), token[:10], user.id,
                                              lifetime_days))
        assert row is not None  # the session's organisation exists
        return TokenCreated(id=token_id, name=name, token=token, created_at=row["created_at"],
                            expires_at=row["expires_at"])

    async def list(self, session: str | None) -> list[TokenRow]:
        user = await self.marketplace._require(session)
        async with self.marketplace.pool.acquire() as conn:
            rows = await q.tokens_of_org(conn, user.org_slug)
        return [TokenRow(**{**dict(r), "id": str(r["id"])}) for r in rows]

    async def revoke(self, session: str | None, token_id: str) -> None:
        user = await self.marketplace._require(session)
        async with self.marketplace.pool.acquire() as conn:
            try:
                revoked = await q.revoke_token(conn, token_id, user.org_slug)
            except asyncpg.DataError:
                revoked = False
        if not revoked:
            raise NotFound("token.not_found")


async def authenticate(pool: asyncpg.Pool, authorization: str | None) -> UserView:
    """The principal of an `Authorization: Bearer svk_...` header, or NotAuthenticated."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("api.token_required")
    async with pool.acquire() as conn:
        row = await q.principal(conn, token_hash(token.strip()))
    if row is None:
        raise NotAuthenticated("api.token_invalid")
    if row["disabled"]:
        raise NotAuthenticated("api.token_disabled")
    if row["expired"]:
        ended = row["expires_at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        raise NotAuthenticated("api.token_expired", date=ended)
    return UserView(id=f"api-token:{row['id']}", email="", display_name=f"API ({row['org_name']})",
                    role=ROLE_OF_KIND[OrgKind(row["org_kind"])].value, org_slug=row["org_slug"],
                    org_name=row["org_name"], org_kind=row["org_kind"], is_admin=False)
