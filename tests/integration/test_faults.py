"""Fault injection on the real embedded PostgreSQL and broker (issue 8, "Faults").

Each test breaks one thing while devices are in flight — a worker or the relay SIGKILLed in the middle of
its batch, the broker restarted (losing every message), PostgreSQL restarted, messages delivered twice
and out of order — then lets the product recover by itself and checks that every device reached the
state it should within a deadline, that nothing was done twice, and that every hash chain verifies
(tests/integration/faults.py). Deadlines bound liveness; nothing here measures speed.
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import signal
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from marketplace.runtime.embedded import EmbeddedPostgres
from marketplace.timers.jobs import Timers
from tests.integration.faults import (
    POISON_INTAKE,
    Processes,
    assert_nothing_duplicated,
    count,
    eventually,
    intake_body,
    offered,
    produce,
    read_topic,
    restart_postgres,
    retire_directly,
    wait_assigned,
    wait_blocked,
    wait_gone,
    wait_offered,
)
from tests.integration.stack import Stack, make_stack

RETIREMENTS, LIFECYCLE = "assets.retirements.v1", "assets.lifecycle.v1"


@pytest.fixture
def procs(stack: Stack, tmp_path: Path) -> Iterator[Processes]:
    p = Processes(stack.settings.database_url or "", stack.settings.bootstrap_servers, tmp_path)
    yield p
    p.close()


@pytest.fixture
async def held() -> AsyncIterator[list[asyncpg.Connection]]:
    """Connections holding the test's locks; rolled back and closed whatever happens."""
    conns: list[asyncpg.Connection] = []
    yield conns
    for conn in conns:
        conn.terminate()


async def hold(held: list[asyncpg.Connection], dsn: str, *statements: str) -> asyncpg.Connection:
    """Open a transaction that runs `statements` and keeps their locks until rolled back."""
    conn = await asyncpg.connect(dsn)
    held.append(conn)
    await conn.execute("BEGIN")
    for sql in statements:
        await conn.execute(sql)
    return conn


async def router_caught_writing_offers(stack: Stack, procs: Processes, held: list[asyncpg.Connection],
                                       devices: int) -> tuple[asyncpg.Connection, list[asyncpg.Record]]:
    """router-1 routes 100 devices, then is caught inside its next batch (of `devices` more): the batch got as
    far as its inbox rows and row locks and waits to write its offers behind a held lock. Returns the lock's
    connection (roll it back to let the batch go on) and the blocked sessions."""
    await stack.start_relay()
    procs.start("router-1", "worker", "router")
    await wait_assigned(procs, "router-1")
    await retire_directly(stack.pool, range(100))
    await wait_offered(stack.pool, 100)
    lock = await hold(held, stack.settings.database_url or "", "LOCK TABLE offers IN SHARE MODE")
    await retire_directly(stack.pool, range(100, 100 + devices))
    return lock, await wait_blocked(stack.pool, "router-1")


class TestWorkerKilledInTheMiddleOfABatch:
    async def test_router(self, stack: Stack, procs: Processes, held: list[asyncpg.Connection]) -> None:
        lock, blocked = await router_caught_writing_offers(stack, procs, held, devices=200)
        assert "offers" in blocked[0]["query"]
        assert await offered(stack.pool) == 100
        procs.kill("router-1")
        await lock.execute("ROLLBACK")
        await wait_gone(stack.pool, "router-1")
        # Nothing of the killed batch was committed: its inbox rows went with it.
        assert await count(stack.pool, "SELECT count(*) FROM inbox WHERE consumer = 'router'") == 100

        procs.start("router-2", "worker", "router")
        await wait_offered(stack.pool, 300)
        procs.assert_alive()
        assert await count(stack.pool, "SELECT count(*) FROM inbox WHERE consumer = 'router'") == 300
        await assert_nothing_duplicated(stack.pool, devices=300)

    async def test_a_router_frozen_mid_batch_and_replaced_finishes_its_batch_and_nothing_is_done_twice(
        self, stack: Stack, procs: Processes, held: list[asyncpg.Connection]
    ) -> None:
        """The zombie: a router stops mid-batch (SIGSTOP, as in a long pause), the group gives its
        partitions to a new router, which receives the same batch; then the old one wakes up, commits
        in PostgreSQL and fails to commit its offsets."""
        lock, _ = await router_caught_writing_offers(stack, procs, held, devices=100)
        zombie = procs.procs["router-1"]
        zombie.send_signal(signal.SIGSTOP)
        try:
            procs.start("router-2", "worker", "router")
            await wait_assigned(procs, "router-2")
            # The same events, delivered to router-2: it waits on router-1's uncommitted inbox rows.
            await wait_blocked(stack.pool, "router-2")
            await lock.execute("ROLLBACK")
        finally:
            zombie.send_signal(signal.SIGCONT)
        await wait_offered(stack.pool, 200)
        procs.assert_alive()
        assert await count(stack.pool, "SELECT count(*) FROM inbox WHERE consumer = 'router'") == 200
        await assert_nothing_duplicated(stack.pool, devices=200)

    async def test_intake(self, stack: Stack, procs: Processes, held: list[asyncpg.Connection]) -> None:
        await stack.start_relay()
        await stack.start_workers("router")
        procs.start("intake-1", "worker", "intake")
        await wait_assigned(procs, "intake-1")
        bootstrap = stack.settings.bootstrap_servers
        await produce(bootstrap, RETIREMENTS, [intake_body(n) for n in range(100)] + POISON_INTAKE[:1])
        await wait_offered(stack.pool, 100)

        # The next batch records its dead letters, then waits to insert its devices.
        lock = await hold(held, stack.settings.database_url or "", "LOCK TABLE assets IN SHARE MODE")
        again = [intake_body(n) for n in range(80, 100)]  # a donor resending some of the first burst
        await produce(bootstrap, RETIREMENTS, [intake_body(n) for n in range(100, 300)] + again + POISON_INTAKE[1:])
        blocked = await wait_blocked(stack.pool, "intake-1")
        assert "assets" in blocked[0]["query"]
        assert await count(stack.pool, "SELECT count(*) FROM assets") == 100
        procs.kill("intake-1")
        await lock.execute("ROLLBACK")
        await wait_gone(stack.pool, "intake-1")

        procs.start("intake-2", "worker", "intake")
        await wait_offered(stack.pool, 300)
        procs.assert_alive()
        letters = await eventually(lambda: count(stack.pool, "SELECT count(*) FROM dead_letters"), lambda n: n >= 2)
        assert letters == 2
        await assert_nothing_duplicated(stack.pool, devices=300, dead_letters={"intake": 2})


class TestRelayKilledBetweenPublishingAndMarking:
    async def test_rows_are_published_twice_and_nothing_is_done_twice(
        self, stack: Stack, procs: Processes, held: list[asyncpg.Connection]
    ) -> None:
        await stack.start_workers("router")
        await retire_directly(stack.pool, range(200))
        dsn, bootstrap = stack.settings.database_url or "", stack.settings.bootstrap_servers
        # Row locks on the unpublished rows: the relay reads and publishes them, then waits to mark them.
        lock = await hold(held, dsn, "SELECT id FROM outbox WHERE published_at IS NULL FOR UPDATE")
        procs.start("relay-1", "relay", RELAY_BATCH_SIZE="50")
        blocked = await wait_blocked(stack.pool, "relay-1")
        assert blocked[0]["query"].lstrip().startswith("UPDATE outbox")
        first = await read_topic(bootstrap, LIFECYCLE, at_least=50)
        assert len(first) == 50  # acknowledged by the broker, not marked in PostgreSQL
        procs.kill("relay-1")

        # A new relay takes over (the killed one's advisory lock went with its connection) and publishes
        # the same rows again. Its mark waits too; then the lock goes and both marks land.
        procs.start("relay-2", "relay", RELAY_BATCH_SIZE="50")
        await wait_blocked(stack.pool, "relay-2")
        await lock.execute("ROLLBACK")
        await wait_gone(stack.pool, "relay-1")

        await wait_offered(stack.pool, 200)
        await eventually(lambda: count(stack.pool, "SELECT count(*) FROM outbox WHERE published_at IS NULL"),
                         lambda n: n == 0)
        rows = await count(stack.pool, "SELECT count(*) FROM outbox WHERE topic = $1", LIFECYCLE)
        records = await read_topic(bootstrap, LIFECYCLE, at_least=rows + 50)
        copies = Counter(json.loads(r.value)["event_id"] for r in records)
        assert len(records) == rows + 50 and len(copies) == rows
        assert sorted(Counter(copies.values()).items()) == [(1, rows - 50), (2, 50)]
        procs.assert_alive()
        assert await count(stack.pool, "SELECT count(*) FROM inbox WHERE consumer = 'router'") == 200
        await assert_nothing_duplicated(stack.pool, devices=200)


async def dead_letters(pool: asyncpg.Pool) -> list[bytes]:
    async with pool.acquire() as conn:
        return [bytes(r["original"]) for r in await conn.fetch("SELECT original FROM dead_letters ORDER BY id")]


async def run_timers(stack: Stack, **overrides: object) -> tuple[object, asyncio.Task[None]]:
    from marketplace.timers.worker import TimerWorker

    worker = TimerWorker(stack.settings.model_copy(update={"timer_interval_seconds": 0.5, **overrides}))
    task = asyncio.create_task(worker.run())

    async def stop() -> None:
        worker.stop()
        await asyncio.wait_for(task, 10)

    stack._stops.append(stop)
    return worker, task


class TestBrokerRestart:
    async def test_every_device_is_offered_after_the_broker_lost_its_messages(
        self, stack: Stack, procs: Processes, held: list[asyncpg.Connection]
    ) -> None:
        relay = await stack.start_relay()
        await run_timers(stack, reconcile_after_seconds=3.0)
        procs.start("intake-1", "worker", "intake")
        procs.start("router-1", "worker", "router")
        await wait_assigned(procs, "intake-1")
        await wait_assigned(procs, "router-1")
        dsn, bootstrap = stack.settings.database_url or "", stack.settings.bootstrap_servers
        await produce(bootstrap, RETIREMENTS, [intake_body(n) for n in range(100)])
        await wait_offered(stack.pool, 100)

        # In flight when the broker goes: devices in the router's open batch, and devices retired after
        # it whose events wait in the broker behind that batch.
        await hold(held, dsn, "LOCK TABLE offers IN SHARE MODE")
        await produce(bootstrap, RETIREMENTS, [intake_body(n) for n in range(100, 200)])
        await wait_blocked(stack.pool, "router-1")
        await produce(bootstrap, RETIREMENTS, [intake_body(n) for n in range(200, 300)])
        await eventually(lambda: count(stack.pool, "SELECT count(*) FROM assets"), lambda n: n == 300)
        await eventually(lambda: asyncio.sleep(0, relay.published), lambda n: n >= 300)

        # Tansu keeps everything in memory: every topic, message, committed offset and group is gone.
        await asyncio.to_thread(stack.broker.restart)
        await stack.ensure_topics()
        await held[0].execute("ROLLBACK")
        assert await offered(stack.pool) == 100
        # The intake rejoins its (new, empty) group; then a donor resends its whole file, and a bad line.
        await eventually(lambda: asyncio.sleep(0, procs.output("intake-1").count("assigned to partitions")),
                         lambda n: n >= 2, timeout=60)
        await produce(bootstrap, RETIREMENTS, [intake_body(n) for n in range(300)] + POISON_INTAKE)
        await wait_offered(stack.pool, 300, timeout=90)
        procs.assert_alive()
        # The devices whose events the broker lost were routed by the reconciler.
        assert await count(stack.pool, "SELECT count(*) FROM asset_events WHERE type = 'asset.offered' "
                                       "AND actor->>'system' = 'reconciler'") >= 100
        await eventually(lambda: count(stack.pool, "SELECT count(*) FROM dead_letters"), lambda n: n >= 2)
        await assert_nothing_duplicated(stack.pool, devices=300, dead_letters={"intake": 2})


    async def test_a_bad_message_at_an_offset_the_lost_log_had_used_is_still_dead_lettered(self, stack: Stack) -> None:
        await stack.start_workers("intake")
        bootstrap = stack.settings.bootstrap_servers
        await produce(bootstrap, RETIREMENTS, [b"first bad message"], partition=0)
        await eventually(lambda: dead_letters(stack.pool), lambda ls: ls == [b"first bad message"], timeout=60)
        # The new log starts again at offset 0: the next bad message has the same (topic, partition, offset).
        await asyncio.to_thread(stack.broker.restart)
        await stack.ensure_topics()
        await produce(bootstrap, RETIREMENTS, [b"second bad message"], partition=0)
        await eventually(lambda: dead_letters(stack.pool),
                         lambda ls: ls == [b"first bad message", b"second bad message"], timeout=60)


@pytest.fixture
def own_postgres() -> Iterator[EmbeddedPostgres]:
    """A PostgreSQL server of this test's own, which it may restart without disturbing the others."""
    path = Path(tempfile.mkdtemp(prefix="sv-pg-"))
    server = EmbeddedPostgres(path)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(path, ignore_errors=True)


class TestPostgresRestart:
    @pytest.mark.parametrize("mode", ["fast", "immediate"])
    async def test_workers_survive_and_finish(self, own_postgres: EmbeddedPostgres, fresh_broker: str,
                                              tmp_path: Path, mode: str) -> None:
        stack = await make_stack(own_postgres.dsn(), fresh_broker)
        dsn, bootstrap = own_postgres.dsn(), stack.settings.bootstrap_servers
        # The reconciler is kept out of the way: the router itself must route every device.
        procs = Processes(dsn, bootstrap, tmp_path, env={"TIMER_INTERVAL_SECONDS": "0.5",
                                                         "RECONCILE_AFTER_SECONDS": "3600"})
        held: list[asyncpg.Connection] = []
        try:
            for name, args in (("relay", ["relay"]), ("timers", ["timers"]), ("intake", ["worker", "intake"]),
                               ("router", ["worker", "router"])):
                procs.start(name, *args)
            await wait_assigned(procs, "intake")
            await wait_assigned(procs, "router")
            await produce(bootstrap, RETIREMENTS, [intake_body(n) for n in range(100)])
            await wait_offered(stack.pool, 100)

            # When PostgreSQL goes, the router and the intake are each in the middle of a batch.
            await hold(held, dsn, "LOCK TABLE offers IN SHARE MODE")
            await produce(bootstrap, RETIREMENTS, [intake_body(n) for n in range(100, 200)])
            await wait_blocked(stack.pool, "router")
            await hold(held, dsn, "LOCK TABLE assets IN SHARE MODE")
            await produce(bootstrap, RETIREMENTS, [intake_body(n) for n in range(200, 300)] + POISON_INTAKE)
            await wait_blocked(stack.pool, "intake")

            await asyncio.to_thread(restart_postgres, own_postgres, 3.0, mode)
            await stack.pool.expire_connections()
            await wait_offered(stack.pool, 300, timeout=90)
            procs.assert_alive()
            assert await count(stack.pool, "SELECT count(*) FROM asset_events WHERE type = 'asset.offered' "
                                           "AND actor->>'system' IS DISTINCT FROM 'router'") == 0
            await eventually(lambda: count(stack.pool, "SELECT count(*) FROM dead_letters"), lambda n: n >= 2)
            await assert_nothing_duplicated(stack.pool, devices=300, dead_letters={"intake": 2})
            # The timers and the relay went on working too.
            await eventually(lambda: count(stack.pool, "SELECT count(*) FROM outbox WHERE published_at IS NULL"),
                             lambda n: n == 0)
            procs.assert_alive()
        finally:
            for conn in held:
                conn.terminate()
            procs.close()
            await stack.stop()


class TestDuplicatedAndReorderedDelivery:
    async def test_messages_delivered_twice_and_out_of_order_do_nothing_twice(self, stack: Stack) -> None:
        await stack.start_relay()
        await stack.start_workers("intake")
        bootstrap, partitions = stack.settings.bootstrap_servers, stack.settings.topic_partitions
        # Intake: every request two or three times, shuffled over the partitions, with two bad messages.
        bodies = [intake_body(n) for n in range(200)]
        deliveries = bodies * 2 + bodies[:50] + POISON_INTAKE
        random.shuffle(deliveries)
        await produce(bootstrap, RETIREMENTS, deliveries, partitions=partitions)
        await eventually(lambda: count(stack.pool, "SELECT count(*) FROM assets"), lambda n: n == 200)
        await eventually(lambda: count(stack.pool, "SELECT count(*) FROM dead_letters"), lambda n: n == 2)
        await eventually(lambda: count(stack.pool, "SELECT count(*) FROM outbox WHERE published_at IS NULL"),
                         lambda n: n == 0)

        # Lifecycle: the relay's 200 `asset.retired` events, then each of them twice more, shuffled over
        # the partitions (a device's copies no longer in order), before the router starts.
        retired = await read_topic(bootstrap, LIFECYCLE, at_least=200)
        assert len(retired) == 200
        await replay(bootstrap, retired * 2, partitions)
        await stack.start_workers("router")
        await wait_offered(stack.pool, 200)

        # A second round for 50 devices (their offers expired), then everything ever published on the
        # lifecycle topic delivered again, shuffled: `retired` after `offers_expired`, `offered` before
        # `retired`... A poison record on each partition after it all tells when the router is through.
        async with stack.pool.acquire() as conn:
            await conn.execute("UPDATE offers SET expires_at = now() - interval '1 minute' WHERE status = 'open' "
                               "AND asset_id IN (SELECT id FROM assets ORDER BY id LIMIT 50)")
        assert (await Timers(stack.pool, stack.settings).tick()).offers_expired == 50
        await eventually(lambda: count(stack.pool, "SELECT count(*) FROM assets WHERE state = 'offered' "
                                                   "AND routing_round = 2"), lambda n: n == 50)
        events = await count(stack.pool, "SELECT count(*) FROM asset_events")
        everything = await read_topic(bootstrap, LIFECYCLE, at_least=200 * 3 + 50 * 2)
        await replay(bootstrap, everything * 2, partitions)
        for p in range(partitions):
            await produce(bootstrap, LIFECYCLE, [b"not json"], headers=[{"type": "asset.retired"}], partition=p)
        await eventually(lambda: count(stack.pool, "SELECT count(*) FROM dead_letters WHERE consumer = 'router'"),
                         lambda n: n == partitions)

        assert await count(stack.pool, "SELECT count(*) FROM asset_events") == events
        assert await offered(stack.pool) == 200
        assert await count(stack.pool, "SELECT count(*) FROM inbox WHERE consumer = 'router'") == 250
        await assert_nothing_duplicated(stack.pool, devices=200, dead_letters={"intake": 2, "router": partitions})


async def replay(bootstrap: str, records: list[Any], partitions: int) -> None:
    """Produce consumed records again (same key, value and headers), shuffled over random partitions."""
    records = list(records)
    random.shuffle(records)
    await produce(bootstrap, LIFECYCLE, [r.value for r in records], keys=[r.key for r in records],
                  headers=[{k: v.decode() for k, v in r.headers} for r in records], partitions=partitions)
