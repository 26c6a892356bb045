"""A message that always fails does not block its partition: it becomes a dead letter, the rest goes on."""

from __future__ import annotations

import json

from tests.integration.journeys import Journeys
from tests.integration.stack import Stack, eventually


async def test_a_poison_lifecycle_event_is_dead_lettered_and_the_router_keeps_routing(stack: Stack) -> None:
    await stack.start_relay()
    await stack.start_workers("router")
    poison = {"event_id": "0193aaaa-0000-7000-8000-00000000dead", "asset_id": "not-a-device-id",
              "payload": {}, "type": "asset.retired"}
    # Same partition as what follows (same key): a stuck poison message would block the device below.
    j = Journeys(stack)
    code = await j.retire()
    async with stack.pool.acquire() as conn:
        asset_id = str(await conn.fetchval("SELECT id FROM assets WHERE code = $1", code.replace("-", "")))
    await stack.produce("assets.lifecycle.v1", json.dumps(poison).encode(), key=asset_id.encode(),
                        headers={"type": "asset.retired"})

    async def state() -> str:
        async with stack.pool.acquire() as conn:
            return str(await conn.fetchval("SELECT state FROM assets WHERE id = $1", asset_id))

    await eventually(state, lambda s: s == "offered")
    admin = await j.token("admin")
    letters = await eventually(lambda: stack.marketplace.dead_letters(admin), lambda ls: len(ls) == 1)
    assert letters[0].consumer == "router" and "not-a-device-id" in letters[0].original
    assert "processing failed" in letters[0].error
    # And the router still works afterwards.
    second = await j.retire()
    async with stack.pool.acquire() as conn:
        second_id = str(await conn.fetchval("SELECT id FROM assets WHERE code = $1", second.replace("-", "")))

    async def second_state() -> str:
        async with stack.pool.acquire() as conn:
            return str(await conn.fetchval("SELECT state FROM assets WHERE id = $1", second_id))

    await eventually(second_state, lambda s: s == "offered")
