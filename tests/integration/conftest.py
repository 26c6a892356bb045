"""Integration fixtures: helpers over the real embedded services of tests/conftest.py."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import asyncpg
import pytest
from kafka.admin import KafkaAdminClient, NewTopic


@pytest.fixture
def make_topic() -> Callable[..., str]:
    """`make_topic(bootstrap, partitions=1, prefix="t")` creates a uniquely named topic and returns its name."""

    def create(bootstrap: str, partitions: int = 1, prefix: str = "t") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:10]}"
        admin = KafkaAdminClient(bootstrap_servers=str(bootstrap))
        try:
            admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1)])
        finally:
            admin.close()
        return name

    return create


@pytest.fixture
async def fresh_conn(fresh_dsn: str) -> AsyncIterator[asyncpg.Connection]:
    """An asyncpg connection to this test's own empty database."""
    conn = await asyncpg.connect(fresh_dsn)
    yield conn
    await conn.close()


@pytest.fixture
async def stack(fresh_dsn: str, fresh_broker: str) -> AsyncIterator[object]:
    """Fresh database with the demo organisations and accounts (no devices) and a private broker."""
    from tests.integration.stack import make_stack

    s = await make_stack(fresh_dsn, fresh_broker)
    yield s
    await s.stop()
