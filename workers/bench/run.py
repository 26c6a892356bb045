"""`seconde-vie bench`: runs each measurement on a disposable stack and prints a table."""

from __future__ import annotations

import asyncio
import time

from events.provisioning import ensure_topics
from marketplace.adapters.pool import create_pool
from marketplace.database_setup import prepare_database
from marketplace.demo import load_demo_data
from workers.bench.stack import BenchStack, open_stack
from workers.bench.throughput import end_to_end, raw_broker


async def _prepare(stack: BenchStack) -> None:
    await prepare_database(stack.dsn, demo=False)
    pool = await create_pool(stack.dsn, 2)
    try:
        await load_demo_data(pool, devices=0)
    finally:
        await pool.close()
    await asyncio.to_thread(ensure_topics, stack.bootstrap, stack.partitions)


async def _warm_up(stack: BenchStack) -> None:
    """One device through the whole path, so consumer groups have joined before the clock starts."""
    await end_to_end(stack.dsn, stack.bootstrap, 1, stack.sample_memory, timeout_s=120)


def run_bench(devices: int, partitions: int, routers: int) -> list[tuple[str, str]]:
    stack = open_stack(partitions)
    rows: list[tuple[str, str]] = []
    try:
        asyncio.run(_prepare(stack))
        stack.start("relay", "relay")
        stack.start("intake", "worker", "intake")
        for i in range(routers):
            stack.start(f"router-{i + 1}", "worker", "router")
        asyncio.run(_warm_up(stack))
        e2e = asyncio.run(end_to_end(stack.dsn, stack.bootstrap, devices, stack.sample_memory))
        raw = asyncio.run(raw_broker(stack.bootstrap, devices, partitions))
        rows += [
            (f"end to end, {devices:,} devices, {routers} router(s)", f"{e2e.per_second:,.0f} devices/s ({e2e.seconds:.1f} s)"),
            (f"raw broker (aiokafka produce+consume {devices:,})", f"{raw.per_second:,.0f} messages/s ({raw.seconds:.1f} s)"),
            ("end to end / raw broker", f"{e2e.per_second / raw.per_second:.2%}"),
        ]
        stack.sample_memory()
        rows += [(f"peak RSS {name}", f"{rss / 2**20:,.0f} MB") for name, rss in sorted(stack.peak_rss.items())]
    finally:
        stack.close()
    return rows


def print_table(rows: list[tuple[str, str]]) -> None:
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  figure")
    print(f"{'-' * width}  {'-' * 30}")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


def main(devices: int, partitions: int, routers: int) -> int:
    started = time.perf_counter()
    print_table(run_bench(devices, partitions, routers))
    print(f"(bench ran in {time.perf_counter() - started:.0f} s)")
    return 0
