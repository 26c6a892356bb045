"""The product's moving parts, running in the test's event loop on real PostgreSQL and a real broker."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from events.provisioning import ensure_topics
from marketplace.adapters.pool import create_pool
from marketplace.runtime.database_setup import prepare_database
from marketplace.services import Marketplace
from marketplace.settings import Settings
from workers.app import build_app
from workers.relay import Relay

T = TypeVar("T")


@dataclass
class Stack:
    settings: Settings
    pool: asyncpg.Pool
    marketplace: Marketplace
    broker: Any = None  # the test's own broker (tests/conftest.py BrokerAddress): `.restart()` loses everything
    _stops: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def start_relay(self) -> Relay:
        relay = Relay(self.settings)
        task = asyncio.create_task(relay.run())

        async def stop() -> None:
            relay.stop()
            await asyncio.wait_for(task, 10)

        self._stops.append(stop)
        return relay

    async def start_workers(self, *names: str) -> None:
        app, ctx = build_app(self.settings, names)
        await ctx.start()
        await app.broker.start()

        async def stop() -> None:
            await app.broker.stop()
            await ctx.stop()

        self._stops.append(stop)

    async def ensure_topics(self) -> None:
        await asyncio.to_thread(ensure_topics, self.settings.bootstrap_servers, self.settings.topic_partitions)

    async def stop(self) -> None:
        for stop in reversed(self._stops):
            await stop()
        await self.pool.close()

    async def produce(self, topic: str, value: bytes, key: bytes | None = None,
                      headers: dict[str, str] | None = None) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.settings.bootstrap_servers)
        await producer.start()
        try:
            await producer.send_and_wait(topic, value, key=key,
                                         headers=[(k, v.encode()) for k, v in (headers or {}).items()] or None)
        finally:
            await producer.stop()

    async def read_topic(self, topic: str, at_least: int, timeout: float = 15.0) -> list[Any]:
        """Every record of `topic` from the start (at least `at_least` of them, or what came in time)."""
        consumer = AIOKafkaConsumer(topic, bootstrap_servers=self.settings.bootstrap_servers,
                                    auto_offset_reset="earliest", enable_auto_commit=False)
        await consumer.start()
        records: list[Any] = []
        try:
            deadline = asyncio.get_running_loop().time() + timeout
            while len(records) < at_least and asyncio.get_running_loop().time() < deadline:
                batch = await consumer.getmany(timeout_ms=200)
                for part in batch.values():
                    records.extend(part)
        finally:
            await consumer.stop()
        return records


async def eventually(probe: Callable[[], Awaitable[T]], ok: Callable[[T], bool], timeout: float = 20.0) -> T:
    """Poll `probe` until `ok` holds; fail with the last value seen. (A liveness bound, not a speed test.)"""
    deadline = asyncio.get_running_loop().time() + timeout
    value = await probe()
    while not ok(value):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not reached in {timeout}s; last value: {value!r}")
        await asyncio.sleep(0.1)
        value = await probe()
    return value


async def make_stack(dsn: str, bootstrap: Any, **overrides: Any) -> Stack:
    settings = Settings(database_url=dsn, kafka_bootstrap_servers=str(bootstrap), topic_partitions=3,
                        relay_idle_seconds=1.0,
                        # Tansu makes a joining member wait about half the session timeout.
                        kafka_session_timeout_ms=2000, kafka_heartbeat_interval_ms=300, **overrides)
    await prepare_database(dsn, demo=False)
    from marketplace.demo.loader import load_demo_data

    pool = await create_pool(dsn, 5)
    await load_demo_data(pool, devices=0)
    await asyncio.to_thread(ensure_topics, bootstrap, settings.topic_partitions)
    return Stack(settings, pool, Marketplace(pool, settings), bootstrap)


def intake_message(n: int, **change: Any) -> bytes:
    message = {
        "request_id": f"test-{n}", "donor": "lycee-des-embruns-brest", "category": "laptop", "brand": "Dell",
        "model": "Latitude 5480", "serial": f"SER{n:06d}", "year": 2019, "condition": "working",
        "has_storage": True,
    } | change
    return json.dumps(message).encode()
