"""Queries behind the pages: indexed, paginated, never a full scan on a hot path."""

from __future__ import annotations

import asyncpg

from marketplace.domain.device_filters import CatalogueFilter, DeviceListFilter

DEVICE_COLUMNS = """
a.id, a.code, a.category, a.brand, a.model, a.year, a.condition, a.state, a.pays_code, a.retired_at, a.updated_at,
a.grade, a.specs,
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
SELECT f.id AS offer_id, f.score, f.reasons, f.reason_codes, f.round, f.status, f.expires_at, o.slug AS org_slug, {DEVICE_COLUMNS}
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


OFFER_REASONS_OF_DEVICE = "SELECT id, reason_codes FROM offers WHERE asset_id = $1 AND reason_codes IS NOT NULL"


async def offer_reasons_of_device(conn: asyncpg.Connection, asset_id: str) -> dict[str, list[dict[str, object]]]:
    """offer id -> its structured reasons, for the offers of one device that have them (the trail view)."""
    return {str(r["id"]): r["reason_codes"] for r in await conn.fetch(OFFER_REASONS_OF_DEVICE, asset_id)}


async def events_of_device(conn: asyncpg.Connection, asset_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(EVENTS_OF_DEVICE, asset_id)


WORKSHOP_DEVICES = f"""
SELECT {DEVICE_COLUMNS} {DEVICE_FROM}
WHERE c.slug = $1 OR (a.state = 'claimed' AND a.claimer_org_id = (SELECT id FROM organisations WHERE slug = $1))
ORDER BY a.updated_at DESC, a.id LIMIT $2 OFFSET $3
"""

# The minima compare as float8 on both sides: the number typed and the number stored read the same double
# (a numeric parameter would carry the float's binary expansion, and 23.8 would miss a 23.8-inch screen).
CATALOGUE = f"""
SELECT {DEVICE_COLUMNS} {DEVICE_FROM}
WHERE a.state = 'refurbished'
  AND ($1::text IS NULL OR a.category = $1) AND ($2::text IS NULL OR a.grade = $2)
  AND ($3::text IS NULL OR a.pays_code = $3)
  AND ($4::float8 IS NULL OR (a.specs->>'ram_gb')::float8 >= $4)
  AND ($5::float8 IS NULL OR (a.specs->>'storage_gb')::float8 >= $5)
  AND ($6::float8 IS NULL OR (a.specs->>'screen_in')::float8 >= $6)
ORDER BY a.grade, a.updated_at DESC, a.id LIMIT $7 OFFSET $8
"""

RESERVATIONS_OF_ORG = f"""
SELECT {DEVICE_COLUMNS}, r.hold_until {DEVICE_FROM}
JOIN reservations r ON r.asset_id = a.id AND r.status = 'active'
JOIN organisations ro ON ro.id = r.org_id
WHERE ro.slug = $1 ORDER BY r.hold_until, a.id
"""

RECEIVED_BY_THIRD_PLACE = f"""
SELECT {DEVICE_COLUMNS} {DEVICE_FROM}
WHERE c.slug = $1 AND a.state IN ('delivered') ORDER BY a.updated_at DESC, a.id LIMIT $2
"""

ALL_DEVICES = f"""
SELECT {DEVICE_COLUMNS} {DEVICE_FROM}
WHERE ($1::text IS NULL OR a.state = $1) AND ($2::text IS NULL OR d.slug = $2)
  AND ($3::text IS NULL OR a.pays_code = $3)
  AND ($4::date IS NULL OR a.retired_at >= ($4::date::timestamp AT TIME ZONE 'Europe/Paris'))
  AND ($5::date IS NULL OR a.retired_at < (($5::date + 1)::timestamp AT TIME ZONE 'Europe/Paris'))
ORDER BY a.updated_at DESC, a.id LIMIT $6 OFFSET $7
"""

DONOR_CHOICES = "SELECT slug, name FROM organisations WHERE kind = ANY($1::text[]) ORDER BY name, slug"

OFFER_TARGET = """
SELECT a.code, o.slug AS org FROM offers f JOIN assets a ON a.id = f.asset_id JOIN organisations o ON o.id = f.org_id
WHERE f.id = $1
"""

RECYCLERS = "SELECT slug, name FROM organisations WHERE kind = 'recycler' AND NOT disabled ORDER BY name"


async def workshop_devices(conn: asyncpg.Connection, org: str, limit: int, offset: int) -> list[asyncpg.Record]:
    return await conn.fetch(WORKSHOP_DEVICES, org, limit, offset)


async def catalogue(conn: asyncpg.Connection, f: CatalogueFilter, limit: int, offset: int) -> list[asyncpg.Record]:
    return await conn.fetch(CATALOGUE, f.category, f.grade, f.pays, f.min_ram_gb, f.min_storage_gb, f.min_screen_in,
                            limit, offset)


async def reservations_of_org(conn: asyncpg.Connection, org: str) -> list[asyncpg.Record]:
    return await conn.fetch(RESERVATIONS_OF_ORG, org)


async def received_by(conn: asyncpg.Connection, org: str, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(RECEIVED_BY_THIRD_PLACE, org, limit)


async def all_devices(conn: asyncpg.Connection, f: DeviceListFilter, limit: int, offset: int) -> list[asyncpg.Record]:
    return await conn.fetch(ALL_DEVICES, f.state, f.donor, f.pays, f.retired_from, f.retired_to, limit, offset)


async def donor_choices(conn: asyncpg.Connection, kinds: list[str]) -> list[asyncpg.Record]:
    return await conn.fetch(DONOR_CHOICES, kinds)


async def offer_target(conn: asyncpg.Connection, offer_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(OFFER_TARGET, offer_id)


async def recyclers(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(RECYCLERS)


UNCLAIMED = f"""
SELECT {DEVICE_COLUMNS} {DEVICE_FROM}
WHERE a.state = 'retired' AND a.routing_round >= $1 ORDER BY a.updated_at, a.id LIMIT $2
"""


async def unclaimed(conn: asyncpg.Connection, max_rounds: int, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(UNCLAIMED, max_rounds, limit)
