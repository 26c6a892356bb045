"""The `inbox` table, on the caller's transaction (see events/idempotency.py)."""

from __future__ import annotations

import asyncpg

RECORD = "INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1"


class PgInbox:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def first_time(self, consumer: str, event_id: str) -> bool:
        return await self._conn.fetchval(RECORD, consumer, event_id) is not None
