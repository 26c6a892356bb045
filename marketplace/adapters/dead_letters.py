"""Dead letters: kept in PostgreSQL for admins, and published to `assets.deadletter.v1` via the outbox."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from events.records import Record
from events.topics import DEADLETTER
from marketplace.adapters.event_log import queue_message
from schemas.deadletter import DeadLetter

INSERT = """
INSERT INTO dead_letters (topic, partition, "offset", key, original, error, consumer, attempts)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (consumer, topic, partition, "offset") DO NOTHING RETURNING id
"""

LIST_RECENT = """
SELECT id, topic, partition, "offset", key, original, error, consumer, attempts, failed_at, status
FROM dead_letters ORDER BY id DESC LIMIT $1
"""


async def record_dead_letter(conn: asyncpg.Connection, record: Record, error: str, consumer: str,
                             attempts: int = 1) -> None:
    """Keep the message and the reason; a redelivery of the same offset is recorded once."""
    inserted = await conn.fetchval(INSERT, record.topic, record.partition, record.offset, record.key_text,
                                   record.value, error, consumer, attempts)
    if inserted is None:
        return
    text, encoding = record.value_for_humans()
    letter = DeadLetter(
        original=text, original_encoding=encoding, original_key=record.key_text, topic=record.topic,
        partition=record.partition, offset=record.offset, error=error, consumer=consumer, attempts=attempts,
        failed_at=datetime.now(UTC),
    )
    await queue_message(conn, DEADLETTER.name, record.key_text, letter.model_dump(mode="json"),
                        {"error": error[:200]})


async def recent_dead_letters(conn: asyncpg.Connection, limit: int = 100) -> list[asyncpg.Record]:
    return await conn.fetch(LIST_RECENT, limit)
