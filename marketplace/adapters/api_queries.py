"""SQL for the REST API: tokens, and the devices an organisation may list."""

from __future__ import annotations

from typing import Any

import asyncpg

from marketplace.adapters.read_models import DEVICE_COLUMNS, DEVICE_FROM

INSERT_TOKEN = """
INSERT INTO api_tokens (id, org_id, name, token_hash, prefix, created_by)
SELECT $1, o.id, $3, $4, $5, $6 FROM organisations o WHERE o.slug = $2
"""
TOKENS_OF_ORG = """
SELECT t.id, t.name, t.prefix, t.created_at, t.last_used_at, t.revoked_at
FROM api_tokens t JOIN organisations o ON o.id = t.org_id WHERE o.slug = $1 ORDER BY t.created_at DESC
"""
REVOKE_TOKEN = """
UPDATE api_tokens t SET revoked_at = now() FROM organisations o
WHERE t.id = $1 AND o.id = t.org_id AND o.slug = $2 AND t.revoked_at IS NULL
"""
PRINCIPAL = """
SELECT t.id, o.slug AS org_slug, o.name AS org_name, o.kind AS org_kind
FROM api_tokens t JOIN organisations o ON o.id = t.org_id
WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT o.disabled
"""
# At most one write a minute per token: the column says "recently used", not "every call".
TOUCH = """
UPDATE api_tokens SET last_used_at = now()
WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
"""

# What an organisation sees in `GET /api/devices`: what it donated, holds, claimed, reserved or was offered;
# third places also see the catalogue (refurbished devices); auditors see everything.
VISIBLE_DEVICES = f"""
SELECT {DEVICE_COLUMNS} {DEVICE_FROM}
WHERE ($1::boolean OR d.slug = $2 OR c.slug = $2
       OR a.claimer_org_id = (SELECT id FROM organisations WHERE slug = $2)
       OR ($3::boolean AND a.state = 'refurbished')
       OR EXISTS (SELECT 1 FROM offers f JOIN organisations fo ON fo.id = f.org_id
                  WHERE f.asset_id = a.id AND fo.slug = $2 AND f.status = 'open')
       OR EXISTS (SELECT 1 FROM reservations r JOIN organisations ro ON ro.id = r.org_id
                  WHERE r.asset_id = a.id AND ro.slug = $2 AND r.status = 'active'))
  AND ($4::text IS NULL OR a.state = $4) AND ($5::text IS NULL OR a.category = $5)
  AND ($6::text IS NULL OR d.slug = $6) AND ($7::timestamptz IS NULL OR a.updated_at >= $7)
ORDER BY a.updated_at DESC, a.id LIMIT $8 OFFSET $9
"""


async def insert_token(conn: asyncpg.Connection, values: tuple[Any, ...]) -> bool:
    return await conn.execute(INSERT_TOKEN, *values) == "INSERT 0 1"


async def tokens_of_org(conn: asyncpg.Connection, org: str) -> list[asyncpg.Record]:
    return await conn.fetch(TOKENS_OF_ORG, org)


async def revoke_token(conn: asyncpg.Connection, token_id: str, org: str) -> bool:
    return await conn.execute(REVOKE_TOKEN, token_id, org) == "UPDATE 1"


async def principal(conn: asyncpg.Connection, token_hash: str) -> asyncpg.Record | None:
    row = await conn.fetchrow(PRINCIPAL, token_hash)
    if row is not None:
        await conn.execute(TOUCH, row["id"])
    return row


async def visible_devices(conn: asyncpg.Connection, everything: bool, org: str, catalogue: bool,
                          filters: tuple[Any, ...], limit: int, offset: int) -> list[asyncpg.Record]:
    return await conn.fetch(VISIBLE_DEVICES, everything, org, catalogue, *filters, limit, offset)
