"""Timer worker: every few seconds, runs the due deadlines and the reconciler (marketplace/timers/jobs.py).

The deadlines live in PostgreSQL, so stopping this worker delays them and loses nothing; several
timer workers can run at once (each device is locked with SKIP LOCKED).
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta

import asyncpg

from marketplace.adapters.pool import create_pool
from marketplace.handlers.match import reconcile_matching
from marketplace.routing_settings import effective_settings
from marketplace.settings import Settings
from marketplace.timers import retention
from marketplace.timers.jobs import Timers

log = logging.getLogger("seconde_vie.timers")


class TimerWorker:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._stopping = asyncio.Event()
        self.ticks = 0

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        assert self.settings.database_url, "DATABASE_URL is required"
        pool: asyncpg.Pool | None = None
        purged_at = 0.0
        while not self._stopping.is_set():
            try:
                if pool is None:
                    pool = await create_pool(self.settings.database_url, 2)
                async with pool.acquire() as conn:
                    settings = await effective_settings(conn, self.settings)
                report = await Timers(pool, settings).tick()
                self.ticks += 1
                if report.acted or report.errors:
                    log.info("timers: %s", report)
                # Refurbished devices the matcher never proposed (a lost message, a need posted since).
                proposed = await reconcile_matching(pool, timedelta(seconds=settings.reconcile_after_seconds))
                if proposed:
                    log.info("timers: %d refurbished devices proposed to needs by the reconciler", proposed)
                if time.monotonic() - purged_at >= retention.EVERY_SECONDS:
                    purged = await retention.purge_personal_data(pool, self.settings)
                    purged_at = time.monotonic()
                    if any(purged.values()):
                        log.info("timers: personal data past its retention deleted: %s", purged)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("timer tick failed (%s); retrying", exc)
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=self.settings.timer_interval_seconds)
            except TimeoutError:
                pass
        if pool is not None:
            await pool.close()
