"""SQL for the mail queue (migration 0019): queueing an e-mail in the caller's transaction."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

# ON CONFLICT DO NOTHING: the same cause (an event delivered twice, a link asked for twice) mails once.
QUEUE_MAIL = """
INSERT INTO mail_queue (id, to_user_id, to_email, kind, cause, lang, subject, text_body, html_body)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (to_email, kind, cause) DO NOTHING
"""


async def insert_mail(conn: asyncpg.Connection, to_user_id: Any, to_email: str, kind: str, cause: str, lang: str,
                      subject: str, text: str, html: str) -> bool:
    """True when the row was queued, False when this (to_email, kind, cause) was already there."""
    status = await conn.execute(QUEUE_MAIL, uuid.uuid4(), to_user_id, to_email, kind, cause, lang, subject, text,
                                html)
    return bool(status == "INSERT 0 1")
