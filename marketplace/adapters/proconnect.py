"""SQL for ProConnect sign-in: the pending flows, the linked identities, who allowed what (migration 0024)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from marketplace.adapters.accounts import USER_COLUMNS

INSERT_FLOW = "INSERT INTO oidc_flows (state_hash, nonce, code_verifier, expires_at) VALUES ($1, $2, $3, $4)"
# Taken once: a second callback with the same state finds nothing, expired or not.
TAKE_FLOW = "DELETE FROM oidc_flows WHERE state_hash = $1 RETURNING nonce, code_verifier, expires_at > now() AS live"
PRUNE_FLOWS = "DELETE FROM oidc_flows WHERE expires_at < now()"

USER_BY_IDENTITY = f"""
SELECT {USER_COLUMNS}, u.disabled OR o.disabled AS blocked
FROM user_identities i JOIN users u ON u.id = i.user_id JOIN organisations o ON o.id = u.org_id
WHERE i.issuer = $1 AND i.subject = $2
"""
USER_BY_EMAIL = f"""
SELECT {USER_COLUMNS}, u.disabled OR o.disabled AS blocked
FROM users u JOIN organisations o ON o.id = u.org_id WHERE lower(u.email) = lower($1)
"""
# The organisation that allowed this e-mail's domain or this SIRET; a domain is a stronger statement than a
# SIRET (a SIRET names a whole establishment), so it wins when both match different organisations.
ORG_ALLOWING = """
SELECT id, slug FROM organisations
WHERE NOT disabled AND ($1 = ANY(proconnect_domains) OR ($2 <> '' AND $2 = ANY(proconnect_sirets)))
ORDER BY ($1 = ANY(proconnect_domains)) DESC, slug LIMIT 1
"""
INSERT_USER = """
INSERT INTO users (id, org_id, email, display_name, password_hash) VALUES ($1, $2, $3, $4, '')
"""
LINK_IDENTITY = """
INSERT INTO user_identities (issuer, subject, user_id, acr, amr) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (issuer, subject) DO UPDATE SET acr = excluded.acr, amr = excluded.amr, last_used_at = now()
"""
INSERT_SESSION = """
INSERT INTO sessions (token_hash, user_id, expires_at, client_address, method, id_token)
VALUES ($1, $2, $3, $4, 'proconnect', $5)
"""
INSERT_HANDOFF = "INSERT INTO proconnect_handoffs (code_hash, user_id, id_token, expires_at) VALUES ($1, $2, $3, $4)"
PRUNE_HANDOFFS = "DELETE FROM proconnect_handoffs WHERE expires_at < now()"
TAKE_HANDOFF = f"""
WITH taken AS (DELETE FROM proconnect_handoffs WHERE code_hash = $1 AND expires_at > now() RETURNING *)
SELECT {USER_COLUMNS}, u.disabled OR o.disabled AS blocked, taken.id_token
FROM taken JOIN users u ON u.id = taken.user_id JOIN organisations o ON o.id = u.org_id
"""
SESSION_ID_TOKEN = "SELECT id_token FROM sessions WHERE token_hash = $1 AND method = 'proconnect'"


async def insert_flow(conn: asyncpg.Connection, state_hash: str, nonce: str, verifier: str,
                      expires_at: datetime) -> None:
    await conn.execute(PRUNE_FLOWS)
    await conn.execute(INSERT_FLOW, state_hash, nonce, verifier, expires_at)


async def take_flow(conn: asyncpg.Connection, state_hash: str) -> asyncpg.Record | None:
    return await conn.fetchrow(TAKE_FLOW, state_hash)


async def user_by_identity(conn: asyncpg.Connection, issuer: str, subject: str) -> asyncpg.Record | None:
    return await conn.fetchrow(USER_BY_IDENTITY, issuer, subject)


async def user_by_email(conn: asyncpg.Connection, email: str) -> asyncpg.Record | None:
    return await conn.fetchrow(USER_BY_EMAIL, email)


async def org_allowing(conn: asyncpg.Connection, domain: str, siret: str) -> asyncpg.Record | None:
    return await conn.fetchrow(ORG_ALLOWING, domain, siret)


async def insert_user(conn: asyncpg.Connection, org_id: Any, email: str, display_name: str) -> uuid.UUID:
    user_id = uuid.uuid4()
    await conn.execute(INSERT_USER, user_id, org_id, email, display_name)
    return user_id


async def link_identity(conn: asyncpg.Connection, issuer: str, subject: str, user_id: Any, acr: str,
                        amr: list[str]) -> None:
    await conn.execute(LINK_IDENTITY, issuer, subject, user_id, acr, amr)


async def insert_session(conn: asyncpg.Connection, token_hash: str, user_id: Any, expires_at: datetime,
                         client_address: str, id_token: str) -> None:
    await conn.execute(INSERT_SESSION, token_hash, user_id, expires_at, client_address, id_token)


async def session_id_token(conn: asyncpg.Connection, token_hash: str) -> str | None:
    return await conn.fetchval(SESSION_ID_TOKEN, token_hash)


async def insert_handoff(conn: asyncpg.Connection, code_hash: str, user_id: Any, id_token: str,
                         expires_at: datetime) -> None:
    await conn.execute(PRUNE_HANDOFFS)
    await conn.execute(INSERT_HANDOFF, code_hash, user_id, id_token, expires_at)


async def take_handoff(conn: asyncpg.Connection, code_hash: str) -> asyncpg.Record | None:
    return await conn.fetchrow(TAKE_HANDOFF, code_hash)


ALLOWANCES = "SELECT slug, proconnect_domains, proconnect_sirets FROM organisations ORDER BY slug"
SET_ALLOWANCE = "UPDATE organisations SET proconnect_domains = $2, proconnect_sirets = $3 WHERE slug = $1"
SIGN_IN_METHODS = """
SELECT u.id, u.password_hash <> '' AS password,
       EXISTS (SELECT 1 FROM user_identities i WHERE i.user_id = u.id) AS proconnect
FROM users u
"""


async def allowances(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(ALLOWANCES)


async def set_allowance(conn: asyncpg.Connection, slug: str, domains: list[str], sirets: list[str]) -> bool:
    return await conn.execute(SET_ALLOWANCE, slug, domains, sirets) == "UPDATE 1"


async def sign_in_methods(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(SIGN_IN_METHODS)
