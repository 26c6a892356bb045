"""What every service shares: the pool, the settings, and re-checking the caller on every call.

Every method takes the caller's session token, not a user id: the user, the role and the
organisation are looked up again on the server each time, so nothing a browser sends is trusted.
"""

from __future__ import annotations

import asyncpg

from marketplace.adapters import accounts
from marketplace.adapters.views import user_view
from marketplace.auth.credentials import token_hash
from marketplace.domain.errors import Forbidden, NotAuthenticated
from marketplace.domain.permissions import ActorFacts
from marketplace.settings import Settings
from schemas.views import UserView

EVERY_ROLE = frozenset({"asset_manager", "refurbisher", "maker", "third_place", "recycler", "auditor"})


class ServiceBase:
    def __init__(self, pool: asyncpg.Pool, settings: Settings) -> None:
        self.pool = pool
        self.settings = settings

    async def user_for_session(self, token: str | None) -> UserView | None:
        """The signed-in user of a live session, or None (expired, revoked, disabled or unknown)."""
        if not token:
            return None
        async with self.pool.acquire() as conn:
            row = await accounts.user_by_session(conn, token_hash(token))
        return user_view(row) if row else None

    async def _require(self, token: str | None, roles: frozenset[str] = EVERY_ROLE) -> UserView:
        user = await self.user_for_session(token)
        if user is None:
            raise NotAuthenticated()
        if user.role not in roles:
            raise Forbidden(needed=" / ".join(sorted(roles)), role=user.role)
        return user

    async def _require_admin(self, token: str | None) -> UserView:
        user = await self._require(token)
        if not user.is_admin:
            raise Forbidden("auth.admin_only")
        return user


def actor_of(user: UserView) -> ActorFacts:
    return ActorFacts(role=user.role, org=user.org_slug, is_admin=user.is_admin)
