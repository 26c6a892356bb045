"""What every FastStream worker shares: settings and a PostgreSQL pool opened at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import asyncpg

from events.broker import batch_consumer_options
from marketplace.adapters.pool import create_pool
from marketplace.settings import Settings


@dataclass
class WorkerContext:
    settings: Settings
    pool: asyncpg.Pool | None = field(default=None)

    async def start(self) -> None:
        assert self.settings.database_url, "DATABASE_URL is required"
        self.pool = await create_pool(self.settings.database_url, self.settings.db_pool_size)

    async def stop(self) -> None:
        if self.pool is not None:
            await self.pool.close()

    @property
    def db(self) -> asyncpg.Pool:
        assert self.pool is not None, "worker not started"
        return self.pool

    def consumer_options(self, group_id: str) -> dict[str, Any]:
        s = self.settings
        return batch_consumer_options(group_id, s.kafka_session_timeout_ms, s.kafka_heartbeat_interval_ms)
