"""Deadlines, re-routing, reconciliation after a broker restart, dead-letter replay (issue 4), on the real stack.

Deadlines are data in PostgreSQL; the tests move them into the past instead of waiting 72 hours.
"""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from marketplace.domain.errors import DomainError, Forbidden, InvalidInput, TransitionRefused
from marketplace.timers.jobs import Timers
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack, eventually, intake_message


async def run_sql(pool: asyncpg.Pool, sql: str, *args: object) -> None:
    async with pool.acquire() as conn:
        await conn.execute(sql, *args)


async def fetch(pool: asyncpg.Pool, sql: str, *args: object) -> list[asyncpg.Record]:
    async with pool.acquire() as conn:
        return await conn.fetch(sql, *args)


async def offers_of(stack: Stack, code: str) -> list[asyncpg.Record]:
    return await fetch(stack.pool, "SELECT f.round, f.status, o.slug FROM offers f JOIN organisations o ON o.id = f.org_id "
                                   "JOIN assets a ON a.id = f.asset_id WHERE a.code = $1 ORDER BY f.round, o.slug",
                       code.replace("-", ""))


async def state_of(stack: Stack, code: str) -> asyncpg.Record:
    rows = await fetch(stack.pool, "SELECT state, routing_round FROM assets WHERE code = $1", code.replace("-", ""))
    return rows[0]


async def age_offers(stack: Stack, code: str) -> None:
    await run_sql(stack.pool, "UPDATE offers SET expires_at = now() - interval '1 minute' FROM assets a "
                              "WHERE a.id = offers.asset_id AND a.code = $1 AND offers.status = 'open'",
                  code.replace("-", ""))


def timers(stack: Stack, **overrides: object) -> Timers:
    return Timers(stack.pool, stack.settings.model_copy(update=overrides))


class TestOfferExpiry:
    async def test_expired_offers_send_the_device_to_a_wider_round_without_its_decliners(self, stack: Stack) -> None:
        await stack.start_relay()
        await stack.start_workers("router")
        j = Journeys(stack)
        code = await j.retire()
        await eventually(lambda: state_of(stack, code), lambda r: r["state"] == "offered")
        first = [r["slug"] for r in await offers_of(stack, code)]
        await j.act("refurbisher", code, "decline", {"reason": "atelier complet ce mois-ci"})
        await age_offers(stack, code)

        report = await timers(stack).tick()
        assert report.offers_expired == 1
        row = await eventually(lambda: state_of(stack, code), lambda r: r["state"] == "offered" and r["routing_round"] == 2)
        second = [r["slug"] for r in await offers_of(stack, code) if r["round"] == 2]
        assert second and "repar-acteurs-brest" not in second
        assert {r["status"] for r in await offers_of(stack, code) if r["round"] == 1} == {"declined", "expired"}
        assert "repar-acteurs-brest" in first and row["routing_round"] == 2

    async def test_after_the_last_round_the_device_waits_on_the_unclaimed_list(self, stack: Stack) -> None:
        await stack.start_relay()
        await stack.start_workers("router")
        j = Journeys(stack)
        code = await j.retire()
        for round_ in (1, 2, 3):
            await eventually(lambda: state_of(stack, code),
                             lambda r, n=round_: r["state"] == "offered" and r["routing_round"] == n)
            await age_offers(stack, code)
            assert (await timers(stack).tick()).offers_expired == 1
        await asyncio.sleep(1.0)  # the router has seen the third `offers_expired`: it must not route again
        assert (await state_of(stack, code))["state"] == "retired"
        unclaimed = await stack.marketplace.unclaimed_devices(await j.token("admin"))
        assert [d.code for d in unclaimed] == [code]
        # The reconciler leaves it alone too: an admin decides.
        assert (await timers(stack, reconcile_after_seconds=0.001).tick()).reconciled == 0
        assert await stack.marketplace.route_again(await j.token("admin"), code) > 0


class TestNoShowsAndHolds:
    async def test_a_claim_not_collected_in_time_is_a_no_show_and_the_device_is_routed_again(
        self, stack: Stack
    ) -> None:
        await stack.start_relay()
        await stack.start_workers("router")
        j = Journeys(stack)
        code = await j.device_in("claimed")
        await run_sql(stack.pool, "UPDATE offers SET closed_at = now() - interval '8 days' WHERE status = 'claimed'")
        # The claim lapses with its pickup (issue 19): the pickup's last claim is as old.
        await run_sql(stack.pool, "UPDATE pickups SET last_claim_at = now() - interval '8 days'")
        assert (await timers(stack).tick()).claims_lapsed == 1
        await eventually(lambda: state_of(stack, code), lambda r: r["state"] == "offered" and r["routing_round"] == 2)
        offers = await offers_of(stack, code)
        assert ("repar-acteurs-brest", "no_show") in [(r["slug"], r["status"]) for r in offers]
        assert "repar-acteurs-brest" not in [r["slug"] for r in offers if r["round"] == 2]
        page = await stack.marketplace.device_page(code, await j.token("auditor"))
        types = [e.type for e in page.events]
        assert types[-3:] == ["asset.claim_lapsed", "asset.offers_expired", "asset.offered"] and page.chain_ok

    async def test_an_expired_reservation_hold_puts_the_device_back_in_the_catalogue(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("reserved")
        await run_sql(stack.pool, "UPDATE reservations SET hold_until = now() - interval '1 minute'")
        assert (await timers(stack).tick()).holds_expired == 1
        assert (await state_of(stack, code))["state"] == "refurbished"
        catalogue = await stack.marketplace.catalogue(await j.token("third_place"))
        assert code in [d.code for d in catalogue]
        with pytest.raises(TransitionRefused):
            await j.act("third_place", code, "deliver", {"confirm_code": code, "beneficiary_category": "students"})

    async def test_nothing_due_means_nothing_done(self, stack: Stack) -> None:
        j = Journeys(stack)
        await j.device_in("reserved")
        report = await timers(stack).tick()
        assert report.acted == 0 and not report.errors


class TestReconciler:
    async def test_devices_whose_messages_the_broker_lost_are_routed_by_the_reconciler(self, stack: Stack) -> None:
        relay = await stack.start_relay()
        j = Journeys(stack)
        codes = [await j.retire() for _ in range(3)]
        await eventually(lambda: asyncio.sleep(0, relay.published), lambda n: n >= 3)
        # The broker restarts before any router consumed the events: Tansu keeps messages in memory only.
        broker = stack.settings.bootstrap_servers
        from tests.conftest import BrokerAddress  # the fixture's address object knows how to restart

        assert isinstance(stack.broker, BrokerAddress) and stack.broker == broker
        await asyncio.to_thread(stack.broker.restart)
        await stack.ensure_topics()
        await stack.start_workers("router")
        await asyncio.sleep(1.0)
        assert {(await state_of(stack, c))["state"] for c in codes} == {"retired"}

        report = await timers(stack, reconcile_after_seconds=0.001).tick()
        assert report.reconciled == 3
        for code in codes:
            page = await stack.marketplace.device_page(code, await j.token("auditor"))
            assert page.device.state == "offered" and page.events[-1].actor_system == "reconciler"


class TestDeadLetterReplay:
    async def test_a_message_for_a_donor_created_later_is_replayed_by_an_admin(self, stack: Stack) -> None:
        await stack.start_relay()
        await stack.start_workers("intake", "router")
        j = Journeys(stack)
        admin = await j.token("admin")
        await stack.produce("assets.retirements.v1", intake_message(7, donor="lycee-de-l-elorn-landerneau"))
        letters = await eventually(lambda: stack.marketplace.dead_letters(admin), lambda ls: len(ls) == 1)
        assert "lycee-de-l-elorn-landerneau" in letters[0].error and '"serial": "SER000007"' in letters[0].original

        await stack.marketplace.save_organisation(admin, {
            "slug": "lycee-de-l-elorn-landerneau", "name": "Lycée de l'Elorn", "kind": "lycee", "pays_code": "BREST",
            "town": "Landerneau"}, create=True)
        await stack.marketplace.resolve_dead_letter(admin, letters[0].id, replay=True)
        rows = await eventually(
            lambda: fetch(stack.pool, "SELECT state FROM assets WHERE serial = 'SER000007'"),
            lambda rs: len(rs) == 1 and rs[0]["state"] == "offered")
        assert rows
        assert await stack.marketplace.dead_letters(admin) == []
        with pytest.raises(DomainError, match="déjà été traitée"):
            await stack.marketplace.resolve_dead_letter(admin, letters[0].id, replay=False)


class TestRoutingSettings:
    async def test_an_admin_changes_k_and_the_next_routing_uses_it_and_the_change_is_recorded(
        self, stack: Stack
    ) -> None:
        j = Journeys(stack)
        admin = await j.token("admin")
        assert await stack.marketplace.change_routing_settings(admin, {"routing_k": "2"}) == ["routing_k"]
        code = await j.retire()
        await j.route(code)
        assert len(await offers_of(stack, code)) == 2
        history = await stack.marketplace.routing_settings_history(admin)
        assert (history[0].key, history[0].old_value, history[0].new_value) == ("routing_k", 3, 2)
        assert history[0].changed_by == "admin@region-bretagne.demo"
        with pytest.raises(InvalidInput, match="routing_k"):
            await stack.marketplace.change_routing_settings(admin, {"routing_k": "beaucoup"})
        with pytest.raises(Forbidden):
            await stack.marketplace.change_routing_settings(await j.token("auditor"), {"routing_k": 5})

