"""Waiting for the stack to be idle between measurements: what one phase left in flight must not be counted
in the next (the relay still publishing 100,000 `asset.offered` events, the router still reading them)."""

from __future__ import annotations

import asyncio
import time

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from events.topics import INTAKE_GROUP, LIFECYCLE, RETIREMENTS, ROUTER_GROUP
from marketplace.adapters import bench_queries


async def consumer_lag(bootstrap: str, group: str, topic: str) -> int:
    """Messages of `topic` the consumer group has not committed yet."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await consumer.start()
    await admin.start()
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        ends = await consumer.end_offsets(partitions)
        committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
        return sum(max(0, ends[tp] - max(0, committed[tp].offset if tp in committed else 0)) for tp in partitions)
    finally:
        await admin.close()
        await consumer.stop()


async def wait_until_quiet(dsn: str, bootstrap: str, on_tick: object = None, timeout_s: float = 300) -> float:
    """Until the outbox is published and the intake and router groups have read everything; returns the
    seconds waited."""
    started = time.perf_counter()
    conn = await asyncpg.connect(dsn)
    try:
        while True:
            backlog = await bench_queries.unpublished_outbox(conn)
            if backlog == 0:
                lags = [await consumer_lag(bootstrap, group, topic)
                        for group, topic in ((INTAKE_GROUP, RETIREMENTS.name), (ROUTER_GROUP, LIFECYCLE.name))]
                if sum(lags) == 0:
                    return time.perf_counter() - started
            if time.perf_counter() - started > timeout_s:
                raise TimeoutError(f"the stack was still busy after {timeout_s:.0f} s (outbox backlog {backlog})")
            if callable(on_tick):
                on_tick()
            await asyncio.sleep(0.5)
    finally:
        await conn.close()
