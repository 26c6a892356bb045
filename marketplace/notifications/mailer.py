"""The mailer loop the notifier process runs beside its consumer: announce deadlines, fold pending
notifications into e-mails, send the queue. Everything it works from is in PostgreSQL, so stopping it
delays e-mails and loses none; several can run (SKIP LOCKED everywhere)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import asyncpg

from marketplace.adapters import notification_queries as q
from marketplace.adapters.pool import create_pool
from marketplace.notifications.deadlines import announce_deadlines
from marketplace.notifications.fold import Links, fold_due
from marketplace.notifications.sender import BACKOFF_FIRST_SECONDS, Sender, SmtpConfig
from marketplace.routing_settings import effective_settings
from marketplace.settings import Settings

log = logging.getLogger("seconde_vie.mailer")


def links_of(settings: Settings) -> Links:
    assert settings.ui_state_secret, "UI_STATE_SECRET is required (it signs the unsubscribe links)"
    return Links(settings.public_base_url, settings.ui_state_secret)


class Mailer:
    def __init__(self, settings: Settings, first_backoff: float | None = None,
                 reconcile: Callable[[asyncpg.Pool], Awaitable[object]] | None = None) -> None:
        """`reconcile` runs first at every tick: the notifier process passes the reader of the events the
        broker lost (`marketplace.consumers.notify.reconcile_notifications`), which sits above this package."""
        self.settings = settings
        self.reconcile = reconcile
        self.links = links_of(settings)
        self.smtp = SmtpConfig.from_settings(settings)
        self.first_backoff = BACKOFF_FIRST_SECONDS if first_backoff is None else first_backoff
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def tick(self, pool: asyncpg.Pool) -> tuple[int, int, int]:
        """(pending rows announced, e-mails queued, e-mails sent) in one pass."""
        now = datetime.now(UTC)
        if self.reconcile is not None:
            await self.reconcile(pool)
        async with pool.acquire() as conn:
            settings = await effective_settings(conn, self.settings)
        announced = await announce_deadlines(pool, now, settings.pickup_deadline_hours, settings.routing_max_rounds)
        queued = await fold_due(pool, now, self.settings.notify_group_minutes, self.links)
        async with pool.acquire() as conn:
            await q.purge_folded(conn, now - timedelta(days=self.settings.mail_retention_days))
        sender = Sender(pool, self.settings, self.smtp, first_backoff=self.first_backoff)
        return announced, queued, await sender.send_due()

    async def run(self) -> None:
        assert self.settings.database_url, "DATABASE_URL is required"
        pool: asyncpg.Pool | None = None
        while not self._stopping.is_set():
            try:
                if pool is None:
                    pool = await create_pool(self.settings.database_url, 2)
                done = await self.tick(pool)
                if any(done):
                    log.info("mailer: %d deadlines announced, %d e-mails queued, %d sent", *done)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("mailer tick failed (%s); retrying", exc)
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=self.settings.mailer_interval_seconds)
            except TimeoutError:
                pass
        if pool is not None:
            await pool.close()
