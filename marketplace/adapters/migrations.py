"""Plain SQL migrations, applied in file-name order and recorded in `schema_migrations`."""

from __future__ import annotations

from importlib import resources

import asyncpg

# One migrator at a time across processes (several workers may start together).
_MIGRATION_LOCK = 7_201_001


def migration_files() -> list[tuple[str, str]]:
    folder = resources.files("marketplace").joinpath("adapters/migrations")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(name, folder.joinpath(name).read_text(encoding="utf-8")) for name in names]


async def apply_migrations(dsn: str) -> list[str]:
    """Apply what is missing; returns the names applied now. Safe to run concurrently."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")}
        applied = []
        for name, sql in migration_files():
            if name in done:
                continue
            async with conn.transaction():
                await conn.execute(sql)
                await conn.execute("INSERT INTO schema_migrations (name) VALUES ($1)", name)
            applied.append(name)
        return applied
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK)
        await conn.close()
