"""SQL of the hardware snapshots (issue 20, migration 0026): the evidence rows and the specs they fill."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

INSERT = """
INSERT INTO asset_snapshots (id, asset_id, org_id, posted_by, sha256, byte_size, raw, reading, warnings, event_id,
                             created_at)
SELECT $1, $2, o.id, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11 FROM organisations o WHERE o.slug = $3
"""
# The measured specs win over what the inventory said (they were read from the device itself); brand, model
# and serial are not specs and are never touched here.
FILL_SPECS = "UPDATE assets SET specs = coalesce(specs, '{}'::jsonb) || $2::jsonb, updated_at = $3 WHERE id = $1"
DECLARED = "SELECT brand, model, serial FROM assets WHERE id = $1"
OF_ASSET = """
SELECT s.id, s.sha256, s.byte_size, s.reading, s.warnings, s.created_at, s.posted_by, o.slug AS org_slug
FROM asset_snapshots s JOIN organisations o ON o.id = s.org_id
WHERE s.asset_id = $1 ORDER BY s.created_at DESC, s.id DESC LIMIT $2
"""
POSTERS = """
SELECT DISTINCT o.slug FROM asset_snapshots s JOIN organisations o ON o.id = s.org_id WHERE s.asset_id = $1
"""
SPECS_OF_CODE = "SELECT specs FROM assets WHERE code = $1"
RAW = "SELECT raw, sha256 FROM asset_snapshots WHERE asset_id = $1 AND id = $2"


async def declared(conn: asyncpg.Connection, asset_id: str) -> asyncpg.Record:
    return await conn.fetchrow(DECLARED, asset_id)


async def insert(conn: asyncpg.Connection, snapshot_id: str, asset_id: str, org: str, posted_by: str, sha256: str,
                 raw: bytes, reading: dict[str, Any], warnings: list[dict[str, str]], event_id: str,
                 at: datetime) -> None:
    await conn.execute(INSERT, snapshot_id, asset_id, org, posted_by, sha256, len(raw), raw, reading, warnings,
                       event_id, at)


async def fill_specs(conn: asyncpg.Connection, asset_id: str, specs: dict[str, Any], at: datetime) -> None:
    await conn.execute(FILL_SPECS, asset_id, specs, at)


async def of_asset(conn: asyncpg.Connection, asset_id: str, limit: int = 20) -> list[asyncpg.Record]:
    return list(await conn.fetch(OF_ASSET, asset_id, limit))


async def posters(conn: asyncpg.Connection, asset_id: str) -> frozenset[str]:
    return frozenset(r["slug"] for r in await conn.fetch(POSTERS, asset_id))


async def specs_of_code(conn: asyncpg.Connection, code: str) -> dict[str, Any]:
    return dict(await conn.fetchval(SPECS_OF_CODE, code) or {})


async def raw(conn: asyncpg.Connection, asset_id: str, snapshot_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(RAW, asset_id, snapshot_id)
