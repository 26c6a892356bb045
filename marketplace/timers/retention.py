"""Personal data past its retention, deleted (the "Données personnelles" page says how long each kind stays):
ended sessions, spent or expired invitation and reset links, and sent e-mails of the mail queue.
Sign-in counters are pruned by the sign-in itself (`sign_in_throttles.prune`)."""

from __future__ import annotations

import asyncpg

from marketplace.adapters import personal_data
from marketplace.settings import Settings

DAY = 86_400.0
EVERY_SECONDS = 60.0  # how often the timer worker runs it: the deletes are small and indexed


async def purge_personal_data(pool: asyncpg.Pool, settings: Settings) -> dict[str, int]:
    async with pool.acquire() as conn, conn.transaction():
        return await personal_data.purge(conn, settings.session_retention_days * DAY,
                                         settings.account_link_retention_days * DAY,
                                         settings.mail_retention_days * DAY)
