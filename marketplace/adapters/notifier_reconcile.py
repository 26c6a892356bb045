"""SQL of the notifier's reconciler: the notified events the consumer has not recorded, read in time order."""

from __future__ import annotations

from datetime import datetime

import asyncpg

LOCK_MARK = "SELECT mark FROM notifier_reconcile_marks WHERE name = $1 FOR UPDATE"
MOVE_MARK = "UPDATE notifier_reconcile_marks SET mark = $2 WHERE name = $1"
# asset_events_type_time_idx serves the range; events the consumer already recorded are skipped.
UNSEEN_EVENTS = """
SELECT e.event_id::text AS event_id, e.type, e.asset_id::text AS asset_id, e.occurred_at, e.payload
FROM asset_events e
WHERE e.type = ANY($1::text[]) AND e.occurred_at > $2 AND e.occurred_at <= $3
  AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.consumer = $4 AND i.event_id = e.event_id::text)
ORDER BY e.occurred_at
LIMIT $5
"""


async def locked_mark(conn: asyncpg.Connection, name: str) -> datetime | None:
    """The reconciler's mark, locked for this transaction (None before migration 0023's row exists)."""
    return await conn.fetchval(LOCK_MARK, name)


async def unseen_events(conn: asyncpg.Connection, types: list[str], after: datetime, until: datetime,
                        consumer: str, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(UNSEEN_EVENTS, types, after, until, consumer, limit)


async def move_mark(conn: asyncpg.Connection, name: str, mark: datetime) -> None:
    await conn.execute(MOVE_MARK, name, mark)
