"""SQL of the timer worker: due deadlines, found with index scans and locked without waiting.

`FOR UPDATE SKIP LOCKED` lets several timer processes share the work, and keeps a timer from
queueing behind a person's action on the same device (it will see the device on its next tick).
"""

from __future__ import annotations

from datetime import datetime

import asyncpg

DUE_OFFER_EXPIRIES = """
SELECT DISTINCT f.asset_id FROM offers f
WHERE f.status = 'open' AND f.expires_at <= $1 LIMIT $2
"""
# $1: now - PICKUP_DEADLINE_HOURS, $3: now. A claimed device lapses with its pickup (migration 0034): the
# deadline runs from the last claim that joined the pickup, or to the end of its agreed day when later;
# a device in no pickup (none before migration 0034 was left out) from its own claim.
DUE_CLAIM_LAPSES = """
SELECT f.asset_id FROM offers f JOIN assets a ON a.id = f.asset_id
LEFT JOIN LATERAL (
    SELECT p.last_claim_at, p.agreed_until FROM pickup_devices pd JOIN pickups p ON p.id = pd.pickup_id
    WHERE pd.asset_id = a.id ORDER BY pd.joined_at DESC LIMIT 1
) p ON true
WHERE f.status = 'claimed' AND a.state = 'claimed' AND coalesce(p.last_claim_at, f.closed_at) <= $1
  AND (p.agreed_until IS NULL OR p.agreed_until <= $3)
LIMIT $2
"""
DUE_HOLD_EXPIRIES = "SELECT asset_id FROM reservations WHERE status = 'active' AND hold_until <= $1 LIMIT $2"
STUCK_RETIRED = """
SELECT id FROM assets
WHERE state = 'retired' AND updated_at <= $1 AND (reconciled_at IS NULL OR reconciled_at <= $1)
  AND routing_round < $2
ORDER BY updated_at LIMIT $3
"""

LOCK_ASSET = """
SELECT id, code, state, version, last_hash, routing_round, claimer_org_id FROM assets
WHERE id = $1 FOR UPDATE SKIP LOCKED
"""
EXPIRE_OPEN_OFFERS = """
UPDATE offers SET status = 'expired', closed_at = $2
WHERE asset_id = $1 AND status = 'open' AND expires_at <= $2 RETURNING id
"""
COUNT_OPEN_OFFERS = "SELECT count(*) FROM offers WHERE asset_id = $1 AND status = 'open'"
DECLINERS_OF_ROUND = """
SELECT o.slug FROM offers f JOIN organisations o ON o.id = f.org_id
WHERE f.asset_id = $1 AND f.round = $2 AND f.status = 'declined' ORDER BY o.slug
"""
MARK_NO_SHOW = """
UPDATE offers f SET status = 'no_show', closed_at = $2 FROM organisations o
WHERE f.asset_id = $1 AND f.status = 'claimed' AND o.id = f.org_id RETURNING f.id, o.slug
"""
EXPIRE_HOLD = """
UPDATE reservations SET status = 'expired', closed_at = $2
WHERE asset_id = $1 AND status = 'active' AND hold_until <= $2 RETURNING id
"""
MARK_RECONCILED = "UPDATE assets SET reconciled_at = $2 WHERE id = $1"
EXCLUDED_FROM_ROUTING = """
SELECT DISTINCT o.slug FROM offers f JOIN organisations o ON o.id = f.org_id
WHERE f.asset_id = $1 AND f.status IN ('declined', 'no_show')
"""


async def due(conn: asyncpg.Connection, sql: str, *args: object) -> list[str]:
    return [str(r[0]) for r in await conn.fetch(sql, *args)]


async def lock_asset(conn: asyncpg.Connection, asset_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(LOCK_ASSET, asset_id)


async def expire_open_offers(conn: asyncpg.Connection, asset_id: str, at: datetime) -> list[str]:
    return [str(r["id"]) for r in await conn.fetch(EXPIRE_OPEN_OFFERS, asset_id, at)]


async def count_open_offers(conn: asyncpg.Connection, asset_id: str) -> int:
    return int(await conn.fetchval(COUNT_OPEN_OFFERS, asset_id))


async def decliners_of_round(conn: asyncpg.Connection, asset_id: str, round_: int) -> list[str]:
    return [r["slug"] for r in await conn.fetch(DECLINERS_OF_ROUND, asset_id, round_)]


async def mark_no_show(conn: asyncpg.Connection, asset_id: str, at: datetime) -> asyncpg.Record | None:
    return await conn.fetchrow(MARK_NO_SHOW, asset_id, at)


async def expire_hold(conn: asyncpg.Connection, asset_id: str, at: datetime) -> str | None:
    value = await conn.fetchval(EXPIRE_HOLD, asset_id, at)
    return str(value) if value is not None else None


async def mark_reconciled(conn: asyncpg.Connection, asset_id: str, at: datetime) -> None:
    await conn.execute(MARK_RECONCILED, asset_id, at)


async def excluded_from_routing(conn: asyncpg.Connection, asset_id: str) -> frozenset[str]:
    """Organisations that declined the device or failed to collect it: never offered it again."""
    return frozenset(r["slug"] for r in await conn.fetch(EXCLUDED_FROM_ROUTING, asset_id))
