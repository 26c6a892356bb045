"""Reading and acknowledging outbox rows (for the relay)."""

from __future__ import annotations

import asyncpg

# The relay is a singleton (advisory lock), so plain ordered reads are enough and keep per-key order.
RELAY_LOCK = 7_201_002

NEXT_BATCH = """
SELECT id, topic, key, headers, value FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1
"""
MARK_PUBLISHED = "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])"
# Among the oldest rows (a cheap primary-key range), those published longer ago than the retention.
PURGE_OLDEST = """
DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT $2)
                     AND published_at < now() - make_interval(secs => $1)
"""


async def try_become_relay(conn: asyncpg.Connection) -> bool:
    return bool(await conn.fetchval("SELECT pg_try_advisory_lock($1)", RELAY_LOCK))


async def next_batch(conn: asyncpg.Connection, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(NEXT_BATCH, limit)


async def mark_published(conn: asyncpg.Connection, ids: list[int]) -> None:
    """Mark rows published without waiting for the commit to reach the disk: a mark lost in a database crash
    only makes the relay publish those rows again, which consumers ignore (they are idempotent)."""
    async with conn.transaction():
        await conn.execute("SET LOCAL synchronous_commit TO off")
        await conn.execute(MARK_PUBLISHED, ids)


async def purge_published(conn: asyncpg.Connection, older_than_seconds: float, chunk: int = 5_000) -> int:
    """Delete rows published longer ago than `older_than_seconds`, oldest first, a chunk per statement;
    returns how many went. Rows are published in id order, so the old ones are at the start; a chunk that
    is not wholly purgeable ends the purge, which keeps each call to a few short statements."""
    total = 0
    while True:
        deleted = int((await conn.execute(PURGE_OLDEST, older_than_seconds, chunk)).split()[-1])
        total += deleted
        if deleted < chunk:
            return total
