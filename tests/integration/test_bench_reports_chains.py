"""The loader of `seconde-vie bench reports` writes chains `audit verify` accepts, so the bench's audit figures
are measured on a walk that succeeds (issue 22: it used to store every payload as a JSON string)."""

from __future__ import annotations

from marketplace.adapters.pool import dsn_of
from marketplace.audit.service import AuditService
from tests.integration.stack import Stack
from workers.bench.reports import load, verify_rates


async def test_the_loaded_chains_verify_and_the_bench_prints_the_walks(stack: Stack) -> None:
    devices, events = await load(stack.pool, 1500)
    report = await AuditService(stack.pool).verify(full=True)
    assert report.broken == []
    assert (report.devices, report.events) == (devices, events)
    async with stack.pool.acquire() as conn:
        # Payloads are objects (a report reads their members), not JSON strings.
        assert await conn.fetchval("SELECT count(*) FROM asset_events WHERE jsonb_typeof(payload) <> 'object'") == 0
        assert await conn.fetchval("SELECT count(*) FROM offers WHERE jsonb_typeof(reasons) <> 'array'") == 0

    dsn = dsn_of(stack.pool)
    assert dsn is not None
    rows = [name for name, _ in await verify_rates(dsn)]
    assert f"audit verify --full: {devices:,} devices, {events:,} events, 0 broken" in rows
    assert "audit verify (from the verified heads): 0 devices, 0 events, 0 broken" in rows
    assert f"audit verify --full --jobs 2: {events:,} events, 0 broken" in rows
    assert any("events/s, CPU" in r and "per 1,000 events" in r for r in rows)
