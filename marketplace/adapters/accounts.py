"""SQL for organisations, users and sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

USER_COLUMNS = """
u.id, u.email, u.display_name, u.password_hash, u.is_admin, u.disabled, u.lang,
o.slug AS org_slug, o.name AS org_name, o.kind AS org_kind
"""

USER_BY_EMAIL = f"SELECT {USER_COLUMNS} FROM users u JOIN organisations o ON o.id = u.org_id WHERE lower(u.email) = lower($1)"

USER_BY_SESSION = f"""
SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.org_id
WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled AND NOT o.disabled
"""

INSERT_SESSION = "INSERT INTO sessions (token_hash, user_id, expires_at, client_address) VALUES ($1, $2, $3, $4)"
REVOKE_SESSION = "UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL"

INSERT_ORG = """
INSERT INTO organisations (id, slug, name, kind, pays_code, town, accepted_categories, capacity, contact_email)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
"""
INSERT_USER = """
INSERT INTO users (id, org_id, email, display_name, password_hash, is_admin)
SELECT $1, o.id, $3, $4, $5, $6 FROM organisations o WHERE o.slug = $2
"""


async def user_by_email(conn: asyncpg.Connection, email: str) -> asyncpg.Record | None:
    return await conn.fetchrow(USER_BY_EMAIL, email)


async def user_by_session(conn: asyncpg.Connection, token_hash: str) -> asyncpg.Record | None:
    return await conn.fetchrow(USER_BY_SESSION, token_hash)


async def insert_session(conn: asyncpg.Connection, token_hash: str, user_id: Any, expires_at: datetime,
                         client_address: str = "") -> None:
    await conn.execute(INSERT_SESSION, token_hash, user_id, expires_at, client_address)


async def revoke_session(conn: asyncpg.Connection, token_hash: str) -> None:
    await conn.execute(REVOKE_SESSION, token_hash)


async def org_exists(conn: asyncpg.Connection, slug: str) -> bool:
    return bool(await conn.fetchval("SELECT EXISTS (SELECT 1 FROM organisations WHERE slug = $1)", slug))


async def insert_org(conn: asyncpg.Connection, values: tuple[Any, ...]) -> None:
    await conn.execute(INSERT_ORG, *values)


async def insert_user(conn: asyncpg.Connection, values: tuple[Any, ...]) -> bool:
    """False when the organisation does not exist."""
    return await conn.execute(INSERT_USER, *values) == "INSERT 0 1"


LIST_ORGS = """
SELECT slug, name, kind, pays_code, town, accepted_categories, capacity, contact_email, disabled
FROM organisations ORDER BY kind, name
"""
UPDATE_ORG = """
UPDATE organisations SET name = $2, pays_code = $3, town = $4, accepted_categories = $5, capacity = $6,
       contact_email = $7, disabled = $8
WHERE slug = $1
"""
# Locked: the e-mail's sign-in counter (migration 0016) is at its limit ($1) and its lock is not over.
LIST_USERS = """
SELECT u.id, u.email, u.display_name, o.slug AS org_slug, u.is_admin, u.disabled,
       coalesce(t.attempts >= $1 AND t.until > now(), false) AS locked
FROM users u JOIN organisations o ON o.id = u.org_id
LEFT JOIN sign_in_throttles t ON t.kind = 'account' AND t.subject = sign_in_subject(u.email)
ORDER BY o.slug, u.email
"""
SET_USER_DISABLED = "UPDATE users SET disabled = $2 WHERE id = $1"
SET_PASSWORD = "UPDATE users SET password_hash = $2 WHERE id = $1"
REVOKE_USER_SESSIONS = "UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL"


async def list_orgs(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(LIST_ORGS)


async def update_org(conn: asyncpg.Connection, values: tuple[Any, ...]) -> bool:
    return await conn.execute(UPDATE_ORG, *values) == "UPDATE 1"


async def list_users(conn: asyncpg.Connection, attempts_limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(LIST_USERS, attempts_limit)


async def set_user_disabled(conn: asyncpg.Connection, user_id: str, disabled: bool) -> bool:
    return await conn.execute(SET_USER_DISABLED, user_id, disabled) == "UPDATE 1"


async def set_password(conn: asyncpg.Connection, user_id: str, password_hash: str) -> bool:
    return await conn.execute(SET_PASSWORD, user_id, password_hash) == "UPDATE 1"


async def revoke_user_sessions(conn: asyncpg.Connection, user_id: str) -> None:
    await conn.execute(REVOKE_USER_SESSIONS, user_id)
