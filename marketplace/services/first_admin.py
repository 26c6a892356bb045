"""The first administrator of a fresh database, for the operator's command line (`seconde-vie admin create`).

There is no session to check here: whoever runs the command holds the database's credentials already. It
is no method of the `Marketplace` facade, so no page or API route can reach it. The password is never an
argument: the operator types it (twice) at a terminal, or receives a single-use link to choose it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import asyncpg

from marketplace.adapters import account_links, accounts
from marketplace.auth.hashing import PASSWORDS
from marketplace.auth.password_policy import check_new_password
from marketplace.domain.errors import Conflict, DomainError, InvalidInput
from marketplace.domain.ids import new_id
from marketplace.services.account_links import LinkServices


@dataclass(frozen=True)
class FirstAdmin:
    email: str
    name: str
    org_slug: str
    org_name: str | None = None  # with pays: create the organisation (kind region) when it does not exist
    pays: str | None = None


async def create_admin(services: LinkServices, admin: FirstAdmin, password: str | None) -> str | None:
    """Create the admin account (and its organisation when asked); the single-use link to set its password
    when no password is given, else None."""
    if password is not None:
        check_new_password(password, email=admin.email, name=admin.name)
        password_hash = await PASSWORDS.hash(password)
    async with services.pool.acquire() as conn, conn.transaction():
        await _ensure_org(conn, admin)
        user_id = new_id()
        try:
            if not await account_links.insert_invited_user(conn, (user_id, admin.org_slug, admin.email, admin.name,
                                                                  True, "fr")):
                raise DomainError("org.unknown", org=admin.org_slug)
        except asyncpg.UniqueViolationError as exc:
            raise Conflict("user.email_taken", email=admin.email) from exc
        if password is not None:
            await accounts.set_password(conn, user_id, password_hash)
            return None
        # Short-lived, like a reset link: the operator opens it right away.
        return await services._issue(conn, "invitation", user_id, None,
                                     timedelta(minutes=services.settings.reset_link_ttl_minutes))


async def _ensure_org(conn: asyncpg.Connection, admin: FirstAdmin) -> None:
    if await accounts.org_exists(conn, admin.org_slug):
        return
    if not admin.org_name or not admin.pays:
        raise DomainError("org.unknown", org=admin.org_slug)
    try:
        await accounts.insert_org(conn, (new_id(), admin.org_slug, admin.org_name, "region", admin.pays, "", [], 0,
                                         None))
    except asyncpg.ForeignKeyViolationError as exc:
        raise InvalidInput(detail=f"pays: unknown pays {admin.pays}") from exc
