"""SQL behind `seconde-vie audit`: devices page by page (keyset), their events, chain heads by day."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime

import asyncpg

# Keyset pagination on the primary key: each page costs the same however far the walk has gone.
DEVICES_PAGE = """
SELECT id, code, version, last_hash FROM assets WHERE id > $1 ORDER BY id LIMIT $2
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


async def devices_page(conn: asyncpg.Connection, after: str, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(DEVICES_PAGE, after, limit)


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
