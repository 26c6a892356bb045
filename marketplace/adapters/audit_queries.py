"""SQL behind `seconde-vie audit`: devices page by page (keyset), their events, chain heads by day, and where
each chain was last verified."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime

import asyncpg

# Keyset pagination on the primary key: each page costs the same however far the walk has gone.
DEVICES_PAGE = """
SELECT a.id::text AS id, a.code, a.version, a.last_hash, h.sequence AS verified_sequence, h.hash AS verified_hash
FROM assets a LEFT JOIN audit_verified_heads h ON h.asset_id = a.id
WHERE a.id > $1::uuid AND a.id <= $3::uuid ORDER BY a.id LIMIT $2
"""
# The verifier's hot path: every member as the text it was hashed from (docs/audit.md), so the walk decodes
# nothing but the payload. to_char's MS truncates, as `iso_ms` does.
_STORED_ROW = """
SELECT e.asset_id::text, e.sequence, e.event_id::text, e.type, e.schema_version,
       to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       e.actor->>'org', e.actor->>'user', e.actor->>'system', e.correlation_id::text, e.causation_id::text,
       e.payload::text, e.prev_hash, e.hash
"""
# Every event of the devices whose ids are in (after, last]: one range scan of the primary key.
ROWS_IN_RANGE = _STORED_ROW + """
FROM asset_events e WHERE e.asset_id > $1::uuid AND e.asset_id <= $2::uuid ORDER BY e.asset_id, e.sequence
"""
# The events of each device from its last verified sequence on (that event included, to see it unchanged).
ROWS_FROM_HEADS = _STORED_ROW + """
FROM unnest($1::uuid[], $2::int[]) AS h(asset_id, sequence)
JOIN asset_events e ON e.asset_id = h.asset_id AND e.sequence >= h.sequence ORDER BY e.asset_id, e.sequence
"""
# The devices whose read row moved past the head verified last (or never verified), by keyset pages.
CHANGED_DEVICES_PAGE = """
SELECT a.id::text AS id, a.code, a.version, a.last_hash, h.sequence AS verified_sequence, h.hash AS verified_hash
FROM assets a LEFT JOIN audit_verified_heads h ON h.asset_id = a.id
WHERE a.id > $1::uuid AND a.id <= $3::uuid AND (h.asset_id IS NULL OR h.sequence <> a.version OR h.hash <> a.last_hash)
ORDER BY a.id LIMIT $2
"""
UNCHANGED_DEVICES = """
SELECT count(*) FROM assets a JOIN audit_verified_heads h ON h.asset_id = a.id
WHERE a.id > $1::uuid AND a.id <= $2::uuid AND h.sequence = a.version AND h.hash = a.last_hash
"""
RECORD_HEADS = """
INSERT INTO audit_verified_heads (asset_id, sequence, hash)
SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[])
ON CONFLICT (asset_id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash, verified_at = now()
WHERE (audit_verified_heads.sequence, audit_verified_heads.hash) IS DISTINCT FROM (excluded.sequence, excluded.hash)
"""
EVENTS_OF_DEVICES = """
SELECT asset_id, sequence, event_id, type, schema_version, occurred_at, actor, correlation_id, causation_id,
       payload, prev_hash, hash
FROM asset_events WHERE asset_id = ANY($1::uuid[]) ORDER BY asset_id, sequence
"""
# Each device's last event before the cutoff: its chain head at that moment.
HEADS_BEFORE = """
SELECT DISTINCT ON (asset_id) asset_id::text AS asset_id, sequence, hash
FROM asset_events WHERE occurred_at < $1 ORDER BY asset_id, sequence DESC
"""
DIGESTS = "SELECT day, digest, devices, events FROM chain_digests ORDER BY day"
INSERT_DIGEST = """
INSERT INTO chain_digests (day, digest, devices, events) VALUES ($1, $2, $3, $4) ON CONFLICT (day) DO NOTHING
"""
FIRST_EVENT_DAY = "SELECT min(occurred_at) FROM asset_events"

ZERO_UUID = "00000000-0000-0000-0000-000000000000"
LAST_UUID = "ffffffff-ffff-ffff-ffff-ffffffffffff"


async def devices_page(conn: asyncpg.Connection, after: str, limit: int, until: str = LAST_UUID) -> list[asyncpg.Record]:
    return await conn.fetch(DEVICES_PAGE, after, limit, until)


async def changed_devices_page(conn: asyncpg.Connection, after: str, limit: int,
                               until: str = LAST_UUID) -> list[asyncpg.Record]:
    return await conn.fetch(CHANGED_DEVICES_PAGE, after, limit, until)


async def unchanged_devices(conn: asyncpg.Connection, after: str = ZERO_UUID, until: str = LAST_UUID) -> int:
    return int(await conn.fetchval(UNCHANGED_DEVICES, after, until))


async def rows_in_range(conn: asyncpg.Connection, after: str, last: str) -> list[asyncpg.Record]:
    return await conn.fetch(ROWS_IN_RANGE, after, last)


async def rows_from_heads(conn: asyncpg.Connection, ids: list[str], sequences: list[int]) -> list[asyncpg.Record]:
    return await conn.fetch(ROWS_FROM_HEADS, ids, sequences)


async def record_heads(conn: asyncpg.Connection, heads: list[tuple[str, int, str]]) -> None:
    if heads:
        await conn.execute(RECORD_HEADS, [h[0] for h in heads], [h[1] for h in heads], [h[2] for h in heads])


async def events_of_devices(conn: asyncpg.Connection, ids: list[str]) -> list[asyncpg.Record]:
    return await conn.fetch(EVENTS_OF_DEVICES, ids)


async def heads_before(conn: asyncpg.Connection, cutoff: datetime) -> AsyncIterator[asyncpg.Record]:
    """Stream the heads through a server-side cursor (the caller holds a transaction)."""
    async for row in conn.cursor(HEADS_BEFORE, cutoff, prefetch=5000):
        yield row


async def digests(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(DIGESTS)


async def insert_digest(conn: asyncpg.Connection, day: date, digest: str, devices: int, events: int) -> bool:
    return str(await conn.execute(INSERT_DIGEST, day, digest, devices, events)).endswith(" 1")


async def first_event_at(conn: asyncpg.Connection) -> datetime | None:
    value: datetime | None = await conn.fetchval(FIRST_EVENT_DAY)
    return value
