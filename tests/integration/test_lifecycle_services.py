"""The whole lifecycle through the service layer, on the real database: rules, races, accounts."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from marketplace.auth.credentials import hash_password
from marketplace.domain.errors import AuthenticationFailed, Conflict, DomainError, NotAuthenticated
from marketplace.domain.ids import new_id
from tests.integration.journeys import RECYCLER, Journeys, certificate
from tests.integration.stack import Stack
from tests.unit.test_permissions import expected

ACTION_DATA = {
    "claim": {}, "decline": {"reason": "plus de place à l'atelier"}, "collect": "CODE",
    "diagnose": {"outcome": "refurbishable"}, "wipe": "CERT", "refurbish": {"grade": "B"}, "reserve": {},
    "cancel_reservation": {}, "deliver": "DELIVER", "return": {"reason": "fin du prêt"},
    "harvest": {"parts": [{"name": "écran"}]},
    "recycle": {"recycler": RECYCLER, "weight_kg": 2.0, "slip_number": "BSD-1", "storage_destruction_certified": True},
    "write_off": {"reason": "perdu"},
}
STATES = ["retired", "offered", "claimed", "collected", "diagnosed", "wiped", "refurbished", "reserved",
          "delivered", "returned", "harvested", "recycled", "written_off"]
ACCOUNTS = ["asset_manager", "refurbisher", "maker", "third_place", "recycler", "auditor", "admin"]


def data_for(action: str, code: str) -> dict[str, object]:
    kind = ACTION_DATA[action]
    if kind == "CODE":
        return {"confirm_code": code}
    if kind == "DELIVER":
        return {"confirm_code": code, "beneficiary_category": "students"}
    if kind == "CERT":
        return certificate()
    return dict(kind)  # type: ignore[arg-type]


async def relations(stack: Stack, code: str, org: str) -> set[str]:
    """How `org` relates to the device, read straight from the tables (independently of the services)."""
    async with stack.pool.acquire() as conn:
        row = await conn.fetchrow(
            """SELECT d.slug AS donor, c.slug AS custodian, cl.slug AS claimer,
                      (SELECT o.slug FROM reservations r JOIN organisations o ON o.id = r.org_id
                        WHERE r.asset_id = a.id AND r.status = 'active') AS reserver,
                      EXISTS (SELECT 1 FROM offers f JOIN organisations o ON o.id = f.org_id
                              WHERE f.asset_id = a.id AND f.status = 'open' AND o.slug = $2) AS offer_holder,
                      a.version
               FROM assets a JOIN organisations d ON d.id = a.donor_org_id
               LEFT JOIN organisations c ON c.id = a.custodian_org_id
               LEFT JOIN organisations cl ON cl.id = a.claimer_org_id WHERE a.code = $1""",
            code.replace("-", ""), org)
    found = {name for name in ("donor", "custodian", "claimer", "reserver") if row[name] == org}
    if row["offer_holder"]:
        found.add("offer_holder")
    return found or {"stranger"}


async def version(stack: Stack, code: str) -> int:
    async with stack.pool.acquire() as conn:
        return int(await conn.fetchval("SELECT version FROM assets WHERE code = $1", code.replace("-", "")))


class TestJourney:
    async def test_a_data_bearing_laptop_goes_from_retired_to_delivered_and_back(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("delivered", has_storage=True)
        assert await j.act("third_place", code, "return", {"reason": "fin du prêt"}) == "returned"
        page = await stack.marketplace.device_page(code, await j.token("auditor"))
        assert [e.type for e in page.events] == [
            "asset.retired", "asset.offered", "asset.claimed", "asset.collected", "asset.diagnosed", "asset.wiped",
            "asset.refurbished", "asset.reserved", "asset.delivered", "asset.returned"]
        assert page.chain_ok
        collected = next(e for e in page.events if e.type == "asset.collected").summary
        assert collected["from"] == "lycee-des-embruns-brest" and collected["to"] == "repar-acteurs-brest"
        # Back from its second life, it must be wiped again before it can be refurbished again.
        await j.act("refurbisher", code, "diagnose", {"outcome": "refurbishable"})
        with pytest.raises(DomainError, match="certificat"):
            await j.act("refurbisher", code, "refurbish", {"grade": "C"})

    async def test_a_data_bearing_device_cannot_be_refurbished_without_a_wipe_certificate(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("diagnosed", has_storage=True)
        before = await version(stack, code)
        with pytest.raises(DomainError) as err:
            await j.act("refurbisher", code, "refurbish", {"grade": "A"})
        assert err.value.message_key == "wipe.certificate_required"
        assert await version(stack, code) == before

    async def test_a_handover_needs_the_right_code(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("claimed")
        with pytest.raises(DomainError, match="ne correspond pas"):
            await j.act("asset_manager", code, "collect", {"confirm_code": "ZZZZ-ZZZZ-ZZZZ"})
        assert await j.act("asset_manager", code, "collect", {"confirm_code": code.lower()}) == "collected"

    async def test_bad_form_data_is_refused_naming_the_field(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("collected")
        with pytest.raises(DomainError, match="outcome"):
            await j.act("refurbisher", code, "diagnose", {"outcome": "magnifique"})
        with pytest.raises(DomainError, match="action"):
            await j.act("refurbisher", code, "teleport", {})


class TestPermissionMatrix:
    async def test_every_account_and_action_in_every_state_is_allowed_or_refused_as_the_table_says(
        self, stack: Stack
    ) -> None:
        j = Journeys(stack)
        devices = {state: await j.device_in(state) for state in STATES}
        orgs = {role: (await stack.marketplace.user_for_session(await j.token(role))) for role in ACCOUNTS}
        wrong = []
        for state, role in itertools.product(STATES, ACCOUNTS):
            code, user = devices[state], orgs[role]
            assert user is not None
            rels = await relations(stack, code, user.org_slug)
            available = set(await stack.marketplace.available_actions(await j.token(role), code))
            for action in ACTION_DATA:
                from marketplace.domain.lifecycle import State
                from marketplace.domain.permissions import Action

                want = any(expected(Action(action), State(state), user.role, r, user.is_admin) for r in rels)
                if want != (action in available):
                    wrong.append((state, role, action, want))
                if not want:
                    before = await version(stack, code)
                    with pytest.raises(DomainError):
                        await j.act(role, code, action, data_for(action, code))
                    assert await version(stack, code) == before, (state, role, action)
        assert not wrong, wrong[:10]


async def add_organisations(stack: Stack, kind: str, n: int, prefix: str) -> list[str]:
    """n organisations of `kind` in Brest, each with one user; returns session tokens."""
    password_hash = hash_password("integration-test-password")
    tokens = []
    async with stack.pool.acquire() as conn:
        for i in range(n):
            slug = f"{prefix}-{i}"
            await conn.execute(
                "INSERT INTO organisations (id, slug, name, kind, pays_code, town, accepted_categories, capacity) "
                "VALUES ($1, $2, $3, $4, 'BREST', 'Brest', '{laptop}', 10)", new_id(), slug, slug, kind)
            await conn.execute(
                "INSERT INTO users (id, org_id, email, display_name, password_hash) "
                "SELECT $1, id, $2, $2, $3 FROM organisations WHERE slug = $4",
                new_id(), f"{slug}@test.example", password_hash, slug)
    for i in range(n):
        tokens.append((await stack.marketplace.sign_in(f"{prefix}-{i}@test.example", "integration-test-password")).token)
    return tokens


class TestRaces:
    async def test_twenty_concurrent_claims_on_one_device_give_exactly_one_winner(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.retire()
        tokens = await add_organisations(stack, "association", 20, "atelier-course")
        async with stack.pool.acquire() as conn:
            for i in range(20):
                await conn.execute(
                    "INSERT INTO offers (id, asset_id, org_id, round, score, reasons, status, created_at, expires_at) "
                    "SELECT $1, a.id, o.id, 1, 1.0, '[]', 'open', now(), now() + interval '1 day' "
                    "FROM assets a, organisations o WHERE a.code = $2 AND o.slug = $3",
                    new_id(), code.replace("-", ""), f"atelier-course-{i}")
            await conn.execute("UPDATE assets SET state = 'offered' WHERE code = $1", code.replace("-", ""))
        results = await asyncio.gather(*(stack.marketplace.perform(t, code, "claim", {}) for t in tokens),
                                       return_exceptions=True)
        winners = [r for r in results if not isinstance(r, BaseException)]
        losers = [r for r in results if isinstance(r, BaseException)]
        assert len(winners) == 1
        assert all(isinstance(e, DomainError) for e in losers), losers
        async with stack.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM offers f JOIN assets a ON a.id = f.asset_id "
                                       "WHERE a.code = $1 AND f.status = 'claimed'", code.replace("-", "")) == 1
            assert await conn.fetchval("SELECT count(*) FROM asset_events e JOIN assets a ON a.id = e.asset_id "
                                       "WHERE a.code = $1 AND e.type = 'asset.claimed'", code.replace("-", "")) == 1

    async def test_twenty_concurrent_reservations_give_exactly_one_booking(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("refurbished")
        tokens = await add_organisations(stack, "tiers_lieu", 20, "tiers-lieu-course")
        results = await asyncio.gather(*(stack.marketplace.perform(t, code, "reserve", {}) for t in tokens),
                                       return_exceptions=True)
        assert sum(not isinstance(r, BaseException) for r in results) == 1
        assert all(isinstance(r, DomainError) for r in results if isinstance(r, BaseException))
        async with stack.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM reservations r JOIN assets a ON a.id = r.asset_id "
                                       "WHERE a.code = $1 AND r.status = 'active'", code.replace("-", "")) == 1

    async def test_the_database_refuses_a_second_active_reservation_even_without_the_python_checks(
        self, stack: Stack
    ) -> None:
        import asyncpg

        j = Journeys(stack)
        code = await j.device_in("reserved")
        async with stack.pool.acquire() as conn:
            with pytest.raises(asyncpg.UniqueViolationError):
                await conn.execute(
                    "INSERT INTO reservations (id, asset_id, org_id, status, hold_until, created_at) "
                    "SELECT $1, a.id, o.id, 'active', now() + interval '1 day', now() FROM assets a, organisations o "
                    "WHERE a.code = $2 AND o.slug = 'tiers-lieu-la-ruche-fougeres'", new_id(), code.replace("-", ""))


class TestAccounts:
    async def test_sign_out_revokes_the_session(self, stack: Stack) -> None:
        j = Journeys(stack)
        token = await j.token("refurbisher")
        await stack.marketplace.sign_out(token)
        assert await stack.marketplace.user_for_session(token) is None
        with pytest.raises(NotAuthenticated):
            await stack.marketplace.open_offers(token)

    async def test_repeated_failures_lock_the_account_even_for_the_right_password(self, stack: Stack) -> None:
        from marketplace.demo.catalogue import DEMO_ACCOUNTS

        email, password, *_ = DEMO_ACCOUNTS["maker"]
        for _ in range(5):
            with pytest.raises(AuthenticationFailed):
                await stack.marketplace.sign_in(email, "wrong password")
        with pytest.raises(AuthenticationFailed) as err:
            await stack.marketplace.sign_in(email, password)
        assert err.value.message_key == "auth.locked"

    async def test_a_disabled_account_loses_its_sessions_and_a_reset_password_works(self, stack: Stack) -> None:
        j = Journeys(stack)
        admin, maker = await j.token("admin"), await j.token("maker")
        accounts = {a.email: a for a in await stack.marketplace.list_accounts(admin)}
        target = accounts["lab@fablab-du-leon.demo"]
        await stack.marketplace.set_account_disabled(admin, target.id, True)
        assert await stack.marketplace.user_for_session(maker) is None
        await stack.marketplace.set_account_disabled(admin, target.id, False)
        await stack.marketplace.reset_password(admin, target.id, "a-brand-new-passphrase")
        assert (await stack.marketplace.sign_in("lab@fablab-du-leon.demo", "a-brand-new-passphrase")).user

    async def test_only_admins_administer(self, stack: Stack) -> None:
        j = Journeys(stack)
        with pytest.raises(DomainError):
            await stack.marketplace.list_accounts(await j.token("auditor"))
        with pytest.raises(Conflict):
            await stack.marketplace.save_organisation(await j.token("admin"), {
                "slug": "repar-acteurs-brest", "name": "Doublon", "kind": "association", "pays_code": "BREST",
                "town": "Brest"}, create=True)
