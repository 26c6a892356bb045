"""End-to-end intake throughput (message written -> device offered and committed) and the raw broker baseline."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from events.topics import RETIREMENTS
from marketplace.adapters import bench_queries
from marketplace.demo.catalogue import ORGANISATIONS

DONORS = [slug for slug, _n, kind, *_ in ORGANISATIONS if kind in ("region", "lycee")]


def intake_message(run: str, n: int) -> tuple[bytes, bytes]:
    donor = DONORS[n % len(DONORS)]
    body = {"request_id": f"bench-{run}-{n}", "donor": donor, "category": "laptop", "brand": "Dell",
            "model": "Latitude 5490", "serial": f"B{run}{n:08d}", "year": 2019, "condition": "working",
            "has_storage": True, "inventory_number": f"INV-{n:08d}"}
    return donor.encode(), json.dumps(body).encode()


async def produce(bootstrap: str, messages: list[tuple[bytes, bytes]], topic: str = RETIREMENTS.name) -> float:
    """Write every message (acknowledged); returns the seconds it took."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_batch_size=1 << 20)
    await producer.start()
    started = time.perf_counter()
    try:
        futures = [await producer.send(topic, value, key=key) for key, value in messages]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return time.perf_counter() - started


async def count_offered(conn: asyncpg.Connection, run: str) -> int:
    return await bench_queries.offered_in_run(conn, run)


@dataclass
class Throughput:
    devices: int
    seconds: float
    run: str = ""

    @property
    def per_second(self) -> float:
        return self.devices / self.seconds if self.seconds else 0.0


# Counting a run's offered devices scans the assets (~8 ms at 100,000 devices). Every 50 ms that took a
# sixth of a core from the stack being measured. The wait is now half the time the run still seems to need
# (from its pace so far), between 50 ms and 0.5 s: a few reads a second, and the last ones 50 ms apart, so
# the measured time stays within 50 ms of the true one.
POLL_MIN_S = 0.05
POLL_MAX_S = 0.5


def next_poll_in(done: int, n: int, elapsed_s: float) -> float:
    if done <= 0:
        return POLL_MIN_S * 2
    remaining_s = (n - done) * elapsed_s / done
    return min(POLL_MAX_S, max(POLL_MIN_S, remaining_s / 2))


async def end_to_end(dsn: str, bootstrap: str, n: int, on_tick: object = None, timeout_s: float = 600) -> Throughput:
    run = uuid.uuid4().hex[:6]
    messages = [intake_message(run, i) for i in range(n)]
    conn = await asyncpg.connect(dsn)
    try:
        started = time.perf_counter()
        await produce(bootstrap, messages)
        while (done := await count_offered(conn, run)) < n:
            if time.perf_counter() - started > timeout_s:
                raise TimeoutError(f"only {done} of {n} devices offered after {timeout_s}s")
            if callable(on_tick):
                on_tick()
            await asyncio.sleep(next_poll_in(done, n, time.perf_counter() - started))
        return Throughput(n, time.perf_counter() - started, run)
    finally:
        await conn.close()


async def raw_broker(bootstrap: str, n: int, partitions: int) -> Throughput:
    """aiokafka alone: produce n messages of the intake size to a new topic and consume them all in a group."""
    from kafka.admin import KafkaAdminClient, NewTopic

    topic = f"bench-raw-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
    admin.close()
    run = uuid.uuid4().hex[:6]
    messages = [intake_message(run, i) for i in range(n)]
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=f"g-{topic}", auto_offset_reset="earliest",
                                session_timeout_ms=2000, heartbeat_interval_ms=300)
    await consumer.start()
    try:
        started = time.perf_counter()
        await produce(bootstrap, messages, topic)
        seen = 0
        while seen < n:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            seen += sum(len(records) for records in batch.values())
        await consumer.commit()
        return Throughput(n, time.perf_counter() - started)
    finally:
        await consumer.stop()
