"""Dead letters: kept in PostgreSQL for admins, and published to `assets.deadletter.v1` via the outbox."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from events.records import Record, storable_text
from events.topics import DEADLETTER
from marketplace.adapters.event_log import queue_message
from schemas.deadletter import DeadLetter

INSERT = """
INSERT INTO dead_letters (topic, partition, "offset", key, original, error, consumer, attempts)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (consumer, topic, partition, "offset", md5(original)) DO NOTHING RETURNING id
"""


async def record_dead_letter(conn: asyncpg.Connection, record: Record, error: str, consumer: str,
                             attempts: int = 1) -> None:
    """Keep the message and the reason; a redelivery of the same message at the same offset is recorded once."""
    error = storable_text(error)  # a reason may quote the hostile input it refuses (a JSON key with a NUL...)
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


LIST_BY_STATUS = """
SELECT id, topic, partition, "offset", key, original, error, consumer, attempts, failed_at, status, resolved_at
FROM dead_letters WHERE ($1::text IS NULL OR status = $1) ORDER BY id DESC LIMIT $2
"""
LOCK_ONE = 'SELECT id, topic, key, original, status FROM dead_letters WHERE id = $1 FOR UPDATE'
RESOLVE = "UPDATE dead_letters SET status = $2, resolved_by = $3, resolved_at = now() WHERE id = $1"


async def list_dead_letters(conn: asyncpg.Connection, status: str | None, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(LIST_BY_STATUS, status, limit)


async def lock_dead_letter(conn: asyncpg.Connection, letter_id: int) -> asyncpg.Record | None:
    return await conn.fetchrow(LOCK_ONE, letter_id)


async def resolve(conn: asyncpg.Connection, letter_id: int, status: str, user_id: str) -> None:
    await conn.execute(RESOLVE, letter_id, status, user_id)


async def requeue_original(conn: asyncpg.Connection, topic: str, key: str | None, original: bytes) -> None:
    """Send the message, byte for byte, back to its topic through the outbox."""
    await conn.execute(INSERT_OUTBOX_RAW, topic, key, {"replayed": "true"}, original)


INSERT_OUTBOX_RAW = "INSERT INTO outbox (topic, key, headers, value) VALUES ($1, $2, $3, $4)"
