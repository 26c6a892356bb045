"""SQL for sending the mail queue (migration 0019): claim one due row, then mark it sent, retried or failed."""

from __future__ import annotations

from datetime import datetime

import asyncpg

# SKIP LOCKED: several senders share the queue, each row is sent by the one that locked it. The lock is
# held while the message goes out, so a crash before the mark rolls the claim back and the row is sent
# again (at-least-once; the same Message-ID lets the receiving server drop the copy).
CLAIM_DUE = """
SELECT id::text, to_user_id::text, to_email, kind, lang, subject, text_body, html_body, attempts
FROM mail_queue
WHERE status = 'queued' AND next_attempt_at <= $1
ORDER BY next_attempt_at, id
LIMIT 1
FOR UPDATE SKIP LOCKED
"""
MARK_SENT = "UPDATE mail_queue SET status = 'sent', sent_at = $2, attempts = attempts + 1 WHERE id = $1"
MARK_RETRY = """
UPDATE mail_queue SET attempts = attempts + 1, next_attempt_at = $2, last_error_class = $3 WHERE id = $1
"""
MARK_FAILED = """
UPDATE mail_queue SET status = 'failed', attempts = attempts + 1, last_error_class = $2 WHERE id = $1
"""
FAILED = """
SELECT id::text, to_email, kind, subject, attempts, last_error_class, created_at, lang
FROM mail_queue WHERE status = 'failed' ORDER BY created_at DESC LIMIT $1
"""
COUNTS = "SELECT status, count(*) FROM mail_queue GROUP BY status"


async def claim_due(conn: asyncpg.Connection, now: datetime) -> asyncpg.Record | None:
    return await conn.fetchrow(CLAIM_DUE, now)


async def mark_sent(conn: asyncpg.Connection, mail_id: str, at: datetime) -> None:
    await conn.execute(MARK_SENT, mail_id, at)


async def mark_retry(conn: asyncpg.Connection, mail_id: str, next_at: datetime, error_class: str) -> None:
    await conn.execute(MARK_RETRY, mail_id, next_at, error_class)


async def mark_failed(conn: asyncpg.Connection, mail_id: str, error_class: str) -> None:
    await conn.execute(MARK_FAILED, mail_id, error_class)


async def failed(conn: asyncpg.Connection, limit: int = 200) -> list[asyncpg.Record]:
    return await conn.fetch(FAILED, limit)


async def counts(conn: asyncpg.Connection) -> dict[str, int]:
    return {r[0]: r[1] for r in await conn.fetch(COUNTS)}
