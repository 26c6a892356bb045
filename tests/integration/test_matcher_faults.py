"""The matcher under the faults of tests/integration/test_faults.py: killed (SIGKILL) in the middle of its batch,
the lifecycle delivered again, the broker losing its messages; every device is still proposed exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from events.topics import LIFECYCLE
from marketplace.handlers.match import reconcile_matching
from marketplace.services.needs import NeedServices
from tests.integration.faults import (
    Processes,
    count,
    eventually,
    produce,
    read_topic,
    wait_assigned,
    wait_blocked,
    wait_gone,
)
from tests.integration.journeys import Journeys
from tests.integration.needs_support import laptop_need, refurbished
from tests.integration.stack import Stack

PROPOSALS = "SELECT count(*) FROM need_proposals"
INBOX = "SELECT count(*) FROM inbox WHERE consumer = 'matcher'"
REFURBISHED_EVENTS = "SELECT count(*) FROM asset_events WHERE type = 'asset.refurbished'"


@pytest.fixture
def procs(stack: Stack, tmp_path: Path) -> Iterator[Processes]:
    p = Processes(stack.settings.database_url or "", stack.settings.bootstrap_servers, tmp_path)
    yield p
    p.close()


@pytest.fixture
async def held() -> AsyncIterator[list[asyncpg.Connection]]:
    conns: list[asyncpg.Connection] = []
    yield conns
    for conn in conns:
        conn.terminate()


async def open_need(stack: Stack, j: Journeys) -> None:
    await NeedServices(stack.pool, stack.settings).post_need(await j.token("third_place"), laptop_need(quantity=100))


async def refurbish(j: Journeys, n: int) -> list[str]:
    return [await refurbished(j) for _ in range(n)]


async def assert_each_device_proposed_once(pool: asyncpg.Pool, devices: int) -> None:
    """Every refurbished device proposed, once; the matcher's inbox holds each refurbished event once."""
    await eventually(lambda: count(pool, PROPOSALS), lambda n: n >= devices)
    async with pool.acquire() as conn:
        per_device = await conn.fetch("SELECT asset_id, count(*) AS n FROM need_proposals GROUP BY asset_id")
        assert len(per_device) == devices and {r["n"] for r in per_device} == {1}
        assert await conn.fetchval("SELECT count(*) FROM need_proposals WHERE status = 'open'") == devices
        assert await conn.fetchval("SELECT count(*) FROM dead_letters") == 0


class TestMatcherFaults:
    async def test_the_matcher_killed_mid_batch_loses_nothing_and_proposes_nothing_twice(
        self, stack: Stack, procs: Processes, held: list[asyncpg.Connection]
    ) -> None:
        j = Journeys(stack)
        await open_need(stack, j)
        await stack.start_relay()
        procs.start("matcher-1", "worker", "matcher")
        await wait_assigned(procs, "matcher-1")
        await refurbish(j, 6)
        await eventually(lambda: count(stack.pool, PROPOSALS), lambda n: n == 6)
        lock = await asyncpg.connect(stack.settings.database_url or "")
        held.append(lock)
        await lock.execute("BEGIN")
        await lock.execute("LOCK TABLE need_proposals IN SHARE MODE")
        await refurbish(j, 6)
        await wait_blocked(stack.pool, "matcher-1")  # inside its batch: inbox rows written, proposals waiting
        before = await count(stack.pool, INBOX)
        procs.kill("matcher-1")
        await lock.execute("ROLLBACK")
        await wait_gone(stack.pool, "matcher-1")
        assert await count(stack.pool, INBOX) == before  # nothing of the killed batch was committed
        assert await count(stack.pool, PROPOSALS) == 6

        procs.start("matcher-2", "worker", "matcher")
        await assert_each_device_proposed_once(stack.pool, 12)
        await eventually(lambda: count(stack.pool, INBOX), lambda n: n == 12)
        assert await count(stack.pool, INBOX) == await count(stack.pool, REFURBISHED_EVENTS)
        procs.assert_alive()

    async def test_the_whole_lifecycle_delivered_again_proposes_nothing_twice(
        self, stack: Stack, procs: Processes
    ) -> None:
        j = Journeys(stack)
        await open_need(stack, j)
        await stack.start_relay()
        procs.start("matcher-1", "worker", "matcher")
        await wait_assigned(procs, "matcher-1")
        await refurbish(j, 5)
        await assert_each_device_proposed_once(stack.pool, 5)
        records = await read_topic(stack.settings.bootstrap_servers, LIFECYCLE.name, at_least=5)
        refurbished_records = [r for r in records if dict(r.headers).get("type") == b"asset.refurbished"]
        assert len(refurbished_records) == 5
        await produce(stack.settings.bootstrap_servers, LIFECYCLE.name, [r.value for r in refurbished_records],
                      keys=[r.key for r in refurbished_records],
                      headers=[{"type": "asset.refurbished"}] * len(refurbished_records), partitions=3)
        await asyncio.sleep(5)  # time for the matcher to read them all again
        await assert_each_device_proposed_once(stack.pool, 5)
        assert await count(stack.pool, INBOX) == 5
        procs.assert_alive()

    async def test_messages_the_broker_lost_are_proposed_by_the_reconciler_once(
        self, stack: Stack, procs: Processes
    ) -> None:
        j = Journeys(stack)
        await open_need(stack, j)
        await stack.start_relay()
        await refurbish(j, 4)  # no matcher running: the events wait in the topic
        await eventually(lambda: count(stack.pool, "SELECT count(*) FROM outbox WHERE published_at IS NULL"),
                         lambda n: n == 0)
        stack.broker.restart()  # Tansu keeps messages in memory: they are gone
        await stack.ensure_topics()
        procs.start("timers", "timers", RECONCILE_AFTER_SECONDS="1", TIMER_INTERVAL_SECONDS="1")
        await assert_each_device_proposed_once(stack.pool, 4)
        assert await count(stack.pool, INBOX) == 0  # the matcher never saw them
        # A matcher and the reconciler again, late: nothing more.
        procs.start("matcher-1", "worker", "matcher")
        await wait_assigned(procs, "matcher-1")
        assert await reconcile_matching(stack.pool, timedelta(0)) == 0
        await asyncio.sleep(3)
        await assert_each_device_proposed_once(stack.pool, 4)
        procs.assert_alive()
