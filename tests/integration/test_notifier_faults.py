"""The notifier under the faults of tests/integration/test_faults.py: killed (SIGKILL) in the middle of its
batch, frozen and replaced, the lifecycle delivered again; every e-mail is still queued exactly once."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from marketplace.notifications.mailer import Mailer
from tests.integration.faults import (
    Processes,
    count,
    eventually,
    retire_directly,
    wait_assigned,
    wait_blocked,
    wait_gone,
    wait_offered,
)
from tests.integration.mail_server import MailServer
from tests.integration.stack import Stack, make_stack
from tests.integration.test_notifications import SECRET, add_people, expected_recipients

EXPECTED_PENDING = """
SELECT count(*) FROM offers o JOIN users u ON u.org_id = o.org_id JOIN organisations g ON g.id = o.org_id
WHERE NOT u.disabled AND g.kind IN ('association', 'fablab', 'recycler')
"""
OFFERED_EVENTS = "SELECT count(*) FROM asset_events WHERE type = 'asset.offered'"


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def nstack(fresh_dsn: str, fresh_broker: Any, mail: MailServer) -> AsyncIterator[Stack]:
    s = await make_stack(fresh_dsn, fresh_broker, smtp_host=mail.host, smtp_port=mail.port, ui_state_secret=SECRET,
                         notify_group_minutes=0)
    yield s
    await s.stop()


@pytest.fixture
def procs(nstack: Stack, tmp_path: Path) -> Iterator[Processes]:
    p = Processes(nstack.settings.database_url or "", nstack.settings.bootstrap_servers, tmp_path)
    yield p
    p.close()


@pytest.fixture
async def held() -> AsyncIterator[list[asyncpg.Connection]]:
    conns: list[asyncpg.Connection] = []
    yield conns
    for conn in conns:
        conn.terminate()


async def notifier_caught_in_its_batch(stack: Stack, procs: Processes, held: list[asyncpg.Connection],
                                       name: str) -> asyncpg.Connection:
    """notifier `name` handles 30 devices' offers, then is caught inside its next batch (30 more): its inbox rows
    written, waiting to write its pending notifications behind a held lock. Returns the lock's connection."""
    await add_people(stack.pool)
    await stack.start_relay()
    await stack.start_workers("router")
    procs.start(name, "worker", "notifier")
    await wait_assigned(procs, name)
    await retire_directly(stack.pool, range(30))
    await wait_offered(stack.pool, 30)
    await eventually(lambda: count(stack.pool, "SELECT count(*) FROM pending_notifications"),
                     lambda n: n > 0)
    await eventually(lambda: count(stack.pool, "SELECT count(*) FROM inbox WHERE consumer = 'notifier'"),
                     lambda n: n >= 30)
    conn = await asyncpg.connect(stack.settings.database_url or "")
    held.append(conn)
    await conn.execute("BEGIN")
    await conn.execute("LOCK TABLE pending_notifications IN SHARE MODE")
    await retire_directly(stack.pool, range(30, 60))
    await wait_offered(stack.pool, 60)
    await wait_blocked(stack.pool, name)
    return conn


async def assert_each_email_queued_once(stack: Stack, mail: MailServer) -> None:
    """Every offer made to every person is pending once; folded and sent, each person gets their offers once."""
    await eventually(lambda: count(stack.pool, "SELECT count(*) FROM inbox WHERE consumer = 'notifier'"),
                     lambda n: n >= 60)
    assert await count(stack.pool, "SELECT count(*) FROM inbox WHERE consumer = 'notifier'") == \
        await count(stack.pool, OFFERED_EVENTS)
    expected = await count(stack.pool, EXPECTED_PENDING)
    await eventually(lambda: count(stack.pool, "SELECT count(*) FROM pending_notifications"), lambda n: n == expected)
    mailer = Mailer(stack.settings)
    await mailer.tick(stack.pool)
    recipients = await expected_recipients(stack.pool)
    assert await count(stack.pool, "SELECT count(*) FROM mail_queue WHERE status = 'sent'") == len(recipients)
    lines: dict[str, int] = {}
    for msg in mail.received():
        body = msg.get_body(("plain",))
        assert body is not None
        lines[msg["To"]] = lines.get(msg["To"], 0) + sum(1 for li in str(body.get_content()).splitlines()
                                                         if li.startswith("- "))
    assert lines == dict(recipients)  # each offer in exactly one e-mail of each person concerned


class TestNotifierFaults:
    async def test_the_notifier_killed_mid_batch_loses_nothing_and_queues_nothing_twice(
        self, nstack: Stack, procs: Processes, held: list[asyncpg.Connection], mail: MailServer
    ) -> None:
        lock = await notifier_caught_in_its_batch(nstack, procs, held, "notifier-1")
        before = await count(nstack.pool, "SELECT count(*) FROM inbox WHERE consumer = 'notifier'")
        procs.kill("notifier-1")
        await lock.execute("ROLLBACK")
        await wait_gone(nstack.pool, "notifier-1")
        # Nothing of the killed batch was committed: its inbox rows went with it.
        assert await count(nstack.pool, "SELECT count(*) FROM inbox WHERE consumer = 'notifier'") == before

        procs.start("notifier-2", "worker", "notifier")
        await assert_each_email_queued_once(nstack, mail)
        procs.assert_alive()

    async def test_a_notifier_frozen_mid_batch_and_replaced_does_nothing_twice(
        self, nstack: Stack, procs: Processes, held: list[asyncpg.Connection], mail: MailServer
    ) -> None:
        lock = await notifier_caught_in_its_batch(nstack, procs, held, "notifier-1")
        zombie = procs.procs["notifier-1"]
        zombie.send_signal(signal.SIGSTOP)
        try:
            procs.start("notifier-2", "worker", "notifier")
            await wait_assigned(procs, "notifier-2")
            await wait_blocked(nstack.pool, "notifier-2")  # waits on the zombie's uncommitted inbox rows
            await lock.execute("ROLLBACK")
        finally:
            zombie.send_signal(signal.SIGCONT)
        await assert_each_email_queued_once(nstack, mail)
        procs.assert_alive()
