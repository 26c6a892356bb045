"""Deliveries to a tiers-lieu, several reservations at once (issue 19): the devices a tiers-lieu reserved among
one workshop's are handed over in one scanning session, one `asset.delivered` each, in one transaction; the
missing ones stay reserved. Attacks: another workshop, a donor or an auditor reach no delivery; the tiers-lieu
alone cannot deliver (no code, or a wrong one, counted); a device outside the delivery is refused by name."""

from __future__ import annotations

import json

import pytest

from marketplace.domain.errors import DomainError, NotFound
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack

WORKSHOP, PLACE = "repar-acteurs-brest", "tiers-lieu-la-passerelle-guingamp"


async def states(stack: Stack, codes: list[str]) -> list[str]:
    async with stack.pool.acquire() as conn:
        rows = {r["code"]: r["state"] for r in await conn.fetch(
            "SELECT code, state FROM assets WHERE code = ANY($1::text[])", [c.replace("-", "") for c in codes])}
    return [rows[c.replace("-", "")] for c in codes]


async def delivered(stack: Stack) -> list[dict[str, object]]:
    async with stack.pool.acquire() as conn:
        raws = await conn.fetch("SELECT payload FROM asset_events WHERE type = 'asset.delivered'")
    return [json.loads(r[0]) if isinstance(r[0], str) else dict(r[0]) for r in raws]


class TestOneDeliveryOfSeveralReservations:
    async def test_the_tiers_lieu_types_the_workshops_code_and_the_scanned_devices_are_delivered(
            self, stack: Stack) -> None:
        j = Journeys(stack)
        codes = [await j.device_in("reserved") for _ in range(3)]
        m = stack.marketplace
        [theirs] = await m.my_deliveries(await j.token("third_place"))
        [mine] = await m.my_deliveries(await j.token("refurbisher"))
        assert (theirs.giver, theirs.receiver, theirs.expected, theirs.side) == (WORKSHOP, PLACE, 3, "receiver")
        assert mine.side == "giver" and mine.expected == 3
        page = await m.delivery(await j.token("third_place"), WORKSHOP)
        assert sorted(d.code for d in page.devices) == sorted(codes)

        shown = await m.show_delivery_code(await j.token("refurbisher"), PLACE)
        done = await m.deliver_scanned(await j.token("third_place"), WORKSHOP, codes[:2], "students", shown.code)
        assert sorted(done.collected) == sorted(codes[:2]) and done.missing == (codes[2],)
        assert await states(stack, codes) == ["delivered", "delivered", "reserved"]
        payloads = await delivered(stack)
        assert len(payloads) == 2 and {p["proof"] for p in payloads} == {"handover_code"}
        assert {p["beneficiary_category"] for p in payloads} == {"students"}

    async def test_the_workshop_confirms_alone_as_the_handing_party(self, stack: Stack) -> None:
        j = Journeys(stack)
        codes = [await j.device_in("reserved") for _ in range(2)]
        await stack.marketplace.deliver_scanned(await j.token("refurbisher"), PLACE, codes, "seniors")
        assert await states(stack, codes) == ["delivered", "delivered"]
        assert await stack.marketplace.my_deliveries(await j.token("third_place")) == []


class TestAttacks:
    @pytest.mark.parametrize("role,other", [("maker", PLACE), ("recycler", PLACE), ("asset_manager", WORKSHOP),
                                            ("auditor", WORKSHOP), ("admin", PLACE)])
    async def test_no_one_else_reaches_the_delivery(self, stack: Stack, role: str, other: str) -> None:
        j = Journeys(stack)
        codes = [await j.device_in("reserved") for _ in range(2)]
        m, token = stack.marketplace, await j.token(role)
        assert await m.my_deliveries(token) == []
        for attack in [m.delivery(token, other), m.show_delivery_code(token, other),
                       m.deliver_scanned(token, other, codes, "students")]:
            with pytest.raises(NotFound):
                await attack
        assert await states(stack, codes) == ["reserved", "reserved"]

    async def test_the_tiers_lieu_alone_cannot_deliver_and_a_stranger_is_named(self, stack: Stack) -> None:
        j = Journeys(stack)
        codes = [await j.device_in("reserved") for _ in range(2)]
        stranger = await j.device_in("refurbished")
        m, token = stack.marketplace, await j.token("third_place")
        with pytest.raises(DomainError) as none:
            await m.deliver_scanned(token, WORKSHOP, codes, "students")
        assert none.value.message_key == "handover.code_required"
        shown = await m.show_delivery_code(await j.token("refurbisher"), PLACE)
        with pytest.raises(DomainError) as wrong:
            await m.deliver_scanned(token, WORKSHOP, codes, "students", f"{(int(shown.code) + 1) % 1_000_000:06d}")
        assert wrong.value.message_key == "handover.code_wrong"
        with pytest.raises(DomainError) as stray:
            await m.deliver_scanned(token, WORKSHOP, [*codes, stranger], "students", shown.code)
        assert stray.value.message_key == "delivery.not_expected" and stranger in str(stray.value)
        with pytest.raises(DomainError) as bad:
            await m.deliver_scanned(token, WORKSHOP, codes, "martians", shown.code)
        assert bad.value.message_key == "input.invalid" and "beneficiary_category" in str(bad.value)
        with pytest.raises(DomainError):
            await m.show_delivery_code(token, WORKSHOP)  # only the handing party shows a code
        assert await states(stack, codes) == ["reserved", "reserved"]
        assert await delivered(stack) == []
