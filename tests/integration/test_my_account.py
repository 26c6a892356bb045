"""Issue 17 on the real PostgreSQL: /mon-compte's services, an admin's export and erasure of an account, the
retention purges, and the first administrator of a fresh production database."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import pytest

from marketplace.adapters.pool import create_pool
from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.domain.errors import AuthenticationFailed, DomainError
from marketplace.runtime.database_setup import prepare_database
from marketplace.runtime.embedded import EmbeddedPostgres
from marketplace.services import Marketplace
from marketplace.services.account_links import LinkServices
from marketplace.services.first_admin import FirstAdmin, create_admin
from marketplace.settings import Settings
from marketplace.timers.retention import purge_personal_data
from tests.fuzz import FuzzDb, fuzz_db

ADMIN_EMAIL, ADMIN_PASSWORD, *_ = DEMO_ACCOUNTS["admin"]
EMAIL, PASSWORD, NAME, *_ = DEMO_ACCOUNTS["recycler"]
THIRD_EMAIL, THIRD_PASSWORD, *_ = DEMO_ACCOUNTS["third_place"]
NEW = "une nouvelle phrase de passe"


@pytest.fixture(scope="module")
async def db(pg_server: EmbeddedPostgres) -> AsyncIterator[FuzzDb]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    try:
        async with fuzz_db(pg_server.create_database(name)) as found:
            yield found
    finally:
        pg_server.drop_database(name)


class TestMyAccount:
    async def test_a_person_renames_changes_language_sees_and_ends_sessions(self, db: FuzzDb) -> None:
        m = db.marketplace
        here = (await m.sign_in(EMAIL, PASSWORD, client_ip="192.0.2.7")).token
        there = (await m.sign_in(EMAIL, PASSWORD, client_ip="198.51.100.9")).token
        await m.update_profile(here, "Soizic M.", "en")
        mine = await m.my_account(here)
        assert (mine.display_name, mine.lang) == ("Soizic M.", "en")
        assert (await m.sign_in(EMAIL, PASSWORD)).user.lang == "en"  # the UI takes it at sign-in
        current = [s for s in mine.sessions if s.current]
        assert len(current) == 1 and current[0].client_address == "192.0.2.7"
        other = next(s for s in mine.sessions if s.client_address == "198.51.100.9")
        assert here not in other.id and there not in other.id
        await m.end_session(here, other.id)
        assert await m.user_for_session(there) is None and await m.user_for_session(here) is not None
        with pytest.raises(DomainError):
            await m.update_profile(here, "Soizic", "xx")

    async def test_the_password_changes_only_with_the_current_one_and_ends_the_other_sessions(self, db: FuzzDb) -> None:
        m = db.marketplace
        here = (await m.sign_in(THIRD_EMAIL, THIRD_PASSWORD)).token
        there = (await m.sign_in(THIRD_EMAIL, THIRD_PASSWORD)).token
        with pytest.raises(AuthenticationFailed):
            await m.change_password(here, "not the password", NEW)
        await m.change_password(here, THIRD_PASSWORD, NEW)
        assert await m.user_for_session(there) is None and await m.user_for_session(here) is not None
        assert (await m.sign_in(THIRD_EMAIL, NEW)).user.email == THIRD_EMAIL

    async def test_one_cannot_end_someone_elses_session(self, db: FuzzDb) -> None:
        m = db.marketplace
        admin = (await m.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)).token
        victim = (await m.sign_in(EMAIL, PASSWORD)).token
        victim_id = next(s.id for s in (await m.my_account(victim)).sessions if s.current)
        with pytest.raises(DomainError):
            await m.end_session(admin, victim_id)
        assert await m.user_for_session(victim) is not None


class TestPersonalData:
    async def test_an_admin_exports_then_erases_an_account_and_the_trail_is_untouched(self, db: FuzzDb) -> None:
        m = db.marketplace
        admin = (await m.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)).token
        maker_email = DEMO_ACCOUNTS["maker"][0]
        await m.sign_in(maker_email, DEMO_ACCOUNTS["maker"][1])
        user_id = next(a.id for a in await m.list_accounts(admin) if a.email == maker_email)
        exported = json.loads(await m.export_account(admin, user_id))
        assert exported["account"]["email"] == maker_email and exported["sessions"]
        assert set(exported["activity"]) == {"label_downloads", "report_downloads", "routing_settings_changes",
                                             "api_tokens_created"}
        assert "token_hash" not in json.dumps(exported)  # no hash of a session, link or download ticket
        async with db.pool.acquire() as conn:
            events_before = await conn.fetchval("SELECT md5(string_agg(hash, ',' ORDER BY hash)) FROM asset_events")
        await m.erase_account(admin, user_id)
        listed = {a.id: a for a in await m.list_accounts(admin)}[user_id]
        assert maker_email not in listed.email and DEMO_ACCOUNTS["maker"][2] not in listed.display_name
        assert listed.email.startswith("compte-") and listed.disabled
        with pytest.raises(DomainError):
            await m.sign_in(maker_email, DEMO_ACCOUNTS["maker"][1])
        async with db.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM sessions WHERE user_id = $1", uuid.UUID(user_id)) == 0
            assert await conn.fetchval(
                "SELECT md5(string_agg(hash, ',' ORDER BY hash)) FROM asset_events") == events_before
        with pytest.raises(DomainError):
            await m.erase_account(admin, user_id)  # once
        admin_id = next(a.id for a in await m.list_accounts(admin) if a.email == ADMIN_EMAIL)
        with pytest.raises(DomainError) as own:
            await m.erase_account(admin, admin_id)
        assert own.value.message_key == "user.erase_self"

    async def test_the_timers_purge_what_is_past_its_retention(self, db: FuzzDb) -> None:
        m = db.marketplace
        ended = (await m.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)).token
        await m.sign_out(ended)
        await m.request_password_reset(ADMIN_EMAIL)
        async with db.pool.acquire() as conn:
            await conn.execute("UPDATE sessions SET revoked_at = now() - interval '31 days' WHERE revoked_at IS NOT NULL")
            await conn.execute("UPDATE account_links SET expires_at = now() - interval '31 days'")
            await conn.execute("UPDATE mail_queue SET status = 'sent', sent_at = now() - interval '91 days'")
        live = (await m.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)).token
        purged = await purge_personal_data(db.pool, db.settings)
        assert purged["sessions"] >= 1 and purged["links"] >= 1 and purged["mails"] >= 1
        assert await m.user_for_session(live) is not None
        assert await purge_personal_data(db.pool, db.settings) == {"sessions": 0, "links": 0, "mails": 0}


class TestFirstAdmin:
    async def test_a_fresh_production_database_gets_its_first_admin_and_organisation(self, fresh_dsn: str) -> None:
        await prepare_database(fresh_dsn, demo=False)
        settings = Settings(database_url=fresh_dsn, base_url="https://sv.example.org")
        pool = await create_pool(fresh_dsn, 2)
        try:
            first = FirstAdmin("dsi@region.example", "Anne Le Bihan", "region-dsi", "Région — DSI", "RENNES")
            link = await create_admin(LinkServices(pool, settings), first, None)
            assert link
            m = Marketplace(pool, settings)
            signed = await m.set_password_with_link(link, NEW)
            assert signed.user.is_admin and signed.user.org_kind == "region"
            with pytest.raises(DomainError):  # once
                await create_admin(LinkServices(pool, settings), first, None)
            typed = FirstAdmin("second@region.example", "Yann Admin", "region-dsi")
            assert await create_admin(LinkServices(pool, settings), typed, NEW + " deux") is None
            assert (await m.sign_in("second@region.example", NEW + " deux")).user.is_admin
            with pytest.raises(DomainError):  # no such organisation and nothing to create it with
                await create_admin(LinkServices(pool, settings), FirstAdmin("x@y.example", "X Y", "nulle-part"), None)
        finally:
            await pool.close()
