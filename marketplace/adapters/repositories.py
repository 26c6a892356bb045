"""Readable SQL for organisations, devices and offers. Every function runs on the caller's connection."""

from __future__ import annotations

from typing import Any

import asyncpg

ORG_BY_SLUG = "SELECT id, slug, name, kind, pays_code FROM organisations WHERE slug = $1"


INSERT_ASSET = """
INSERT INTO assets (id, code, donor_org_id, request_id, category, brand, model, serial, inventory_number,
                    year, condition, has_storage, site, specs, weight_kg, unit_value_eur, notes, pays_code,
                    custodian_org_id, state, version, last_hash, retired_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $3, 'retired', 1, $19,
        $20, $20)
ON CONFLICT (donor_org_id, request_id) DO NOTHING
RETURNING id
"""

ASSET_BY_REQUEST = "SELECT id, code FROM assets WHERE donor_org_id = $1 AND request_id = $2"


INSERT_OFFER = """
INSERT INTO offers (id, asset_id, org_id, round, score, reasons, status, created_at, expires_at, reason_codes)
SELECT $1, $2, o.id, $4, $5, $6, 'open', $7, $8, $9 FROM organisations o WHERE o.slug = $3
"""

SET_ROUTING_ROUND = "UPDATE assets SET routing_round = $2 WHERE id = $1"


async def org_by_slug(conn: asyncpg.Connection, slug: str) -> asyncpg.Record | None:
    return await conn.fetchrow(ORG_BY_SLUG, slug)


async def insert_asset(conn: asyncpg.Connection, values: tuple[Any, ...]) -> bool:
    """True when inserted, False when this (donor, request id) already exists."""
    return await conn.fetchval(INSERT_ASSET, *values) is not None


async def asset_by_request(conn: asyncpg.Connection, donor_id: Any, request_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(ASSET_BY_REQUEST, donor_id, request_id)


async def insert_offers(conn: asyncpg.Connection, rows: list[tuple[Any, ...]]) -> None:
    await conn.executemany(INSERT_OFFER, rows)


async def set_routing_round(conn: asyncpg.Connection, asset_id: str, round_: int) -> None:
    await conn.execute(SET_ROUTING_ROUND, asset_id, round_)


BEST_OPEN_OFFER = """
SELECT f.id, o.slug FROM offers f JOIN organisations o ON o.id = f.org_id
WHERE f.asset_id = $1 AND f.status = 'open' ORDER BY f.score DESC, f.id LIMIT 1
"""

UPSERT_PAYS = """
INSERT INTO pays (code, name, department_codes, main_town, lat, lon) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (code) DO NOTHING
"""


async def best_open_offer(conn: asyncpg.Connection, asset_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(BEST_OPEN_OFFER, asset_id)


async def upsert_pays(conn: asyncpg.Connection, rows: list[tuple[Any, ...]]) -> None:
    await conn.executemany(UPSERT_PAYS, rows)


async def count_organisations(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM organisations"))
