"""Pickups (issue 19): the claimed devices of one donor site for one claimer form one pickup with a date both
sides see and agree on; its handover collects every scanned device in one transaction, one event each, and
leaves the missing ones claimed; the timers and the deadline e-mails follow the pickup. Attacks: another
organisation (or a party's auditor) can neither see nor change a pickup, the receiving side cannot collect
with no code or a wrong one, a device not in the pickup cannot be slipped in."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from marketplace.domain.errors import DomainError, NotFound
from marketplace.domain.pickups import PARIS
from marketplace.notifications.deadlines import announce_deadlines
from marketplace.timers.jobs import Timers
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack


async def claimed(j: Journeys, n: int) -> list[str]:
    return [await j.device_in("claimed") for _ in range(n)]


async def the_pickup(stack: Stack, j: Journeys, role: str = "refurbisher") -> str:
    pickups = await stack.marketplace.my_pickups(await j.token(role))
    assert len(pickups) == 1
    return pickups[0].id


async def states(stack: Stack, codes: list[str]) -> dict[str, str]:
    async with stack.pool.acquire() as conn:
        rows = await conn.fetch("SELECT code, state FROM assets WHERE code = ANY($1::text[])",
                                [c.replace("-", "") for c in codes])
    return {r["code"]: r["state"] for r in rows}


async def collected_payloads(stack: Stack) -> list[dict[str, Any]]:
    async with stack.pool.acquire() as conn:
        raws = await conn.fetch("SELECT payload FROM asset_events WHERE type = 'asset.collected'")
    return [json.loads(r[0]) if isinstance(r[0], str) else dict(r[0]) for r in raws]


class TestOnePickupPerDonorSite:
    async def test_devices_claimed_at_one_site_form_one_pickup_both_sides_see_with_a_proposed_date(
            self, stack: Stack) -> None:
        j = Journeys(stack)
        codes = await claimed(j, 3)
        mine = await stack.marketplace.my_pickups(await j.token("refurbisher"))
        theirs = await stack.marketplace.my_pickups(await j.token("asset_manager"))
        assert [p.id for p in mine] == [p.id for p in theirs]
        assert mine[0].expected == 3 and mine[0].side == "claimer" and theirs[0].side == "donor"
        assert mine[0].proposed_by == "claimer" and not mine[0].agreed
        assert mine[0].proposed_on >= date.today()
        page = await stack.marketplace.pickup(await j.token("asset_manager"), mine[0].id)
        assert sorted(d.code for d in page.devices) == sorted(codes)
        assert {d.status for d in page.devices} == {"expected"}

    async def test_the_donor_proposes_another_date_and_the_claimer_accepts_it(self, stack: Stack) -> None:
        j = Journeys(stack)
        await claimed(j, 2)
        pid = await the_pickup(stack, j)
        m = stack.marketplace
        day = (date.today() + timedelta(days=5)).isoformat()
        with pytest.raises(DomainError) as own:
            await m.accept_pickup_date(await j.token("refurbisher"), pid)  # its own first proposal
        assert own.value.message_key == "pickup.own_proposal"
        await m.propose_pickup_date(await j.token("asset_manager"), pid, day)
        with pytest.raises(DomainError):
            await m.accept_pickup_date(await j.token("asset_manager"), pid)
        await m.accept_pickup_date(await j.token("refurbisher"), pid)
        view = await m.pickup(await j.token("asset_manager"), pid)
        assert view.agreed and view.proposed_on.isoformat() == day and view.proposed_by == "donor"
        # Held until the end of the agreed day at least.
        assert view.lapses_at.astimezone(PARIS).date() >= date.fromisoformat(day)

    async def test_a_date_that_is_not_a_date_or_too_far_is_refused_by_name_and_changes_nothing(
            self, stack: Stack) -> None:
        j = Journeys(stack)
        await claimed(j, 1)
        pid = await the_pickup(stack, j)
        before = await stack.marketplace.pickup(await j.token("refurbisher"), pid)
        for bad, key in [("demain", "input.invalid"), ((date.today() + timedelta(days=90)).isoformat(),
                                                       "pickup.date_out_of_range"),
                         ((date.today() - timedelta(days=2)).isoformat(), "pickup.date_out_of_range")]:
            with pytest.raises(DomainError) as caught:
                await stack.marketplace.propose_pickup_date(await j.token("asset_manager"), pid, bad)
            assert caught.value.message_key == key
        assert await stack.marketplace.pickup(await j.token("refurbisher"), pid) == before


class TestOnlyThePartiesSeeAndChangeIt:
    @pytest.mark.parametrize("role", ["maker", "recycler", "third_place", "auditor", "admin"])
    async def test_another_organisation_can_neither_see_nor_change_the_pickup(self, stack: Stack,
                                                                              role: str) -> None:
        j = Journeys(stack)
        codes = await claimed(j, 2)
        pid = await the_pickup(stack, j)
        m, token = stack.marketplace, await j.token(role)
        assert await m.my_pickups(token) == []
        before = await m.pickup(await j.token("refurbisher"), pid)
        attacks = [m.pickup(token, pid), m.propose_pickup_date(token, pid, date.today().isoformat()),
                   m.accept_pickup_date(token, pid), m.show_pickup_code(token, pid),
                   m.collect_pickup(token, pid, codes)]
        for attack in attacks:
            with pytest.raises(NotFound) as caught:
                await attack
            assert caught.value.message_key == "pickup.not_found"
        assert await m.pickup(await j.token("refurbisher"), pid) == before
        assert set((await states(stack, codes)).values()) == {"claimed"}

    async def test_a_made_up_pickup_id_is_not_found(self, stack: Stack) -> None:
        j = Journeys(stack)
        for pid in ["00000000-0000-7000-8000-000000000000", "../../etc", "x" * 500]:
            with pytest.raises(NotFound):
                await stack.marketplace.pickup(await j.token("refurbisher"), pid)


class TestTheHandover:
    async def test_the_claimer_collects_the_scanned_devices_with_the_donors_code_and_the_missing_stay_claimed(
            self, stack: Stack) -> None:
        j = Journeys(stack)
        codes = await claimed(j, 5)
        pid = await the_pickup(stack, j)
        m = stack.marketplace
        shown = await m.show_pickup_code(await j.token("asset_manager"), pid)
        done = await m.collect_pickup(await j.token("refurbisher"), pid, codes[:4], shown.code)
        assert sorted(done.collected) == sorted(codes[:4]) and done.missing == (codes[4],)
        after = await states(stack, codes)
        assert [after[c.replace("-", "")] for c in codes] == ["collected"] * 4 + ["claimed"]
        payloads = await collected_payloads(stack)
        assert len(payloads) == 4
        assert {p["pickup_id"] for p in payloads} == {pid} and {p["proof"] for p in payloads} == {"handover_code"}
        # The missing device is still expected in the same pickup; the code served once.
        left = await m.pickup(await j.token("refurbisher"), pid)
        assert left.expected == 1 and left.open
        with pytest.raises(DomainError) as again:
            await m.collect_pickup(await j.token("refurbisher"), pid, [codes[4]], shown.code)
        assert again.value.message_key == "handover.code_used"

    async def test_the_donor_confirms_alone_as_the_handing_party_and_the_pickup_closes(self, stack: Stack) -> None:
        j = Journeys(stack)
        codes = await claimed(j, 2)
        pid = await the_pickup(stack, j)
        await stack.marketplace.collect_pickup(await j.token("asset_manager"), pid, codes)
        assert set((await states(stack, codes)).values()) == {"collected"}
        assert {p["proof"] for p in await collected_payloads(stack)} == {"handing_party"}
        assert await stack.marketplace.my_pickups(await j.token("refurbisher")) == []

    async def test_the_claimer_alone_cannot_collect_and_a_wrong_code_is_counted(self, stack: Stack) -> None:
        j = Journeys(stack)
        codes = await claimed(j, 2)
        pid = await the_pickup(stack, j)
        m, token = stack.marketplace, await j.token("refurbisher")
        with pytest.raises(DomainError) as none:
            await m.collect_pickup(token, pid, codes)
        assert none.value.message_key == "handover.code_required"
        shown = await m.show_pickup_code(await j.token("asset_manager"), pid)
        with pytest.raises(DomainError) as wrong:
            await m.collect_pickup(token, pid, codes, f"{(int(shown.code) + 1) % 1_000_000:06d}")
        assert wrong.value.message_key == "handover.code_wrong" and wrong.value.params["left"] == 4
        with pytest.raises(DomainError):
            await m.show_pickup_code(token, pid)  # only the handing party shows a code
        assert set((await states(stack, codes)).values()) == {"claimed"}
        assert await collected_payloads(stack) == []

    async def test_a_device_not_in_the_pickup_refuses_the_whole_handover_by_name(self, stack: Stack) -> None:
        j = Journeys(stack)
        codes = await claimed(j, 2)
        pid = await the_pickup(stack, j)
        stranger = await j.device_in("offered")
        with pytest.raises(DomainError) as caught:
            await stack.marketplace.collect_pickup(await j.token("asset_manager"), pid, [*codes, stranger])
        assert caught.value.message_key == "pickup.not_expected" and stranger in str(caught.value)
        assert set((await states(stack, codes)).values()) == {"claimed"}
        with pytest.raises(DomainError) as empty:
            await stack.marketplace.collect_pickup(await j.token("asset_manager"), pid, [])
        assert empty.value.message_key == "pickup.nothing_scanned"


class TestTimersFollowThePickup:
    async def test_the_pickups_devices_lapse_together_from_the_last_claim_and_an_agreed_day_holds_them(
            self, stack: Stack) -> None:
        j = Journeys(stack)
        codes = await claimed(j, 3)
        pid = await the_pickup(stack, j)
        hours = stack.settings.pickup_deadline_hours
        async with stack.pool.acquire() as conn:
            # The first claims are old, the last one recent: nothing lapses, the pickup's deadline holds.
            await conn.execute("UPDATE offers SET closed_at = now() - make_interval(hours => $1) "
                               "WHERE status = 'claimed'", int(hours) + 5)
        assert (await Timers(stack.pool, stack.settings).tick()).claims_lapsed == 0
        async with stack.pool.acquire() as conn:
            await conn.execute("UPDATE pickups SET last_claim_at = now() - make_interval(hours => $1), "
                               "agreed = true, agreed_until = now() + interval '1 day' WHERE id = $2",
                               int(hours) + 1, pid)
        assert (await Timers(stack.pool, stack.settings).tick()).claims_lapsed == 0  # the agreed day holds them
        async with stack.pool.acquire() as conn:
            await conn.execute("UPDATE pickups SET agreed_until = now() - interval '1 minute' WHERE id = $1", pid)
        assert (await Timers(stack.pool, stack.settings).tick()).claims_lapsed == 3
        assert set((await states(stack, codes)).values()) == {"retired"}  # back to routing
        assert await stack.marketplace.my_pickups(await j.token("refurbisher")) == []

    async def test_one_deadline_notice_per_pickup_and_side_not_per_device(self, stack: Stack) -> None:
        j = Journeys(stack)
        await claimed(j, 4)
        pid = await the_pickup(stack, j)
        hours = stack.settings.pickup_deadline_hours
        async with stack.pool.acquire() as conn:
            await conn.execute("UPDATE pickups SET last_claim_at = now() - make_interval(hours => $1) WHERE id = $2",
                               int(hours) - 2, pid)
            await conn.execute("UPDATE offers SET closed_at = now() - make_interval(hours => $1) "
                               "WHERE status = 'claimed'", int(hours) - 2)
            people = await conn.fetchval(
                "SELECT count(*) FROM users u JOIN pickups p ON u.org_id IN (p.donor_org_id, p.claimer_org_id) "
                "WHERE p.id = $1", pid)
        from marketplace.domain.chain import now_ms
        await announce_deadlines(stack.pool, now_ms(), hours)
        await announce_deadlines(stack.pool, now_ms(), hours)
        async with stack.pool.acquire() as conn:
            rows = await conn.fetch("SELECT cause, facts FROM pending_notifications WHERE kind = 'pickup_due'")
        assert len(rows) == people  # one per person of either side, for the whole pickup
        assert {r["cause"] for r in rows} == {f"pickupgroup:{pid}"}
        facts = [json.loads(r["facts"]) if isinstance(r["facts"], str) else dict(r["facts"]) for r in rows]
        assert {f["n"] for f in facts} == {4}
