"""Preparing a database: migrations, reference data, and demo data when asked."""

from __future__ import annotations

from marketplace.adapters.migrations import apply_migrations
from marketplace.adapters.pool import create_pool
from marketplace.demo.loader import ensure_reference_data, load_demo_data


async def prepare_database(dsn: str, demo: bool) -> list[str]:
    """Apply migrations and load reference data; in demo mode, the demo data on first start."""
    applied = await apply_migrations(dsn)
    pool = await create_pool(dsn, 2)
    try:
        await ensure_reference_data(pool)
        if demo:
            await load_demo_data(pool)
    finally:
        await pool.close()
    return applied
