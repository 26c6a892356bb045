"""SQL behind lifecycle actions: the locked facts of a device, offers, reservations, the read row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

ASSET_ID_BY_CODE = "SELECT id FROM assets WHERE code = $1"

# The device row is locked (FOR UPDATE OF a): every action on one device queues here, so the facts the
# rules read cannot change before the event that depends on them is written.
LOCK_FACTS = """
SELECT a.id, a.code, a.state, a.has_storage, a.version, a.last_hash, a.routing_round, a.diagnosis, a.wiped,
       a.storage_destroyed, d.slug AS donor, c.slug AS custodian, cl.slug AS claimer, rf.slug AS refurbisher,
       r.id AS reservation_id, ro.slug AS reserver, r.hold_until
FROM assets a
JOIN organisations d ON d.id = a.donor_org_id
LEFT JOIN organisations c ON c.id = a.custodian_org_id
LEFT JOIN organisations cl ON cl.id = a.claimer_org_id
LEFT JOIN organisations rf ON rf.id = a.refurbisher_org_id
LEFT JOIN reservations r ON r.asset_id = a.id AND r.status = 'active'
LEFT JOIN organisations ro ON ro.id = r.org_id
WHERE a.id = $1
FOR UPDATE OF a
"""

OPEN_OFFERS_OF_ASSET = """
SELECT f.id, o.slug AS org, f.expires_at FROM offers f JOIN organisations o ON o.id = f.org_id
WHERE f.asset_id = $1 AND f.status = 'open'
"""

CLOSE_OFFER = "UPDATE offers SET status = $2, closed_at = $3 WHERE id = $1 AND status = 'open'"
ORG_KIND = "SELECT kind FROM organisations WHERE slug = $1 AND NOT disabled"

INSERT_RESERVATION = """
INSERT INTO reservations (id, asset_id, org_id, status, hold_until, created_at)
SELECT $1, $2, o.id, 'active', $4, $5 FROM organisations o WHERE o.slug = $3
"""
ACTIVE_RESERVATIONS_OF_ORG = """
SELECT count(*) FROM reservations r JOIN organisations o ON o.id = r.org_id
WHERE o.slug = $1 AND r.status = 'active'
"""
CLOSE_RESERVATION = "UPDATE reservations SET status = $2, closed_at = $3 WHERE id = $1 AND status = 'active'"

# Columns an action may set on the read row (names are never taken from input).
PROJECTION_COLUMNS = frozenset({
    "custodian", "claimer", "refurbisher", "diagnosis", "wiped", "storage_destroyed", "grade", "os_installed",
    "beneficiary", "weight_kg",
})
_ORG_COLUMNS = {"custodian": "custodian_org_id", "claimer": "claimer_org_id", "refurbisher": "refurbisher_org_id"}


async def asset_id_by_code(conn: asyncpg.Connection, code: str) -> str | None:
    value = await conn.fetchval(ASSET_ID_BY_CODE, code)
    return str(value) if value is not None else None


async def lock_facts(conn: asyncpg.Connection, asset_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(LOCK_FACTS, asset_id)


async def open_offers_of_asset(conn: asyncpg.Connection, asset_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(OPEN_OFFERS_OF_ASSET, asset_id)


async def close_offer(conn: asyncpg.Connection, offer_id: Any, status: str, at: datetime) -> bool:
    return await conn.execute(CLOSE_OFFER, offer_id, status, at) == "UPDATE 1"


WIPED_DEVICE = """
SELECT a.code, a.category, a.brand, a.model, a.serial, (SELECT name FROM organisations WHERE slug = $2) AS org_name
FROM assets a WHERE a.id = $1
"""


async def wiped_device(conn: asyncpg.Connection, asset_id: str, org_slug: str) -> asyncpg.Record:
    """What a wipe certificate names of the device and of the organisation that sanitised it."""
    row: asyncpg.Record = await conn.fetchrow(WIPED_DEVICE, asset_id, org_slug)
    return row


async def org_kind(conn: asyncpg.Connection, slug: str) -> str | None:
    return await conn.fetchval(ORG_KIND, slug)


async def insert_reservation(conn: asyncpg.Connection, reservation_id: str, asset_id: str, org: str,
                             hold_until: datetime, at: datetime) -> None:
    await conn.execute(INSERT_RESERVATION, reservation_id, asset_id, org, hold_until, at)


async def active_reservations_locked(conn: asyncpg.Connection, org: str) -> int:
    """How many devices `org` holds reserved now, after taking the transaction's lock on its reservations."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('reservations:' || $1, 0))", org)
    return int(await conn.fetchval(ACTIVE_RESERVATIONS_OF_ORG, org))


async def close_reservation(conn: asyncpg.Connection, reservation_id: Any, status: str, at: datetime) -> None:
    await conn.execute(CLOSE_RESERVATION, reservation_id, status, at)


async def update_projection(conn: asyncpg.Connection, asset_id: str, changes: dict[str, Any]) -> None:
    """Set read-row columns after an event (organisations given by slug, None to clear)."""
    if not changes:
        return
    unknown = set(changes) - PROJECTION_COLUMNS
    if unknown:
        raise ValueError(f"not a projection column: {sorted(unknown)}")
    sets, args = [], [asset_id]
    for name, value in changes.items():
        args.append(value)
        if name in _ORG_COLUMNS:
            sets.append(f"{_ORG_COLUMNS[name]} = (SELECT id FROM organisations WHERE slug = ${len(args)})")
        else:
            sets.append(f"{name} = ${len(args)}")
    await conn.execute(f"UPDATE assets SET {', '.join(sets)} WHERE id = $1", *args)
