"""Scale-out: two router processes in one consumer group share the partitions, and every device is
routed exactly once per round."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from tests.integration.journeys import Journeys
from tests.integration.stack import Stack, eventually

ASSIGNED = re.compile(r"assigned to partitions: \((.*)\)")


def start_router(stack: Stack, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": stack.settings.database_url or "",
           "KAFKA_BOOTSTRAP_SERVERS": stack.settings.bootstrap_servers, "KAFKA_SESSION_TIMEOUT_MS": "2000",
           "KAFKA_HEARTBEAT_INTERVAL_MS": "300", "PYTHONUNBUFFERED": "1"}
    out = open(log, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([sys.executable, "-m", "marketplace.cli.main", "worker", "router"], env=env, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)


def last_assignment(log: Path) -> set[int] | None:
    found = ASSIGNED.findall(log.read_text(errors="replace"))
    if not found:
        return None
    return {int(p) for p in re.findall(r"partition=(\d+)", found[-1])}


async def test_two_routers_share_the_partitions_and_route_every_device_exactly_once(
    stack: Stack, tmp_path: Path
) -> None:
    logs = [tmp_path / "router-1.log", tmp_path / "router-2.log"]
    procs = [start_router(stack, logs[0])]
    try:
        await eventually(lambda: asyncio.sleep(0, last_assignment(logs[0])), lambda a: a is not None, timeout=60)
        procs.append(start_router(stack, logs[1]))

        def split() -> tuple[set[int] | None, set[int] | None]:
            return last_assignment(logs[0]), last_assignment(logs[1])

        every = set(range(stack.settings.topic_partitions))
        first, second = await eventually(
            lambda: asyncio.sleep(0, split()),
            lambda s: bool(s[0]) and bool(s[1]) and not (s[0] & s[1]) and (s[0] | s[1]) == every,  # type: ignore[operator]
            timeout=60,
        )
        await stack.start_relay()
        j = Journeys(stack)
        codes = [await j.retire() for _ in range(60)]

        async def offered() -> int:
            async with stack.pool.acquire() as conn:
                return int(await conn.fetchval("SELECT count(*) FROM assets WHERE state = 'offered'"))

        await eventually(offered, lambda n: n == len(codes), timeout=60)
        async with stack.pool.acquire() as conn:
            per_device = await conn.fetch(
                "SELECT a.code, count(*) FILTER (WHERE e.type = 'asset.offered') AS rounds, "
                "(SELECT count(DISTINCT round) FROM offers f WHERE f.asset_id = a.id) AS offer_rounds "
                "FROM assets a JOIN asset_events e ON e.asset_id = a.id GROUP BY a.id, a.code")
        assert len(per_device) == 60
        assert {(r["rounds"], r["offer_rounds"]) for r in per_device} == {(1, 1)}
        # Both processes had work: the devices' events fell on partitions owned by each of them.
        records = await stack.read_topic("assets.lifecycle.v1", at_least=120)
        used = {r.partition for r in records}
        assert used & first and used & second
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
