"""Folding pending notifications into e-mails: one per person and kind for what came within the grouping
window ("at once"), a day ("daily digest") or a week ("weekly"), queued in mail_queue in the same transaction that
marks the pending rows folded, so each notification is in exactly one e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from marketplace.adapters import notification_queries as q
from marketplace.notifications.kinds import effective_mode
from marketplace.notifications.links import unsubscribe_url
from marketplace.notifications.outbox import queue_mail
from marketplace.notifications.texts import write
from marketplace.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Links:
    base_url: str
    secret: str


async def fold_due(pool: asyncpg.Pool, now: datetime, group_minutes: float, links: Links, limit: int = 200) -> int:
    """Queue the e-mails of every due (person, kind); returns how many were queued."""
    async with pool.acquire() as conn:
        groups = await q.due_groups(conn, now - timedelta(minutes=group_minutes), now - timedelta(days=1),
                                    now - timedelta(days=7), limit)
    queued = 0
    for group in groups:
        async with UnitOfWork(pool) as uow:
            queued += await _fold(uow.conn, group["user_id"], group["kind"], group["mode"], links)
    return queued


async def _fold(conn: asyncpg.Connection, user_id: str, kind: str, mode: str, links: Links) -> int:
    rows = await q.lock_group(conn, user_id, kind, mode)
    if not rows:
        return 0  # another mailer holds them
    await q.mark_folded(conn, [i for i, _ in rows])
    person = await q.person(conn, user_id, kind)
    if person is None or person["disabled"] or effective_mode(kind, person["org_kind"], person["chosen"],
                                                                       person["is_admin"]) == "never":
        return 0  # they turned it off (or left) since
    url = unsubscribe_url(links.base_url, links.secret, user_id, kind)
    written = write(kind, person["lang"], person["display_name"], [f for _, f in rows], links.base_url, url)
    await queue_mail(conn, to_user_id=user_id, to_email=person["email"], kind=kind, cause=f"{kind}:{rows[0][0]}",
                     lang=person["lang"], subject=written.subject, text=written.text, html=written.html)
    return 1
