"""`seconde-vie bench`: every measurement on one disposable stack, printed as a table.

1. end-to-end intake throughput with 1 router, then 2 routers (same run), against the raw broker;
2. latency from intake message to committed offer at a steady rate, on the fresh stack and again after the
   throughput runs (bigger tables, autovacuum catching up with them);
3. claim throughput with concurrent claimers;
4. peak resident memory of each process. (The report queries: `seconde-vie bench reports`.)
"""

from __future__ import annotations

import asyncio
import time

from events.provisioning import ensure_topics
from marketplace.adapters.pool import create_pool
from marketplace.demo.loader import load_demo_data
from marketplace.runtime.database_setup import prepare_database
from workers.bench.claims import concurrent_claims
from workers.bench.latency import steady_rate
from workers.bench.quiet import wait_until_quiet
from workers.bench.stack import BenchStack, open_stack
from workers.bench.throughput import Throughput, end_to_end, raw_broker

Row = tuple[str, str]


async def _prepare(stack: BenchStack) -> None:
    await prepare_database(stack.dsn, demo=False)
    pool = await create_pool(stack.dsn, 2)
    try:
        await load_demo_data(pool, devices=0)
    finally:
        await pool.close()
    await asyncio.to_thread(ensure_topics, stack.bootstrap, stack.partitions)


async def _warm_up(stack: BenchStack) -> None:
    """A few devices through the whole path, so consumer groups have settled before the clock starts."""
    await end_to_end(stack.dsn, stack.bootstrap, 10, stack.sample_memory, timeout_s=120)


def _rate(label: str, t: Throughput, unit: str = "devices/s") -> Row:
    return label, f"{t.per_second:,.0f} {unit} ({t.devices:,} in {t.seconds:.1f} s)"


def _latency(label: str, stack: BenchStack, rate: float, seconds: float) -> Row:
    lat = asyncio.run(steady_rate(stack.dsn, stack.bootstrap, rate, seconds))
    return (f"{label} ({lat.samples:,} devices)",
            f"p50 {lat.p50_ms:.0f} ms, p95 {lat.p95_ms:.0f} ms, p99 {lat.p99_ms:.0f} ms, max {lat.max_ms:.0f} ms")


def run_bench(devices: int, partitions: int, routers: int, rate: float, seconds: float, claimers: int) -> list[Row]:
    stack = open_stack(partitions)
    rows: list[Row] = []
    try:
        asyncio.run(_prepare(stack))
        stack.start("relay", "relay")
        stack.start("intake", "worker", "intake")
        stack.start("router-1", "worker", "router")
        asyncio.run(_warm_up(stack))
        fresh = _latency(f"latency intake -> offer at {rate:.0f}/s, fresh stack", stack, rate, seconds)
        one = asyncio.run(end_to_end(stack.dsn, stack.bootstrap, devices, stack.sample_memory))
        rows += [fresh, _rate(f"end to end, 1 router, {partitions} partitions", one)]
        # Each phase starts on an idle stack: the relay still publishing the run's `asset.offered` events
        # and the router still reading them would otherwise be counted against the next phase.
        drained = asyncio.run(wait_until_quiet(stack.dsn, stack.bootstrap, stack.sample_memory))
        rows.append(("after the run, until every event is published and read", f"{drained:.1f} s more"))
        if routers > 1:
            for i in range(2, routers + 1):
                stack.start(f"router-{i}", "worker", "router")
            asyncio.run(_warm_up(stack))
            many = asyncio.run(end_to_end(stack.dsn, stack.bootstrap, devices, stack.sample_memory))
            rows.append(_rate(f"end to end, {routers} routers", many))
            asyncio.run(wait_until_quiet(stack.dsn, stack.bootstrap, stack.sample_memory))
        raw = asyncio.run(raw_broker(stack.bootstrap, devices, partitions))
        rows.append(_rate("raw broker: aiokafka produce + consume", raw, "messages/s"))
        rows.append(("end to end (1 router) / raw broker", f"{one.per_second / raw.per_second:.1%}"))
        rows.append(_latency(f"latency intake -> offer at {rate:.0f}/s, after the runs above", stack, rate, seconds))
        stack.sample_memory()
        claims = asyncio.run(concurrent_claims(stack.dsn, one.run, claimers, min(devices, 5_000)))
        rows.append(_rate(f"claims, {claimers} concurrent claimers", claims, "claims/s"))
        rows += [(f"peak RSS {name}", f"{rss / 2**20:,.0f} MB") for name, rss in sorted(stack.peak_rss.items())]
    finally:
        stack.close()
    return rows


def print_table(rows: list[Row]) -> None:
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  figure")
    print(f"{'-' * width}  {'-' * 40}")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


def main(devices: int, partitions: int, routers: int, rate: float = 200.0, seconds: float = 15.0,
         claimers: int = 50) -> int:
    started = time.perf_counter()
    print_table(run_bench(devices, partitions, routers, rate, seconds, claimers))
    print(f"(bench ran in {time.perf_counter() - started:.0f} s)")
    return 0
