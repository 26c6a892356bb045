"""SQL for invitation and password-reset links (migration 0020) and the accounts they open."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from marketplace.adapters.accounts import USER_COLUMNS

# One live link per person and kind: issuing a new one revokes the others.
REVOKE_LINKS = """
UPDATE account_links SET revoked_at = now()
WHERE user_id = $1 AND kind = $2 AND used_at IS NULL AND revoked_at IS NULL
"""
INSERT_LINK = """
INSERT INTO account_links (token_hash, kind, user_id, created_by, expires_at) VALUES ($1, $2, $3, $4, $5)
"""
# The row is locked: two tabs redeeming the same link at once, one wins and the other finds it used.
LIVE_LINK = f"""
SELECT l.kind, l.user_id, {USER_COLUMNS}
FROM account_links l JOIN users u ON u.id = l.user_id JOIN organisations o ON o.id = u.org_id
WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.revoked_at IS NULL AND l.expires_at > now()
  AND NOT u.disabled AND u.erased_at IS NULL AND NOT o.disabled
FOR UPDATE OF l
"""
USE_LINK = "UPDATE account_links SET used_at = now() WHERE token_hash = $1"
REVOKE_ALL_LINKS = "UPDATE account_links SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL"
INSERT_INVITED_USER = """
INSERT INTO users (id, org_id, email, display_name, password_hash, is_admin, lang)
SELECT $1, o.id, $3, $4, '', $5, $6 FROM organisations o WHERE o.slug = $2
"""
PENDING_USER = "SELECT id, password_hash = '' AS pending, erased_at IS NOT NULL AS erased FROM users WHERE lower(email) = lower($1)"
UPDATE_INVITED_USER = """
UPDATE users u SET display_name = $2, is_admin = $4, lang = $5, org_id = o.id
FROM organisations o WHERE u.id = $1 AND o.slug = $3
"""
USER_BY_ID = f"SELECT {USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1"


async def issue(conn: asyncpg.Connection, token_hash: str, kind: str, user_id: Any, created_by: Any,
                expires_at: datetime) -> None:
    await conn.execute(REVOKE_LINKS, user_id, kind)
    await conn.execute(INSERT_LINK, token_hash, kind, user_id, created_by, expires_at)


async def live_link(conn: asyncpg.Connection, token_hash: str) -> asyncpg.Record | None:
    return await conn.fetchrow(LIVE_LINK, token_hash)


async def use(conn: asyncpg.Connection, token_hash: str, user_id: Any) -> None:
    """The link is spent, and every other live link of the person (the password is chosen now) with it."""
    await conn.execute(USE_LINK, token_hash)
    await conn.execute(REVOKE_ALL_LINKS, user_id)


async def pending_user(conn: asyncpg.Connection, email: str) -> asyncpg.Record | None:
    return await conn.fetchrow(PENDING_USER, email)


async def insert_invited_user(conn: asyncpg.Connection, values: tuple[Any, ...]) -> bool:
    return await conn.execute(INSERT_INVITED_USER, *values) == "INSERT 0 1"


async def update_invited_user(conn: asyncpg.Connection, values: tuple[Any, ...]) -> bool:
    return await conn.execute(UPDATE_INVITED_USER, *values) == "UPDATE 1"


async def user_by_id(conn: asyncpg.Connection, user_id: Any) -> asyncpg.Record | None:
    return await conn.fetchrow(USER_BY_ID, user_id)
