"""One organisation cannot hoard the catalogue (issue 16, item 8): a setting caps the devices an organisation
holds reserved at once, even when its tabs book side by side, and an admin can free a reservation with a
reason that stays in the trail. On the real PostgreSQL, through the services the UI and the API call."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest

from marketplace.adapters.pool import create_pool
from marketplace.domain.errors import DomainError
from marketplace.services import Marketplace
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack, make_stack

CAP = 3


@pytest.fixture
async def capped(fresh_dsn: str, fresh_broker: str) -> AsyncIterator[tuple[Stack, Marketplace]]:
    """A stack whose organisations may hold three reservations, and a 10-connection marketplace so that
    concurrent bookings really run side by side in PostgreSQL."""
    stack = await make_stack(fresh_dsn, fresh_broker, max_active_reservations=CAP)
    pool = await create_pool(fresh_dsn, 10)
    try:
        yield stack, Marketplace(pool, stack.settings)
    finally:
        await pool.close()
        await stack.stop()


async def counts(stack: Stack) -> tuple[int, int]:
    async with stack.pool.acquire() as conn:
        return (await conn.fetchval("SELECT count(*) FROM reservations WHERE status = 'active'"),
                await conn.fetchval("SELECT count(*) FROM asset_events WHERE type = 'asset.reserved'"))


class TestReservationCap:
    async def test_the_booking_past_the_cap_is_refused_and_changes_nothing(self, capped: tuple[Stack, Marketplace]) -> None:
        stack, _ = capped
        j = Journeys(stack)
        codes = [await j.device_in("refurbished") for _ in range(CAP + 1)]
        for code in codes[:CAP]:
            assert await j.act("third_place", code, "reserve", {}) == "reserved"

        with pytest.raises(DomainError) as refused:
            await j.act("third_place", codes[CAP], "reserve", {})

        assert refused.value.message_key == "reservation.limit_reached"
        assert refused.value.params == {"limit": CAP}
        assert await counts(stack) == (CAP, CAP)
        async with stack.pool.acquire() as conn:
            assert await conn.fetchval("SELECT state FROM assets WHERE code = $1", codes[CAP].replace("-", "")) == \
                "refurbished"

    async def test_concurrent_tabs_of_one_organisation_cannot_pass_the_cap(self, capped: tuple[Stack, Marketplace]) -> None:
        stack, market = capped
        j = Journeys(stack)
        codes = [await j.device_in("refurbished") for _ in range(8)]
        token = await j.token("third_place")

        async def book(code: str) -> str:
            try:
                return (await market.perform(token, code, "reserve", {})).state
            except DomainError as exc:
                return exc.message_key

        outcomes = await asyncio.gather(*(book(code) for code in codes))

        assert sorted(outcomes) == sorted(["reserved"] * CAP + ["reservation.limit_reached"] * (8 - CAP))
        assert await counts(stack) == (CAP, CAP)

    async def test_a_cancelled_reservation_frees_a_place_under_the_cap(self, capped: tuple[Stack, Marketplace]) -> None:
        stack, _ = capped
        j = Journeys(stack)
        codes = [await j.device_in("refurbished") for _ in range(CAP + 1)]
        for code in codes[:CAP]:
            await j.act("third_place", code, "reserve", {})
        await j.act("third_place", codes[0], "cancel_reservation", {})

        assert await j.act("third_place", codes[CAP], "reserve", {}) == "reserved"


class TestAdminCancels:
    async def test_an_admin_frees_a_reservation_with_a_reason_kept_in_the_trail(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("reserved")

        assert await j.act("admin", code, "cancel_reservation", {"reason": "Réservations en surnombre"}) == "refurbished"

        async with stack.pool.acquire() as conn:
            payload = await conn.fetchval(
                "SELECT e.payload FROM asset_events e JOIN assets a ON a.id = e.asset_id "
                "WHERE a.code = $1 AND e.type = 'asset.reservation_released'", code.replace("-", ""))
            active = await conn.fetchval("SELECT count(*) FROM reservations WHERE status = 'active'")
        released = json.loads(payload) if isinstance(payload, str) else payload
        assert released["why"] == "cancelled"
        assert released["cancelled_by"] == "admin"
        assert released["reason"] == "Réservations en surnombre"
        assert active == 0

    async def test_an_admin_must_say_why(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("reserved")

        with pytest.raises(DomainError) as refused:
            await j.act("admin", code, "cancel_reservation", {})

        assert refused.value.message_key == "reservation.reason_required"
        async with stack.pool.acquire() as conn:
            assert await conn.fetchval("SELECT state FROM assets WHERE code = $1", code.replace("-", "")) == "reserved"

    async def test_another_member_cannot_cancel_someone_elses_reservation(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("reserved")

        for role in ("refurbisher", "auditor", "asset_manager"):
            with pytest.raises(DomainError):
                await j.act(role, code, "cancel_reservation", {"reason": "je voudrais cet appareil"})

        async with stack.pool.acquire() as conn:
            assert await conn.fetchval("SELECT state FROM assets WHERE code = $1", code.replace("-", "")) == "reserved"

    async def test_the_reserver_cancels_without_a_reason_as_before(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("reserved")

        assert await j.act("third_place", code, "cancel_reservation", {}) == "refurbished"
