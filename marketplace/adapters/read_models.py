"""Queries behind the pages: indexed, paginated, never a full scan on a hot path."""

from __future__ import annotations

import asyncpg

DEVICE_COLUMNS = """
a.id, a.code, a.category, a.brand, a.model, a.year, a.condition, a.state, a.pays_code, a.retired_at, a.updated_at,
d.slug AS donor_slug, d.name AS donor_name, c.slug AS custodian_slug
"""
DEVICE_FROM = """
FROM assets a JOIN organisations d ON d.id = a.donor_org_id LEFT JOIN organisations c ON c.id = a.custodian_org_id
"""

DEVICE_BY_CODE = f"SELECT {DEVICE_COLUMNS} {DEVICE_FROM} WHERE a.code = $1"
DEVICE_BY_ID = f"SELECT {DEVICE_COLUMNS} {DEVICE_FROM} WHERE a.id = $1"

DONATIONS = f"""
SELECT {DEVICE_COLUMNS} {DEVICE_FROM}
WHERE d.slug = $1 ORDER BY a.retired_at DESC, a.id DESC LIMIT $2 OFFSET $3
"""

OPEN_OFFERS = f"""
SELECT f.id AS offer_id, f.score, f.reasons, f.round, f.status, f.expires_at, o.slug AS org_slug, {DEVICE_COLUMNS}
FROM offers f JOIN organisations o ON o.id = f.org_id JOIN assets a ON a.id = f.asset_id
JOIN organisations d ON d.id = a.donor_org_id LEFT JOIN organisations c ON c.id = a.custodian_org_id
WHERE o.slug = $1 AND f.status = 'open' AND f.expires_at > now()
ORDER BY f.expires_at, f.id LIMIT $2
"""

EVENTS_OF_DEVICE = """
SELECT asset_id, sequence, event_id, type, schema_version, occurred_at, actor, correlation_id, causation_id,
       payload, prev_hash, hash
FROM asset_events WHERE asset_id = $1 ORDER BY sequence
"""


async def device_by_code(conn: asyncpg.Connection, code: str) -> asyncpg.Record | None:
    return await conn.fetchrow(DEVICE_BY_CODE, code)


async def device_by_id(conn: asyncpg.Connection, asset_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(DEVICE_BY_ID, asset_id)


async def donations(conn: asyncpg.Connection, donor_slug: str, limit: int, offset: int) -> list[asyncpg.Record]:
    return await conn.fetch(DONATIONS, donor_slug, limit, offset)


async def open_offers(conn: asyncpg.Connection, org_slug: str, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(OPEN_OFFERS, org_slug, limit)


async def events_of_device(conn: asyncpg.Connection, asset_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(EVENTS_OF_DEVICE, asset_id)
