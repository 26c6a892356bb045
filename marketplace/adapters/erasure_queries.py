"""SQL of the erasure reports (issue 20, migration 0027): the evidence rows, and what a report is checked
against (the device's known media and its collection)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

INSERT = """
INSERT INTO erasure_reports (id, asset_id, org_id, uploaded_by, tool, sha256, byte_size, raw, station_timezone,
                             reading, media_checked, event_id, created_at)
SELECT $1, $2, o.id, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13 FROM organisations o WHERE o.slug = $3
"""
OF_ASSET = """
SELECT r.id, r.tool, r.sha256, r.byte_size, r.station_timezone, r.reading, r.media_checked, r.event_id,
       r.created_at, r.uploaded_by, o.slug AS org_slug
FROM erasure_reports r JOIN organisations o ON o.id = r.org_id
WHERE r.asset_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2
"""
UPLOADERS = """
SELECT DISTINCT o.slug FROM erasure_reports r JOIN organisations o ON o.id = r.org_id WHERE r.asset_id = $1
"""
RAW = "SELECT raw, sha256 FROM erasure_reports WHERE asset_id = $1 AND id = $2"
# The media an earlier certificate of this device named (a returned device is wiped again: same disks).
CERTIFIED_SERIALS = """
SELECT DISTINCT m->>'serial' AS serial
FROM asset_events e, jsonb_array_elements(e.payload->'certificate'->'media') m
WHERE e.asset_id = $1 AND e.type = 'asset.wiped' AND m->>'serial' IS NOT NULL
"""
# The media a hardware snapshot read (migration 0026, when it is there).
SNAPSHOT_SERIALS = """
SELECT DISTINCT s.serial #>> '{}' AS serial
FROM asset_snapshots a, jsonb_path_query(a.reading, '$.media[*].serial') s(serial)
WHERE a.asset_id = $1 AND jsonb_typeof(s.serial) = 'string'
"""
COLLECTED_AT = """
SELECT max(occurred_at) FROM asset_events WHERE asset_id = $1 AND type = 'asset.collected'
"""


async def insert(conn: asyncpg.Connection, report_id: str, asset_id: str, org: str, uploaded_by: str, tool: str,
                 sha256: str, raw: bytes, station_timezone: str, reading: dict[str, Any], media_checked: bool,
                 event_id: str, at: datetime) -> None:
    await conn.execute(INSERT, report_id, asset_id, org, uploaded_by, tool, sha256, len(raw), raw, station_timezone,
                       reading, media_checked, event_id, at)


async def of_asset(conn: asyncpg.Connection, asset_id: str, limit: int = 20) -> list[asyncpg.Record]:
    return list(await conn.fetch(OF_ASSET, asset_id, limit))


async def uploaders(conn: asyncpg.Connection, asset_id: str) -> frozenset[str]:
    return frozenset(r["slug"] for r in await conn.fetch(UPLOADERS, asset_id))


async def raw(conn: asyncpg.Connection, asset_id: str, report_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(RAW, asset_id, report_id)


async def known_media(conn: asyncpg.Connection, asset_id: str) -> frozenset[str]:
    """Serials of the media the device record knows: its hardware snapshots' and its earlier certificates'."""
    serials = {r["serial"] for r in await conn.fetch(CERTIFIED_SERIALS, asset_id)}
    if await conn.fetchval("SELECT to_regclass('asset_snapshots') IS NOT NULL"):
        serials |= {r["serial"] for r in await conn.fetch(SNAPSHOT_SERIALS, asset_id)}
    return frozenset(s for s in serials if s and s.strip())


async def collected_at(conn: asyncpg.Connection, asset_id: str) -> datetime | None:
    value: datetime | None = await conn.fetchval(COLLECTED_AT, asset_id)
    return value
