"""The SQL of deliveries to a tiers-lieu (`handlers/deliveries.py`): the devices one tiers-lieu holds reserved
among one workshop's, and the workshop's one-time code for the whole delivery (migration 0035)."""

from __future__ import annotations

from datetime import datetime

import asyncpg

# $1: the caller's organisation; the other party's organisation when reading one delivery.
GROUPS = """
SELECT c.slug AS giver, c.name AS giver_name, o.slug AS receiver, o.name AS receiver_name,
       count(*) AS expected, min(r.hold_until) AS first_hold_ends
FROM reservations r
JOIN assets a ON a.id = r.asset_id AND a.state = 'reserved'
JOIN organisations c ON c.id = a.custodian_org_id
JOIN organisations o ON o.id = r.org_id
WHERE r.status = 'active' AND (c.slug = $1 OR o.slug = $1)
GROUP BY c.slug, c.name, o.slug, o.name
ORDER BY min(r.hold_until)
LIMIT 200
"""
DEVICES = """
SELECT a.id::text AS id, a.code, a.category, a.brand, a.model, a.serial, r.hold_until
FROM reservations r
JOIN assets a ON a.id = r.asset_id AND a.state = 'reserved'
JOIN organisations c ON c.id = a.custodian_org_id
JOIN organisations o ON o.id = r.org_id
WHERE r.status = 'active' AND c.slug = $1 AND o.slug = $2
ORDER BY a.code
"""
SHOW = """
INSERT INTO delivery_codes (giver_org_id, receiver_org_id, code_hash, shown_by, created_at, expires_at)
SELECT g.id, r.id, $3, $4, $5, $6 FROM organisations g, organisations r WHERE g.slug = $1 AND r.slug = $2
ON CONFLICT (giver_org_id, receiver_org_id) DO UPDATE
SET code_hash = excluded.code_hash, shown_by = excluded.shown_by, created_at = excluded.created_at,
    expires_at = excluded.expires_at, wrong_tries = 0, used_at = NULL
"""
_KEY = """
FROM delivery_codes d
WHERE d.giver_org_id = (SELECT id FROM organisations WHERE slug = $1)
  AND d.receiver_org_id = (SELECT id FROM organisations WHERE slug = $2)
"""
LIVE = f"SELECT d.code_hash, d.shown_by, d.expires_at, d.wrong_tries, d.used_at {_KEY} FOR UPDATE"
COUNT_WRONG = """
UPDATE delivery_codes d SET wrong_tries = d.wrong_tries + 1
WHERE d.giver_org_id = (SELECT id FROM organisations WHERE slug = $1)
  AND d.receiver_org_id = (SELECT id FROM organisations WHERE slug = $2)
RETURNING d.wrong_tries
"""
USE = """
UPDATE delivery_codes d SET used_at = $3
WHERE d.giver_org_id = (SELECT id FROM organisations WHERE slug = $1)
  AND d.receiver_org_id = (SELECT id FROM organisations WHERE slug = $2)
"""


async def groups(conn: asyncpg.Connection, org: str) -> list[asyncpg.Record]:
    return list(await conn.fetch(GROUPS, org))


async def devices(conn: asyncpg.Connection, giver: str, receiver: str) -> list[asyncpg.Record]:
    return list(await conn.fetch(DEVICES, giver, receiver))


async def show(conn: asyncpg.Connection, giver: str, receiver: str, code_hash: str, shown_by: str,
               at: datetime, expires_at: datetime) -> None:
    await conn.execute(SHOW, giver, receiver, code_hash, shown_by, at, expires_at)


async def live(conn: asyncpg.Connection, giver: str, receiver: str) -> asyncpg.Record | None:
    return await conn.fetchrow(LIVE, giver, receiver)


async def count_wrong(conn: asyncpg.Connection, giver: str, receiver: str) -> int:
    return int(await conn.fetchval(COUNT_WRONG, giver, receiver))


async def use(conn: asyncpg.Connection, giver: str, receiver: str, at: datetime) -> None:
    await conn.execute(USE, giver, receiver, at)
