"""The home page's "needs attention now" counts, on the real database: each role sees its own, admins more."""

from __future__ import annotations

import pytest

from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.domain.errors import NotAuthenticated
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack

pytestmark = pytest.mark.integration

async def attention(j: Journeys, role: str) -> dict[str, int | None]:
    return (await j.stack.marketplace.attention(await j.token(role))).model_dump()


class TestAttention:
    async def test_an_empty_marketplace_needs_nobody_and_each_role_sees_only_its_counts(self, stack: Stack) -> None:
        j = Journeys(stack)
        assert await attention(j, "asset_manager") == {
            "offers_expiring": None, "devices_waiting": None, "reservations_to_collect": None,
            "donations_awaiting_pickup": 0, "pickups_to_collect": None, "dead_letters": None,
            "unclaimed_devices": None}
        refurbisher = await attention(j, "refurbisher")
        assert (refurbisher["offers_expiring"], refurbisher["devices_waiting"]) == (0, 0)
        assert refurbisher["reservations_to_collect"] is None and refurbisher["dead_letters"] is None
        assert (await attention(j, "third_place"))["reservations_to_collect"] == 0
        admin = await attention(j, "admin")
        assert (admin["dead_letters"], admin["unclaimed_devices"]) == (0, 0)

    async def test_claimed_and_diagnosed_devices_wait_for_the_workshop_and_the_donor_for_pickup(
        self, stack: Stack,
    ) -> None:
        j = Journeys(stack)
        await j.device_in("claimed")
        await j.device_in("diagnosed")
        await j.device_in("refurbished")  # nothing left to do for the workshop: not counted
        assert (await attention(j, "refurbisher"))["devices_waiting"] == 2
        assert (await attention(j, "refurbisher"))["pickups_to_collect"] == 1  # the claimed one's pickup
        assert (await attention(j, "maker"))["devices_waiting"] == 0
        # Only the claimed one still waits at the lycée; the others were collected.
        assert (await attention(j, "asset_manager"))["donations_awaiting_pickup"] == 1

    async def test_a_reservation_waits_for_the_tiers_lieu_until_delivered(self, stack: Stack) -> None:
        j = Journeys(stack)
        await j.device_in("reserved")
        await j.device_in("delivered")
        assert (await attention(j, "third_place"))["reservations_to_collect"] == 1

    async def test_only_offers_closing_within_24_hours_count_as_expiring(self, stack: Stack) -> None:
        j = Journeys(stack)
        soon, later = await j.device_in("offered"), await j.device_in("offered")
        async with stack.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT a.code, o.slug FROM offers f JOIN assets a ON a.id = f.asset_id "
                "JOIN organisations o ON o.id = f.org_id WHERE f.status = 'open'")
            await conn.execute("UPDATE offers f SET expires_at = now() + interval '2 hours' FROM assets a "
                               "WHERE a.id = f.asset_id AND a.code = $1", soon.replace("-", ""))
            await conn.execute("UPDATE offers f SET expires_at = now() + interval '3 days' FROM assets a "
                               "WHERE a.id = f.asset_id AND a.code = $1", later.replace("-", ""))
        workshop = DEMO_ACCOUNTS["refurbisher"][3]
        # The routing policy offers a laptop to several organisations, the demo refurbisher among them.
        assert (soon.replace("-", ""), workshop) in {(r["code"], r["slug"]) for r in rows}
        assert (await attention(j, "refurbisher"))["offers_expiring"] == 1

    async def test_admins_see_new_dead_letters_and_unclaimed_devices(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.retire()
        async with stack.pool.acquire() as conn:
            await conn.execute("UPDATE assets SET routing_round = 99 WHERE code = $1", code.replace("-", ""))
            await conn.execute(
                "INSERT INTO dead_letters (topic, partition, \"offset\", original, error, consumer, attempts) "
                "VALUES ('assets.intake.v1', 0, 1, 'x', 'bad json', 'intake', 3), "
                "('assets.intake.v1', 0, 2, 'y', 'bad json', 'intake', 3)")
            await conn.execute("UPDATE dead_letters SET status = 'discarded' WHERE \"offset\" = 2")
        admin = await attention(j, "admin")
        assert (admin["dead_letters"], admin["unclaimed_devices"]) == (1, 1)
        assert (await attention(j, "auditor"))["dead_letters"] is None

    async def test_no_session_no_counts(self, stack: Stack) -> None:
        with pytest.raises(NotAuthenticated):
            await stack.marketplace.attention("not-a-token")
