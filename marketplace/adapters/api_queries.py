"""SQL for the REST API: tokens, and the devices an organisation may list."""

from __future__ import annotations

from typing import Any

import asyncpg

from marketplace.adapters.read_models import DEVICE_COLUMNS, DEVICE_FROM

INSERT_TOKEN = """
INSERT INTO api_tokens (id, org_id, name, token_hash, prefix, created_by, created_at, expires_at)
SELECT $1, o.id, $3, $4, $5, $6, now(), now() + make_interval(days => $7) FROM organisations o WHERE o.slug = $2
RETURNING created_at, expires_at
"""
TOKENS_OF_ORG = """
SELECT t.id, t.name, t.prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at
FROM api_tokens t JOIN organisations o ON o.id = t.org_id WHERE o.slug = $1 ORDER BY t.created_at DESC
"""
REVOKE_TOKEN = """
UPDATE api_tokens t SET revoked_at = now() FROM organisations o
WHERE t.id = $1 AND o.id = t.org_id AND o.slug = $2 AND t.revoked_at IS NULL
"""
# A live token: not revoked, not past its end, and its creator still an enabled member of its enabled
# organisation. Decided here, on every request, so that disabling an account or an organisation stops its
# tokens at once; the flags say which rule refused, for a clear error.
PRINCIPAL = """
SELECT t.id, o.slug AS org_slug, o.name AS org_name, o.kind AS org_kind, t.expires_at,
       t.expires_at <= now() AS expired,
       (o.disabled OR u.id IS NULL OR u.disabled OR u.org_id <> t.org_id) AS disabled
FROM api_tokens t JOIN organisations o ON o.id = t.org_id LEFT JOIN users u ON u.id = t.created_by
WHERE t.token_hash = $1 AND t.revoked_at IS NULL
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


async def insert_token(conn: asyncpg.Connection, values: tuple[Any, ...]) -> asyncpg.Record | None:
    """(id, org slug, name, hash, prefix, creator, lifetime in days) -> its created_at and expires_at."""
    return await conn.fetchrow(INSERT_TOKEN, *values)


async def tokens_of_org(conn: asyncpg.Connection, org: str) -> list[asyncpg.Record]:
    return await conn.fetch(TOKENS_OF_ORG, org)


async def revoke_token(conn: asyncpg.Connection, token_id: str, org: str) -> bool:
    return await conn.execute(REVOKE_TOKEN, token_id, org) == "UPDATE 1"


async def principal(conn: asyncpg.Connection, token_hash: str) -> asyncpg.Record | None:
    """The token's row with its `expired` and `disabled` flags; its last use recorded only if it is live."""
    row = await conn.fetchrow(PRINCIPAL, token_hash)
    if row is not None and not row["expired"] and not row["disabled"]:
        await conn.execute(TOUCH, row["id"])
    return row


async def visible_devices(conn: asyncpg.Connection, everything: bool, org: str, catalogue: bool,
                          filters: tuple[Any, ...], limit: int, offset: int) -> list[asyncpg.Record]:
    return await conn.fetch(VISIBLE_DEVICES, everything, org, catalogue, *filters, limit, offset)
