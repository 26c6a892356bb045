"""The database an operator command works on: DATABASE_URL, or the embedded one under DATA_DIR.

The embedded PostgreSQL is reused while `seconde-vie up` runs, and started and stopped here otherwise.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg

from marketplace.adapters.pool import create_pool
from marketplace.settings import Settings

T = TypeVar("T")


def run_on_database(settings: Settings, work: Callable[[asyncpg.Pool], Awaitable[T]]) -> T:
    """Run `work(pool)` against the operator's database and close everything afterwards."""
    pg = None
    dsn = settings.database_url
    if not dsn:
        from marketplace.runtime.embedded import EmbeddedPostgres

        pg = EmbeddedPostgres(settings.data_dir)
        dsn = pg.start()

    async def main(url: str) -> T:
        pool = await create_pool(url, 3)
        try:
            return await work(pool)
        finally:
            await pool.close()

    try:
        return asyncio.run(main(dsn))
    finally:
        if pg is not None:
            pg.stop()
