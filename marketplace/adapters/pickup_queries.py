"""The SQL of pickups (migration 0034, `domain/pickups.py`): joining one at a claim, reading them for the
two parties, the agreed date, the pickup's handover code."""

from __future__ import annotations

from datetime import date, datetime

import asyncpg

from marketplace.domain.ids import new_id

# A device is expected in a pickup while it is still claimed by the pickup's claimer and this pickup is the
# last one it joined (a claim that lapsed and was made again joined a newer pickup).
_EXPECTED = """
a.state = 'claimed' AND a.claimer_org_id = p.claimer_org_id
AND NOT EXISTS (SELECT 1 FROM pickup_devices later
                WHERE later.asset_id = pd.asset_id AND later.joined_at > pd.joined_at)
"""

CLOSE_EMPTY = f"""
UPDATE pickups p SET status = 'done', updated_at = $2
WHERE p.id = $1 AND p.status = 'open'
  AND NOT EXISTS (SELECT 1 FROM pickup_devices pd JOIN assets a ON a.id = pd.asset_id
                  WHERE pd.pickup_id = p.id AND {_EXPECTED})
"""
OPEN_OF_SITE = """
SELECT p.id FROM pickups p JOIN assets x ON x.id = $1
WHERE p.status = 'open' AND p.donor_org_id = x.donor_org_id AND p.site = coalesce(x.site, '')
  AND p.claimer_org_id = (SELECT id FROM organisations WHERE slug = $2)
"""
UPSERT = """
INSERT INTO pickups (id, donor_org_id, site, claimer_org_id, proposed_on, proposed_by, last_claim_at,
                     created_at, updated_at)
SELECT $3, x.donor_org_id, coalesce(x.site, ''), c.id, $4, 'claimer', $5, $5, $5
FROM assets x, organisations c WHERE x.id = $1 AND c.slug = $2
ON CONFLICT (donor_org_id, site, claimer_org_id) WHERE status = 'open'
DO UPDATE SET last_claim_at = excluded.last_claim_at, updated_at = excluded.updated_at
RETURNING id
"""
JOIN = """
INSERT INTO pickup_devices (pickup_id, asset_id, joined_at) VALUES ($1, $2, $3)
ON CONFLICT (pickup_id, asset_id) DO UPDATE SET joined_at = excluded.joined_at
"""

_PICKUP_COLUMNS = """
p.id::text AS id, p.site, p.status, p.proposed_on, p.proposed_by, p.agreed, p.last_claim_at, p.agreed_until,
p.created_at, d.slug AS donor, d.name AS donor_name, c.slug AS claimer, c.name AS claimer_name
"""
PICKUP = f"""
SELECT {_PICKUP_COLUMNS} FROM pickups p
JOIN organisations d ON d.id = p.donor_org_id JOIN organisations c ON c.id = p.claimer_org_id
WHERE p.id = $1
"""
LOCK_PICKUP = "SELECT id FROM pickups WHERE id = $1 FOR UPDATE"
OF_ORG = f"""
SELECT {_PICKUP_COLUMNS},
       (SELECT count(*) FROM pickup_devices pd JOIN assets a ON a.id = pd.asset_id
        WHERE pd.pickup_id = p.id AND {_EXPECTED}) AS expected
FROM pickups p
JOIN organisations d ON d.id = p.donor_org_id JOIN organisations c ON c.id = p.claimer_org_id
WHERE p.status = 'open' AND (d.slug = $1 OR c.slug = $1)
ORDER BY p.proposed_on, p.created_at
LIMIT $2
"""
DEVICES = f"""
SELECT a.id::text AS id, a.code, a.category, a.brand, a.model, a.serial, a.state, ({_EXPECTED}) AS expected,
       coalesce(a.custodian_org_id = p.claimer_org_id, false) AS with_claimer
FROM pickup_devices pd JOIN assets a ON a.id = pd.asset_id JOIN pickups p ON p.id = pd.pickup_id
WHERE pd.pickup_id = $1
ORDER BY a.code
"""
SET_DATE = """
UPDATE pickups SET proposed_on = $2, proposed_by = $3, agreed = $4, agreed_until = $5, updated_at = $6
WHERE id = $1
"""
SHOW_CODE = """
UPDATE pickups SET code_hash = $2, code_shown_by = $3, code_expires_at = $4, code_wrong_tries = 0,
                   code_used_at = NULL
WHERE id = $1
"""
LIVE_CODE = """
SELECT code_hash, code_shown_by, code_expires_at, code_wrong_tries, code_used_at FROM pickups
WHERE id = $1 AND code_hash IS NOT NULL
"""
COUNT_WRONG = "UPDATE pickups SET code_wrong_tries = code_wrong_tries + 1 WHERE id = $1 RETURNING code_wrong_tries"
USE_CODE = "UPDATE pickups SET code_used_at = $2 WHERE id = $1"


async def attach(conn: asyncpg.Connection, asset_id: str, claimer: str, first_date: date, at: datetime) -> str:
    """Put a device just claimed into its donor site's open pickup for the claimer (one is opened if none);
    an open pickup left with nothing expected (its claims lapsed) is closed first. Returns the pickup id."""
    existing = await conn.fetchval(OPEN_OF_SITE, asset_id, claimer)
    if existing is not None:
        await conn.execute(CLOSE_EMPTY, existing, at)
    pickup_id = await conn.fetchval(UPSERT, asset_id, claimer, new_id(), first_date, at)
    await conn.execute(JOIN, pickup_id, asset_id, at)
    return str(pickup_id)


async def pickup(conn: asyncpg.Connection, pickup_id: str, lock: bool = False) -> asyncpg.Record | None:
    if lock and await conn.fetchval(LOCK_PICKUP, pickup_id) is None:
        return None
    return await conn.fetchrow(PICKUP, pickup_id)


async def of_org(conn: asyncpg.Connection, org_slug: str, limit: int = 200) -> list[asyncpg.Record]:
    return list(await conn.fetch(OF_ORG, org_slug, limit))


async def devices(conn: asyncpg.Connection, pickup_id: str) -> list[asyncpg.Record]:
    return list(await conn.fetch(DEVICES, pickup_id))


async def set_date(conn: asyncpg.Connection, pickup_id: str, day: date, by: str, agreed: bool,
                   agreed_until: datetime | None, at: datetime) -> None:
    await conn.execute(SET_DATE, pickup_id, day, by, agreed, agreed_until, at)


async def close_if_done(conn: asyncpg.Connection, pickup_id: str, at: datetime) -> bool:
    return (await conn.execute(CLOSE_EMPTY, pickup_id, at)).endswith(" 1")


async def show_code(conn: asyncpg.Connection, pickup_id: str, code_hash: str, shown_by: str,
                    expires_at: datetime) -> None:
    await conn.execute(SHOW_CODE, pickup_id, code_hash, shown_by, expires_at)


async def live_code(conn: asyncpg.Connection, pickup_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(LIVE_CODE, pickup_id)


async def count_wrong(conn: asyncpg.Connection, pickup_id: str) -> int:
    return int(await conn.fetchval(COUNT_WRONG, pickup_id))


async def use_code(conn: asyncpg.Connection, pickup_id: str, at: datetime) -> None:
    await conn.execute(USE_CODE, pickup_id, at)
