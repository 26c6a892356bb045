"""What the fuzz tests (tests/*/test_fuzz_*.py) share: hypothesis settings, hostile strings, a real database.

How many examples each fuzz test runs comes from the hypothesis profile loaded in tests/conftest.py:
`fast` by default (what `make test` runs), `long` with `SV_FUZZ=long` (thousands of examples).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from marketplace.adapters.pool import create_pool
from marketplace.runtime.database_setup import prepare_database
from marketplace.services import Marketplace
from marketplace.settings import Settings

# One database per test function, shared by its examples (each example checks what it changed, by
# counting rows before and after, so earlier examples do not matter). No deadline: the machine is shared.
DB_FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                         HealthCheck.data_too_large])

# Text a hostile or broken client sends: NUL and other control characters, lone surrogates (valid in JSON
# escapes, not in UTF-8), right-to-left marks, emoji, very long values.
NASTY = st.sampled_from([
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfff", "\u202e\u0645\u0631\u062d\u0628\u0627", "😀" * 40, "\t\r\n",
    "=cmd|' /C calc'!A0", "'; DROP TABLE assets; --", "%s%s%n", "{detail}", "Robert'); --", "ÃƒÂ©", "é" * 3000,
    "A" * 10_000, "\u0085\u2028", "NaN", "null", "-0", "1e309",
])
TEXT = st.one_of(st.text(max_size=60), NASTY)
# Any JSON value, surrogates and NUL included (json.dumps escapes them; json.loads gives them back).
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)



async def counts(pool: asyncpg.Pool) -> dict[str, int]:
    """Rows in every table of the schema."""
    async with pool.acquire() as conn:
        tables = [r["t"] for r in await conn.fetch(
            "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY 1")]
        return {t: int(await conn.fetchval(f'SELECT count(*) FROM "{t}"')) for t in tables}


async def snapshot(pool: asyncpg.Pool, skip: frozenset[str] = frozenset()) -> dict[str, tuple[int, int]]:
    """Every table's row count and newest row version: equal snapshots mean nothing was inserted, updated or
    deleted (an insert or an update writes a row whose xmin is the newest transaction id; a delete lowers the count)."""
    async with pool.acquire() as conn:
        tables = [r["t"] for r in await conn.fetch(
            "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY 1")]
        found = {}
        for t in tables:
            if t in skip:
                continue
            row = await conn.fetchrow(f'SELECT count(*) AS n, coalesce(max(xmin::text::bigint), 0) AS v FROM "{t}"')
            found[t] = (int(row["n"]), int(row["v"]))
        return found


@dataclass
class FuzzDb:
    pool: asyncpg.Pool
    settings: Settings
    marketplace: Marketplace


@asynccontextmanager
async def fuzz_db(dsn: str, **overrides: object) -> AsyncIterator[FuzzDb]:
    """The test's fresh database, migrated, with the demo organisations and accounts (no devices, no broker)."""
    from marketplace.demo.loader import load_demo_data

    await prepare_database(dsn, demo=False)
    pool = await create_pool(dsn, 3)
    try:
        await load_demo_data(pool, devices=0)
        settings_ = Settings(database_url=dsn, **overrides)  # type: ignore[arg-type]
        yield FuzzDb(pool, settings_, Marketplace(pool, settings_))
    finally:
        await pool.close()
