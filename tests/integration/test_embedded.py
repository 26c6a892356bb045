"""The embedded services are real: PostgreSQL answers SQL, Tansu carries messages through consumer groups."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from kafka.admin import KafkaAdminClient

from marketplace.runtime.embedded import EmbeddedBroker


async def test_postgres_answers_queries(pg_dsn: str) -> None:
    conn = await asyncpg.connect(pg_dsn)
    try:
        assert await conn.fetchval("SELECT current_database()") == "seconde_vie"
        assert (await conn.fetchval("SHOW server_version")).startswith("18")
        await conn.execute("CREATE TEMP TABLE t (n int)")
        await conn.executemany("INSERT INTO t VALUES ($1)", [(i,) for i in range(1, 101)])
        assert await conn.fetchval("SELECT sum(n) FROM t") == 5050
    finally:
        await conn.close()


async def test_fresh_databases_are_empty_and_isolated(fresh_conn: asyncpg.Connection, pg_dsn: str) -> None:
    name = await fresh_conn.fetchval("SELECT current_database()")
    assert name.startswith("t_") and name != "seconde_vie"
    tables = await fresh_conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    assert tables == 0
    await fresh_conn.execute("CREATE TABLE only_here (id int)")
    shared = await asyncpg.connect(pg_dsn)
    try:
        assert await shared.fetchval("SELECT to_regclass('public.only_here')") is None
    finally:
        await shared.close()


async def _consume(bootstrap: str, topic: str, group: str, count: int) -> list[bytes]:
    # Short group timeouts: Tansu seems to hold a JoinGroup for about half the session timeout, and
    # a group's next member waits for the previous one's session to expire (LeaveGroup is not enough).
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group,
                                auto_offset_reset="earliest", enable_auto_commit=False,
                                session_timeout_ms=2000, heartbeat_interval_ms=200,
                                rebalance_timeout_ms=1000, max_poll_interval_ms=5000)
    await consumer.start()
    got: list[bytes] = []
    try:
        async with asyncio.timeout(20):
            while len(got) < count:
                batch = await consumer.getmany(timeout_ms=500)
                got += [m.value for msgs in batch.values() for m in msgs if m.value is not None]
        await consumer.commit()
    finally:
        await consumer.stop()
    return got


async def _produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    # Not idempotent: Tansu 0.6 answers aiokafka's InitProducerId with an UnknownError.
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for i, value in enumerate(values):
            await producer.send(topic, value, key=str(i).encode())
        await producer.flush()
    finally:
        await producer.stop()


async def test_consumer_group_receives_and_commits(kafka_bootstrap: str, make_topic: Callable[..., str]) -> None:
    topic = make_topic(kafka_bootstrap, partitions=3)
    sent = [f"m{i}".encode() for i in range(50)]
    await _produce(kafka_bootstrap, topic, sent)
    group = f"g-{uuid.uuid4().hex[:8]}"
    assert sorted(await _consume(kafka_bootstrap, topic, group, len(sent))) == sorted(sent)

    # The group's commit holds: the same group now sees only what comes after.
    await _produce(kafka_bootstrap, topic, [b"later"])
    assert await _consume(kafka_bootstrap, topic, group, 1) == [b"later"]


async def test_restart_loses_topics_and_messages(fresh_broker, make_topic: Callable[..., str]) -> None:  # type: ignore[no-untyped-def]
    topic = make_topic(fresh_broker)
    await _produce(fresh_broker, topic, [b"before restart"])
    assert topic in _topics(fresh_broker)

    await asyncio.to_thread(fresh_broker.restart)

    # Tansu's memory storage is gone with the process; this is why PostgreSQL is the source of truth.
    assert topic not in _topics(fresh_broker)
    await _produce(fresh_broker, topic, [b"after restart"])  # auto-created again, empty
    assert await _consume(fresh_broker, topic, "g-after", 1) == [b"after restart"]


def _topics(bootstrap: str) -> set[str]:
    admin = KafkaAdminClient(bootstrap_servers=str(bootstrap))
    try:
        return set(admin.list_topics())
    finally:
        admin.close()


def test_broker_refuses_a_busy_port(kafka_broker: EmbeddedBroker, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="already in use"):
        EmbeddedBroker(kafka_broker.host, kafka_broker.port, tmp_path).start()
    assert kafka_broker.running
