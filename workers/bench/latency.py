"""Latency from intake message to committed offer under a steady rate (p50 / p95 / p99)."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg
from aiokafka import AIOKafkaProducer

from events.topics import RETIREMENTS
from marketplace.adapters import bench_queries
from workers.bench.throughput import intake_message


@dataclass
class Latency:
    samples: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


def percentile(sorted_ms: list[float], p: float) -> float:
    index = min(len(sorted_ms) - 1, max(0, round(p / 100 * len(sorted_ms)) - 1))
    return sorted_ms[index]


async def steady_rate(dsn: str, bootstrap: str, rate: float, seconds: float) -> Latency:
    """Send `rate` messages a second for `seconds`; latency = the offer's commit time minus the send time."""
    run = uuid.uuid4().hex[:6]
    total = int(rate * seconds)
    sent_at: dict[str, datetime] = {}
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=0)
    await producer.start()
    try:
        start = time.perf_counter()
        for n in range(total):
            await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
            key, value = intake_message(run, n)
            sent_at[f"bench-{run}-{n}"] = datetime.now(UTC)
            await producer.send(RETIREMENTS.name, value, key=key)
        await producer.flush()
    finally:
        await producer.stop()
    conn = await asyncpg.connect(dsn)
    try:
        deadline = time.perf_counter() + 120
        while True:
            rows = await bench_queries.offer_times_in_run(conn, run)
            if len(rows) >= total or time.perf_counter() > deadline:
                break
            await asyncio.sleep(0.2)
    finally:
        await conn.close()
    # The offer is committed at the end of the router's batch, a few ms after the event's timestamp;
    # the event time is the best clock the database has of that moment.
    ms = sorted((r["occurred_at"] - sent_at[r["request_id"]]).total_seconds() * 1000 for r in rows)
    return Latency(len(ms), percentile(ms, 50), percentile(ms, 95), percentile(ms, 99), ms[-1])
