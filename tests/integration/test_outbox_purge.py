"""The outbox does not grow for ever: published rows past their retention are deleted, unpublished ones never."""

from __future__ import annotations

import asyncio

from marketplace.adapters.outbox import purge_published
from tests.integration.stack import Stack, eventually
from workers.relay import Relay

ROW = "INSERT INTO outbox (topic, key, headers, value, published_at) VALUES ('t', $1, '{}', '\\x7b7d', now() - make_interval(hours => $2))"


async def outbox_rows(stack: Stack) -> list[tuple[str, bool]]:
    async with stack.pool.acquire() as conn:
        rows = await conn.fetch("SELECT key, published_at IS NOT NULL AS published FROM outbox ORDER BY id")
    return [(r["key"], r["published"]) for r in rows]


async def test_rows_published_before_the_retention_go_and_the_rest_stay(stack: Stack) -> None:
    async with stack.pool.acquire() as conn:
        for key, hours_ago in [("old-1", 240), ("old-2", 216), ("never", None), ("old-3", 192),
                                   ("recent", 1), ("late", None)]:
            await conn.execute(ROW, key, hours_ago)
        purged = await purge_published(conn, 7 * 24 * 3600, chunk=2)  # several chunks
    assert purged == 3
    assert await outbox_rows(stack) == [("never", False), ("recent", True), ("late", False)]


async def test_the_relay_purges_what_it_published_once_the_retention_is_over(stack: Stack) -> None:
    async with stack.pool.acquire() as conn:
        for i in range(5):
            await conn.execute("INSERT INTO outbox (topic, key, headers, value) VALUES ($1, $2, '{}', $3)",
                               "assets.lifecycle.v1", f"d-{i}", b'{"n":%d}' % i)
    relay = Relay(stack.settings.model_copy(update={"outbox_retention_hours": 0.0}), purge_every_seconds=0.2)
    task = asyncio.create_task(relay.run())
    try:
        await eventually(lambda: outbox_rows(stack), lambda rows: rows == [], timeout=30)
        assert relay.published == 5
        assert len(await stack.read_topic("assets.lifecycle.v1", at_least=5)) == 5  # published, then deleted
    finally:
        relay.stop()
        await asyncio.wait_for(task, 10)
