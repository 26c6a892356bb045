"""Claim throughput: concurrent claimers, each claiming the devices offered to it, through the services."""

from __future__ import annotations

import asyncio
import time
import uuid

from marketplace.adapters import bench_queries
from marketplace.adapters.pool import create_pool
from marketplace.auth.credentials import hash_password
from marketplace.domain.ids import new_id
from marketplace.services import Marketplace
from marketplace.settings import Settings
from workers.bench.throughput import Throughput

PASSWORD = "bench-claimer-password"


async def concurrent_claims(dsn: str, run: str, claimers: int, devices: int) -> Throughput:
    """`devices` devices of `run` offered to one of `claimers` new associations each; all claim at once."""
    pool = await create_pool(dsn, min(claimers, 20))
    prefix = f"bench-claimer-{uuid.uuid4().hex[:6]}"
    try:
        password_hash = hash_password(PASSWORD)
        async with pool.acquire() as conn:
            for i in range(claimers):
                await bench_queries.add_claimer(conn, new_id(), new_id(), f"{prefix}-{i:03d}",
                                                f"{prefix}-{i:03d}@bench.invalid", password_hash)
            await bench_queries.offer_to_claimers(conn, run, prefix, claimers, devices)
        market = Marketplace(pool, Settings(database_url=dsn))
        work = []
        for i in range(claimers):
            token = (await market.sign_in(f"{prefix}-{i:03d}@bench.invalid", PASSWORD)).token
            async with pool.acquire() as conn:
                work.append((token, await bench_queries.codes_offered_to(conn, f"{prefix}-{i:03d}")))

        async def claimer(token: str, codes: list[str]) -> int:
            for code in codes:
                await market.perform(token, code, "claim", {})
            return len(codes)

        started = time.perf_counter()
        done = sum(await asyncio.gather(*(claimer(t, c) for t, c in work)))
        return Throughput(done, time.perf_counter() - started)
    finally:
        await pool.close()
