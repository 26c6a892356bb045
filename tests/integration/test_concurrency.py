"""Many organisations at once (issue 8, "Concurrency"): 50 concurrent claimers on 100 offered devices, 50 third
places booking 100 refurbished devices, and concurrent transitions on one device. Every device is taken exactly
once; every loser gets a clear refusal; the trail stays one event per transition and verifies."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator
from typing import Any

import pytest

from events.records import Record
from marketplace.adapters.pool import create_pool
from marketplace.adapters.views import event_wire
from marketplace.audit.service import AuditService
from marketplace.consumers.batches import process_lifecycle_for_routing
from marketplace.domain.errors import DomainError
from marketplace.services import Marketplace
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack, make_stack
from tests.integration.test_lifecycle_services import add_organisations

CLAIMERS = 50
DEVICES = 100


@pytest.fixture
async def crowd(fresh_dsn: str, fresh_broker: str) -> AsyncIterator[tuple[Stack, Marketplace]]:
    """A stack whose router offers each device to every candidate in reach, and a 20-connection marketplace
    so that the claimers really run side by side in PostgreSQL."""
    stack = await make_stack(fresh_dsn, fresh_broker, routing_k=100, max_active_reservations=DEVICES)
    pool = await create_pool(fresh_dsn, 20)
    try:
        yield stack, Marketplace(pool, stack.settings)
    finally:
        await pool.close()
        await stack.stop()


async def route_all(stack: Stack, codes: list[str]) -> None:
    async with stack.pool.acquire() as conn:
        rows = await conn.fetch("SELECT e.* FROM asset_events e JOIN assets a ON a.id = e.asset_id "
                                "WHERE a.code = ANY($1::text[]) AND e.type = 'asset.retired'",
                                [c.replace("-", "") for c in codes])
    records = [Record("assets.lifecycle.v1", 0, i, str(r["asset_id"]).encode(), json.dumps(event_wire(r)).encode(),
                      {"type": "asset.retired"}) for i, r in enumerate(rows)]
    await process_lifecycle_for_routing(stack.pool, records, stack.settings)


async def attempt_all(market: Marketplace, token: str, attempts: list[tuple[str, str, dict[str, Any]]]
                      ) -> tuple[list[str], list[DomainError]]:
    """Try every (code, action, data) in a random order; returns the codes won and the refusals."""
    won, refused = [], []
    for code, action, data in random.sample(attempts, len(attempts)):
        try:
            await market.perform(token, code, action, data)
            won.append(code)
        except DomainError as exc:
            refused.append(exc)
    return won, refused


async def count(stack: Stack, sql: str) -> int:
    async with stack.pool.acquire() as conn:
        return int(await conn.fetchval(sql))


async def test_fifty_claimers_on_a_hundred_offered_devices_claim_each_exactly_once(
        crowd: tuple[Stack, Marketplace]) -> None:
    stack, market = crowd
    j = Journeys(stack)
    tokens = await add_organisations(stack, "association", CLAIMERS, "atelier-foule")
    codes = [await j.retire() for _ in range(DEVICES)]
    await route_all(stack, codes)
    offers = {t: [(o.device.code, "claim", {}) for o in await market.open_offers(t, limit=DEVICES)] for t in tokens}
    assert all(len(o) == DEVICES for o in offers.values()), "every claimer is offered every device"

    results = await asyncio.gather(*(attempt_all(market, t, offers[t]) for t in tokens))

    won = [code for codes_won, _ in results for code in codes_won]
    assert sorted(won) == sorted(codes), "each device claimed exactly once"
    refusals = [exc for _, refused in results for exc in refused]
    assert len(refusals) == CLAIMERS * DEVICES - DEVICES
    assert {e.message_key for e in refusals} <= {"transition.refused", "offer.closed", "device.already_claimed"}, \
        {e.message_key for e in refusals}
    assert await count(stack, "SELECT count(*) FROM offers WHERE status = 'claimed'") == DEVICES
    assert await count(stack, "SELECT count(*) FROM asset_events WHERE type = 'asset.claimed'") == DEVICES
    assert await count(stack, "SELECT count(*) FROM assets WHERE state = 'claimed'") == DEVICES
    assert (await AuditService(stack.pool).verify()).ok


async def test_fifty_third_places_book_a_hundred_devices_each_exactly_once(crowd: tuple[Stack, Marketplace]) -> None:
    stack, market = crowd
    j = Journeys(stack)
    async with stack.pool.acquire() as conn:  # one demo workshop refurbishes all hundred
        await conn.execute("UPDATE organisations SET capacity = 1000")
    codes = [await j.device_in("refurbished") for _ in range(DEVICES)]
    tokens = await add_organisations(stack, "tiers_lieu", CLAIMERS, "tiers-lieu-foule")

    results = await asyncio.gather(*(attempt_all(market, t, [(c, "reserve", {}) for c in codes]) for t in tokens))

    won = [code for codes_won, _ in results for code in codes_won]
    assert sorted(won) == sorted(codes), "each device booked exactly once"
    refusals = [exc for _, refused in results for exc in refused]
    assert len(refusals) == CLAIMERS * DEVICES - DEVICES
    assert {e.message_key for e in refusals} <= {"transition.refused", "device.already_reserved"}, \
        {e.message_key for e in refusals}
    assert await count(stack, "SELECT count(*) FROM reservations WHERE status = 'active'") == DEVICES
    assert await count(stack, "SELECT count(*) FROM asset_events WHERE type = 'asset.reserved'") == DEVICES
    assert (await AuditService(stack.pool).verify()).ok


async def test_concurrent_transitions_on_one_device_serialise_and_the_losers_are_told_why(
        crowd: tuple[Stack, Marketplace]) -> None:
    """The workshop diagnoses a device from three tabs at once while an admin writes it off. The four commands
    run one after the other: at most one diagnosis happens (only before the write-off), the write-off always
    happens (it is allowed from any open state), and every refused command names the state it found."""
    stack, market = crowd
    j = Journeys(stack)
    workshop, admin = await j.token("refurbisher"), await j.token("admin")
    diagnosis = {"outcome": "refurbishable", "findings": "écran rayé"}
    for _ in range(5):
        code = await j.device_in("collected")
        results = await asyncio.gather(
            *(market.perform(workshop, code, "diagnose", diagnosis) for _ in range(3)),
            market.perform(admin, code, "write_off", {"reason": "doublon d'inventaire"}), return_exceptions=True)
        diagnosed = [r for r in results[:3] if not isinstance(r, BaseException)]
        refused = [r for r in results if isinstance(r, BaseException)]
        assert not isinstance(results[3], BaseException) and results[3].state == "written_off"
        assert len(diagnosed) <= 1 and len(refused) == 3 - len(diagnosed)
        assert all(isinstance(r, DomainError) and r.message_key == "transition.refused" for r in refused), refused
        assert all("« diagnosed »" in str(r) or "« written_off »" in str(r) for r in refused), refused
        async with stack.pool.acquire() as conn:
            types = [r["type"] for r in await conn.fetch(
                "SELECT e.type FROM asset_events e JOIN assets a ON a.id = e.asset_id WHERE a.code = $1 "
                "ORDER BY e.sequence", code.replace("-", ""))]
        after_collection = types[types.index("asset.collected") + 1:]
        assert after_collection == ["asset.diagnosed"] * len(diagnosed) + ["asset.written_off"]
    assert (await AuditService(stack.pool).verify()).ok
