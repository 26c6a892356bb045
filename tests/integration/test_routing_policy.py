"""The routing policy on the real stack: intake -> relay -> router worker, real PostgreSQL and broker."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from marketplace.adapters.pool import create_pool
from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.demo.loader import load_demo_data
from marketplace.domain.routing import Device, RoutingRules, route
from marketplace.handlers.route import load_candidates
from marketplace.runtime.database_setup import prepare_database
from marketplace.unit_of_work import UnitOfWork
from tests.integration.stack import Stack, eventually, intake_message

DONOR = b"lycee-des-embruns-brest"


async def offers_of(stack: Stack, serial: str) -> list[dict[str, Any]]:
    """The device's offers, best first, with the organisation's slug and kind ([] until it is offered)."""
    async with stack.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT f.id, o.slug, o.kind, f.score FROM offers f JOIN organisations o ON o.id = f.org_id "
            "JOIN assets a ON a.id = f.asset_id WHERE a.serial = $1 ORDER BY f.score DESC, o.slug", serial)
    return [dict(r) for r in rows]


async def offered_payload(stack: Stack, serial: str) -> dict[str, Any]:
    async with stack.pool.acquire() as conn:
        payload = await conn.fetchval(
            "SELECT e.payload FROM asset_events e JOIN assets a ON a.id = e.asset_id "
            "WHERE a.serial = $1 AND e.type = 'asset.offered'", serial)
    return dict(json.loads(payload) if isinstance(payload, str) else payload)


async def retire_and_wait(stack: Stack, n: int, **change: Any) -> list[dict[str, Any]]:
    await stack.produce("assets.retirements.v1", intake_message(n, **change), key=DONOR)
    return await eventually(lambda: offers_of(stack, f"SER{n:06d}"), bool)


class TestRoutingPolicyOnTheRealStack:
    async def test_an_old_laptop_goes_to_fab_labs_with_its_checks_recorded(self, stack: Stack) -> None:
        await stack.start_relay()
        await stack.start_workers("intake", "router")

        offers = await retire_and_wait(stack, 41, year=2012)

        # Round 1 from Brest: the two fab labs within reach; no refurbisher for a 14-year-old device.
        assert [o["slug"] for o in offers] == ["fablab-du-leon-morlaix", "fablab-ty-lab-pontivy"]
        payload = await offered_payload(stack, "SER000041")
        assert payload["round"] == 1
        checks = {c["rule"]: c for c in payload["offers"][0]["eligibility"]}
        assert all(c["passed"] for c in checks.values())
        assert "décret 2023-266" in checks["filiere"]["reference"]
        assert "L3212-2" in checks["cession"]["reference"]

    async def test_a_working_laptop_goes_to_the_local_association_first(self, stack: Stack) -> None:
        await stack.start_relay()
        await stack.start_workers("intake", "router")

        offers = await retire_and_wait(stack, 42)

        assert [o["slug"] for o in offers] == [
            "repar-acteurs-brest", "le-bon-octet-quimper", "reemploi-numerique-lorient"]
        assert {o["kind"] for o in offers} == {"association"}

    async def test_an_organisation_at_capacity_gets_no_offer(self, stack: Stack) -> None:
        await stack.start_relay()
        await stack.start_workers("intake", "router")
        async with stack.pool.acquire() as conn:
            await conn.execute("UPDATE organisations SET capacity = 1 WHERE slug = 'repar-acteurs-brest'")

        first = await retire_and_wait(stack, 43)
        assert first[0]["slug"] == "repar-acteurs-brest"
        email, password, *_ = DEMO_ACCOUNTS["refurbisher"]
        token = (await stack.marketplace.sign_in(email, password)).token
        await stack.marketplace.claim_offer(token, str(first[0]["id"]))  # its one place is now taken

        second = await retire_and_wait(stack, 44)
        assert "repar-acteurs-brest" not in [o["slug"] for o in second]
        assert [o["slug"] for o in second] == ["le-bon-octet-quimper", "reemploi-numerique-lorient"]


class TestDemoData:
    async def test_a_2019_working_laptop_of_the_brest_lycee_goes_to_repar_acteurs_first(self, fresh_dsn: str) -> None:
        # The e2e walking skeleton relies on this with the full demo data (loads, claims, journeys).
        await prepare_database(fresh_dsn, demo=False)
        pool = await create_pool(fresh_dsn, 2)
        try:
            await load_demo_data(pool)
            async with UnitOfWork(pool) as uow:
                candidates = await load_candidates(uow)
        finally:
            await pool.close()
        decision = route(Device("laptop", "BREST", 2019, "working"), candidates, RoutingRules(), date.today())
        assert decision.offers[0].org_slug == "repar-acteurs-brest"
