"""The outbox relay: publishes committed outbox rows to Kafka, then marks them published.

A row is marked only after the broker acknowledged it, so a crash in between publishes it again
(at-least-once); consumers are idempotent, which makes the result exactly-once in effect. While the
broker is down the relay keeps retrying with backoff. Only one relay publishes at a time (a
PostgreSQL advisory lock), which keeps each device's events in order; others wait as hot standbys.
"""

from __future__ import annotations

import asyncio
import logging
import time

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from marketplace.adapters import outbox
from marketplace.adapters.pool import create_pool
from marketplace.settings import Settings

log = logging.getLogger("seconde_vie.relay")

PURGE_EVERY_SECONDS = 60.0


class Relay:
    def __init__(self, settings: Settings, purge_every_seconds: float = PURGE_EVERY_SECONDS) -> None:
        self.settings = settings
        self.purge_every_seconds = purge_every_seconds
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self.published = 0

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def run(self) -> None:
        """Run until stop(); survives database and broker outages."""
        assert self.settings.database_url
        while not self._stopping.is_set():
            try:
                await self._run_once(self.settings.database_url)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, KafkaError) as exc:
                log.warning("relay interrupted (%s); retrying in 1 s", exc)
                await self._sleep(1.0)

    async def _run_once(self, dsn: str) -> None:
        lock_conn = await asyncpg.connect(dsn)
        try:
            while not await outbox.try_become_relay(lock_conn):
                if await self._sleep(1.0):
                    return
            await lock_conn.add_listener("outbox", lambda *_: self._wake.set())
            pool = await create_pool(dsn, 2)
            producer = AIOKafkaProducer(bootstrap_servers=self.settings.bootstrap_servers, acks="all",
                                        linger_ms=5, max_batch_size=1 << 20)
            await producer.start()
            try:
                await self._publish_loop(pool, producer)
            finally:
                await producer.stop()
                await pool.close()
        finally:
            await lock_conn.close()

    async def _publish_loop(self, pool: asyncpg.Pool, producer: AIOKafkaProducer) -> None:
        next_purge = time.monotonic()
        while not self._stopping.is_set():
            if time.monotonic() >= next_purge:
                next_purge = time.monotonic() + self.purge_every_seconds
                await self._purge(pool)
            self._wake.clear()
            async with pool.acquire() as conn:
                rows = await outbox.next_batch(conn, self.settings.relay_batch_size)
            if not rows:
                await self._wait_for_work()
                continue
            futures = [
                await producer.send(
                    r["topic"], r["value"], key=r["key"].encode() if r["key"] else None,
                    headers=[(k, str(v).encode()) for k, v in r["headers"].items()],
                )
                for r in rows
            ]
            await asyncio.gather(*futures)  # every row acknowledged by the broker ...
            async with pool.acquire() as conn:
                await outbox.mark_published(conn, [r["id"] for r in rows])  # ... before it is marked
            self.published += len(rows)

    async def _purge(self, pool: asyncpg.Pool) -> None:
        """Delete published rows past their retention, so the outbox stays the size of a few days."""
        async with pool.acquire() as conn:
            purged = await outbox.purge_published(conn, self.settings.outbox_retention_hours * 3600)
        if purged:
            log.info("deleted %d outbox rows published over %g h ago", purged, self.settings.outbox_retention_hours)

    async def _wait_for_work(self) -> None:
        try:
            # NOTIFY wakes us at once; the timeout is a safety net for a missed notification.
            await asyncio.wait_for(self._wake.wait(), timeout=self.settings.relay_idle_seconds)
        except TimeoutError:
            pass

    async def _sleep(self, seconds: float) -> bool:
        """Sleep unless stopped; True when stopping."""
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            return False
        return True
