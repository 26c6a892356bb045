"""A handover proves that both parties were there (issue 16, item 7), on the real PostgreSQL through the services
the UI and the REST API call.

The device code is public (label, catalogue, open data). The attack: the receiving side of a handover (the
claimer for `collect`, the reserving third place for `deliver`) records it alone with that code, and a delivery
that never happened counts in the reuse-compliance report. Now the receiving side needs the one-time code the
handing side shows on its own screen; the handing side still confirms alone, device code in hand.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from marketplace.adapters.pool import create_pool
from marketplace.domain.errors import DomainError, Forbidden, TransitionRefused
from marketplace.reports.model import ReportFilter
from marketplace.reports.service import ReportService
from marketplace.services import Marketplace
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack, make_stack
from tests.integration.test_lifecycle_services import add_organisations

DELIVER = {"beneficiary_category": "students"}


async def trace(stack: Stack, code: str) -> dict[str, Any]:
    """What an accepted handover would change: the device's state and version, its events, the codes' table."""
    async with stack.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT a.state, a.version, (SELECT count(*) FROM asset_events e WHERE e.asset_id = a.id) AS events, "
            "(SELECT count(*) FROM reservations r WHERE r.asset_id = a.id AND r.status = 'active') AS holds "
            "FROM assets a WHERE a.code = $1", code.replace("-", ""))
        codes = await conn.fetch("SELECT wrong_tries, used_at IS NOT NULL AS used FROM handover_codes h "
                                 "JOIN assets a ON a.id = h.asset_id WHERE a.code = $1", code.replace("-", ""))
    return dict(row) | {"codes": [dict(c) for c in codes]}


async def reused(stack: Stack, j: Journeys) -> int:
    report = await ReportService(stack.marketplace).report(await j.token("auditor"), "compliance", ReportFilter())
    return int(report.totals["reused"])


async def payload_of(stack: Stack, code: str, event_type: str) -> dict[str, Any]:
    async with stack.pool.acquire() as conn:
        raw = await conn.fetchval("SELECT e.payload FROM asset_events e JOIN assets a ON a.id = e.asset_id "
                                  "WHERE a.code = $1 AND e.type = $2 ORDER BY e.sequence DESC LIMIT 1",
                                  code.replace("-", ""), event_type)
    return json.loads(raw) if isinstance(raw, str) else dict(raw)


async def user_id(stack: Stack, j: Journeys, role: str) -> str:
    user = await stack.marketplace.user_for_session(await j.token(role))
    assert user is not None
    return user.id


async def refused(j: Journeys, role: str, code: str, action: str, data: dict[str, Any]) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await j.act(role, code, action, data)
    return caught.value


class TestTheReceivingSideAlone:
    async def test_a_claimer_with_only_the_public_code_cannot_record_the_collection(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("claimed")
        before = await trace(stack, code)

        err = await refused(j, "refurbisher", code, "collect", {"confirm_code": code})

        assert err.message_key == "handover.code_required"
        assert "demandez-le à la personne qui vous remet l'appareil" in str(err)
        assert await trace(stack, code) == before
        assert before["state"] == "claimed" and before["codes"] == []

    async def test_a_third_place_with_only_the_public_code_cannot_record_the_delivery_nor_count_as_reuse(
        self, stack: Stack
    ) -> None:
        j = Journeys(stack)
        code = await j.device_in("reserved")
        before, counted = await trace(stack, code), await reused(stack, j)

        err = await refused(j, "third_place", code, "deliver", {"confirm_code": code} | DELIVER)

        assert err.message_key == "handover.code_required"
        assert await trace(stack, code) == before and before["state"] == "reserved" and before["holds"] == 1
        assert await reused(stack, j) == counted
        # The same delivery, proven by the code the custodian shows, counts (so the count above was live).
        shown = await j.handover_code("refurbisher", code)
        assert await j.act("third_place", code, "deliver", {"handover_code": shown} | DELIVER) == "delivered"
        assert await reused(stack, j) == counted + 1

    async def test_a_guessed_code_when_none_was_shown_is_refused_and_counts_nothing(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("claimed")
        before = await trace(stack, code)

        err = await refused(j, "refurbisher", code, "collect", {"handover_code": "000000"})

        assert err.message_key == "handover.code_none"
        assert await trace(stack, code) == before


class TestTheHandoverCode:
    async def test_the_code_the_donor_shows_lets_the_claimer_confirm_and_the_event_says_so(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("claimed")
        shown = await stack.marketplace.show_handover_code(await j.token("asset_manager"), code)
        assert (shown.action, shown.device, shown.receiver) == ("collect", code, "repar-acteurs-brest")
        assert len(shown.code) == 6 and shown.code.isdigit()

        typed = f"{shown.code[:3]} {shown.code[3:]}"  # as read from the donor's screen
        assert await j.act("refurbisher", code, "collect", {"handover_code": typed}) == "collected"

        collected = await payload_of(stack, code, "asset.collected")
        assert collected["proof"] == "handover_code"
        assert collected["code_shown_by"] == await user_id(stack, j, "asset_manager")
        assert collected["scanned_by"] == await user_id(stack, j, "refurbisher")
        assert (await trace(stack, code))["codes"] == [{"wrong_tries": 0, "used": True}]
        async with stack.pool.acquire() as conn:  # only the hash is kept
            assert shown.code not in str(await conn.fetch("SELECT * FROM handover_codes"))

    async def test_the_handing_side_still_confirms_alone_with_the_device_in_hand(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("claimed")
        err = await refused(j, "asset_manager", code, "collect", {})
        assert err.message_key == "handover.device_code_required"
        assert await j.act("asset_manager", code, "collect", {"confirm_code": code}) == "collected"
        assert (await payload_of(stack, code, "asset.collected"))["proof"] == "handing_party"
        assert await j.act("refurbisher", code, "diagnose", {"outcome": "refurbishable"}) == "diagnosed"
        await j.act("refurbisher", code, "refurbish", {"grade": "B"})
        await j.act("third_place", code, "reserve", {})
        assert await j.act("refurbisher", code, "deliver", {"confirm_code": code} | DELIVER) == "delivered"
        delivered = await payload_of(stack, code, "asset.delivered")
        assert (delivered["proof"], delivered["code_shown_by"]) == ("handing_party", None)

    async def test_a_used_code_does_not_serve_again(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("reserved")
        shown = await j.handover_code("refurbisher", code)
        assert await j.act("third_place", code, "deliver", {"handover_code": shown} | DELIVER) == "delivered"
        # Back from its second life and reserved again: the same handover is pending, the old code is spent.
        await j.act("third_place", code, "return", {"reason": "fin du prêt"})
        await j.act("refurbisher", code, "diagnose", {"outcome": "refurbishable"})
        await j.act("refurbisher", code, "refurbish", {"grade": "C"})
        await j.act("third_place", code, "reserve", {})
        before = await trace(stack, code)

        err = await refused(j, "third_place", code, "deliver", {"handover_code": shown} | DELIVER)

        assert err.message_key == "handover.code_used"
        assert await trace(stack, code) == before

    async def test_a_code_expires_after_fifteen_minutes(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("claimed")
        shown = await stack.marketplace.show_handover_code(await j.token("asset_manager"), code)
        async with stack.pool.acquire() as conn:
            created = await conn.fetchval("SELECT created_at FROM handover_codes")
        lasts = shown.expires_at - created
        assert lasts.total_seconds() == 15 * 60
        async with stack.pool.acquire() as conn:  # a quarter of an hour later
            await conn.execute("UPDATE handover_codes SET expires_at = now() - interval '1 second'")
        before = await trace(stack, code)

        err = await refused(j, "refurbisher", code, "collect", {"handover_code": shown.code})

        assert err.message_key == "handover.code_expired"
        assert "expiré" in str(err)
        assert await trace(stack, code) == before

    async def test_five_wrong_tries_void_the_code_and_each_is_counted_though_refused(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("claimed")
        right = await j.handover_code("asset_manager", code)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        outcomes = []
        for _ in range(5):
            err = await refused(j, "refurbisher", code, "collect", {"handover_code": wrong})
            outcomes.append((err.message_key, err.params.get("left")))
        assert outcomes == [("handover.code_wrong", 4), ("handover.code_wrong", 3), ("handover.code_wrong", 2),
                            ("handover.code_wrong", 1), ("handover.code_wrong_void", 0)]

        err = await refused(j, "refurbisher", code, "collect", {"handover_code": right})

        assert err.message_key == "handover.code_void"
        after = await trace(stack, code)
        assert after["state"] == "claimed" and after["codes"] == [{"wrong_tries": 5, "used": False}]
        # Only the donor can give another chance: a new code, with its own five tries.
        again = await j.handover_code("asset_manager", code)
        assert await j.act("refurbisher", code, "collect", {"handover_code": again}) == "collected"

    async def test_a_new_code_replaces_the_old_one(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("claimed")
        first = await j.handover_code("asset_manager", code)
        second = await j.handover_code("asset_manager", code)
        if first != second:  # one chance in a million that they are the same
            err = await refused(j, "refurbisher", code, "collect", {"handover_code": first})
            assert err.message_key == "handover.code_wrong"
        assert await j.act("refurbisher", code, "collect", {"handover_code": second}) == "collected"

    async def test_a_wrong_device_code_next_to_the_right_handover_code_leaves_the_code_unspent(
        self, stack: Stack
    ) -> None:
        j = Journeys(stack)
        code = await j.device_in("claimed")
        shown = await j.handover_code("asset_manager", code)
        err = await refused(j, "refurbisher", code, "collect", {"handover_code": shown, "confirm_code": "ZZZZ-ZZZZ-ZZZZ"})
        assert err.message_key == "handover.code_mismatch"
        assert (await trace(stack, code))["codes"] == [{"wrong_tries": 0, "used": False}]
        assert await j.act("refurbisher", code, "collect", {"handover_code": shown, "confirm_code": code}) == "collected"


class TestWhoMayShowACode:
    async def test_only_the_handing_side_obtains_a_code(self, stack: Stack) -> None:
        j = Journeys(stack)
        claimed, reserved = await j.device_in("claimed"), await j.device_in("reserved")
        [stranger] = await add_organisations(stack, "association", 1, "atelier-tiers")
        refusals = {}
        for who, token in [*[(r, await j.token(r)) for r in ("refurbisher", "maker", "third_place", "recycler",
                                                                 "auditor", "admin")], ("stranger", stranger)]:
            with pytest.raises(DomainError) as err:
                await stack.marketplace.show_handover_code(token, claimed)
            refusals[who] = err.value
        assert refusals["refurbisher"].message_key == "handover.giver_shows"  # the claimer receives, it does not show
        assert "lycee-des-embruns-brest" in str(refusals["refurbisher"])
        assert all(isinstance(e, Forbidden) for e in refusals.values()), refusals
        for role in ("third_place", "asset_manager", "maker"):  # the reserver, the donor, a stranger
            with pytest.raises(Forbidden):
                await stack.marketplace.show_handover_code(await j.token(role), reserved)
        collected = await j.device_in("collected")
        with pytest.raises(DomainError) as none:
            await stack.marketplace.show_handover_code(await j.token("refurbisher"), collected)
        assert none.value.message_key == "handover.none_pending"
        assert (await trace(stack, claimed))["codes"] == [] and (await trace(stack, reserved))["codes"] == []

    async def test_an_expired_reservation_gets_no_code(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("reserved")
        async with stack.pool.acquire() as conn:
            await conn.execute("UPDATE reservations SET hold_until = now() - interval '1 minute'")
        with pytest.raises(DomainError) as err:
            await j.handover_code("refurbisher", code)
        assert err.value.message_key == "reservation.expired"


@pytest.fixture
async def wide(fresh_dsn: str, fresh_broker: str) -> AsyncIterator[tuple[Stack, Marketplace]]:
    """A stack and a 10-connection marketplace, so that concurrent guesses really run side by side."""
    stack = await make_stack(fresh_dsn, fresh_broker)
    pool = await create_pool(fresh_dsn, 10)
    try:
        yield stack, Marketplace(pool, stack.settings)
    finally:
        await pool.close()
        await stack.stop()


class TestGuessingInParallel:
    async def test_twenty_concurrent_guesses_get_five_tries_in_all(self, wide: tuple[Stack, Marketplace]) -> None:
        stack, market = wide
        j = Journeys(stack)
        code = await j.device_in("claimed")
        right = await j.handover_code("asset_manager", code)
        guesses = [f"{(int(right) + n) % 1_000_000:06d}" for n in range(1, 21)]
        token = await j.token("refurbisher")

        async def guess(typed: str) -> str:
            try:
                return (await market.perform(token, code, "collect", {"handover_code": typed})).state
            except DomainError as exc:
                return exc.message_key

        outcomes = await asyncio.gather(*(guess(g) for g in guesses))

        assert sorted(outcomes) == sorted(["handover.code_wrong"] * 4 + ["handover.code_wrong_void"]
                                          + ["handover.code_void"] * 15)
        after = await trace(stack, code)
        assert after["state"] == "claimed" and after["codes"] == [{"wrong_tries": 5, "used": False}]
        with pytest.raises(DomainError, match="annulé"):
            await market.perform(token, code, "collect", {"handover_code": right})

    async def test_two_receivers_racing_with_the_right_code_make_one_handover(self, wide: tuple[Stack, Marketplace]) -> None:
        stack, market = wide
        j = Journeys(stack)
        code = await j.device_in("reserved")
        shown = await j.handover_code("refurbisher", code)
        token = await j.token("third_place")
        results = await asyncio.gather(*(market.perform(token, code, "deliver", {"handover_code": shown} | DELIVER)
                                         for _ in range(5)), return_exceptions=True)
        assert sum(not isinstance(r, BaseException) for r in results) == 1
        assert all(isinstance(r, TransitionRefused) for r in results if isinstance(r, BaseException)), results
        async with stack.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM asset_events WHERE type = 'asset.delivered'") == 1
