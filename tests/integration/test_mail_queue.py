"""The mail queue's door (marketplace/notifications/outbox.py): a row in the caller's transaction, once per
person, kind and cause."""

from __future__ import annotations

import asyncpg

from marketplace.adapters.migrations import apply_migrations
from marketplace.notifications.outbox import queue_mail


async def queue(conn: asyncpg.Connection, cause: str) -> None:
    await queue_mail(conn, to_user_id=None, to_email="a@example.org", kind="invitation", cause=cause, lang="fr",
                     subject="Objet é", text="texte", html="<p>texte</p>")


class Boom(Exception):
    pass


async def test_the_same_cause_is_queued_once_and_a_rolled_back_cause_not_at_all(fresh_dsn: str) -> None:
    await apply_migrations(fresh_dsn)
    conn = await asyncpg.connect(fresh_dsn)
    try:
        async with conn.transaction():
            await queue(conn, "c1")
            await queue(conn, "c1")
        try:
            async with conn.transaction():
                await queue(conn, "c2")
                raise Boom
        except Boom:
            pass
        rows = await conn.fetch("SELECT cause, status, attempts, subject FROM mail_queue")
        assert [(r["cause"], r["status"], r["attempts"], r["subject"]) for r in rows] == [("c1", "queued", 0, "Objet é")]
    finally:
        await conn.close()
