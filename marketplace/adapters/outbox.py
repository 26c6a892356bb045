"""Reading and acknowledging outbox rows (for the relay)."""

from __future__ import annotations

import asyncpg

# The relay is a singleton (advisory lock), so plain ordered reads are enough and keep per-key order.
RELAY_LOCK = 7_201_002

NEXT_BATCH = """
SELECT id, topic, key, headers, value FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1
"""
MARK_PUBLISHED = "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])"
PURGE_PUBLISHED = "DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)"


async def try_become_relay(conn: asyncpg.Connection) -> bool:
    return bool(await conn.fetchval("SELECT pg_try_advisory_lock($1)", RELAY_LOCK))


async def next_batch(conn: asyncpg.Connection, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(NEXT_BATCH, limit)


async def mark_published(conn: asyncpg.Connection, ids: list[int]) -> None:
    await conn.execute(MARK_PUBLISHED, ids)


async def purge_published(conn: asyncpg.Connection, older_than_hours: int) -> None:
    await conn.execute(PURGE_PUBLISHED, older_than_hours)
