"""Notifications on the real parts: embedded PostgreSQL and broker, the workers, and a real SMTP server
(aiosmtpd) that receives the e-mails the tests then read."""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import asyncpg
import pytest

from events.records import Record
from marketplace.adapters import mail_sending
from marketplace.consumers.notify import process_lifecycle_for_notifications, reconcile_notifications
from marketplace.notifications.mailer import Mailer
from tests.integration.faults import count, eventually, retire_directly, wait_offered
from tests.integration.mail_server import MailServer, html_of, text_of
from tests.integration.stack import Stack, make_stack

SECRET = "notifications-test-secret"
BASE = "https://seconde-vie.test"


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def nstack(fresh_dsn: str, fresh_broker: Any, mail: MailServer) -> AsyncIterator[Stack]:
    s = await make_stack(fresh_dsn, fresh_broker, smtp_host=mail.host, smtp_port=mail.port, ui_state_secret=SECRET,
                         base_url=BASE, notify_group_minutes=0)
    yield s
    await s.stop()


async def add_people(pool: asyncpg.Pool, *, nobody: bool = False) -> dict[str, str]:
    """Two people (one reads English) in every organisation that receives offers; e-mail -> language."""
    people: dict[str, str] = {}
    async with pool.acquire() as conn:
        orgs = await conn.fetch("SELECT id, slug FROM organisations WHERE kind IN ('association', 'fablab', 'recycler')")
        for org in orgs:
            for lang in ("fr", "en"):
                address = f"{'nobody' if nobody and lang == 'en' else 'p'}-{lang}-{org['slug']}@test.bzh"
                await conn.execute("INSERT INTO users (id, org_id, email, display_name, password_hash, lang) "
                                   "VALUES ($1, $2, $3, $4, 'x', $5)", uuid.uuid4(), org["id"], address,
                                   f"Personne {lang}", lang)
                people[address] = lang
    return people


async def expected_recipients(pool: asyncpg.Pool) -> Counter[str]:
    """E-mail address -> how many offers were made to that person's organisation."""
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT u.email FROM offers o JOIN users u ON u.org_id = o.org_id "
                                "JOIN organisations g ON g.id = o.org_id "
                                "WHERE NOT u.disabled AND g.kind IN ('association', 'fablab', 'recycler')")
    return Counter(r["email"] for r in rows)


async def run_until_sent(stack: Stack, mailer: Mailer, n: int) -> None:
    async def tick() -> int:
        await mailer.tick(stack.pool)
        return await count(stack.pool, "SELECT count(*) FROM mail_queue WHERE status = 'sent'")
    await eventually(tick, lambda sent: sent >= n)


async def lifecycle_records(stack: Stack) -> list[Record]:
    rows = await count(stack.pool, "SELECT count(*) FROM outbox WHERE topic = 'assets.lifecycle.v1'")
    raw = await stack.read_topic("assets.lifecycle.v1", at_least=rows)
    return [Record(r.topic, r.partition, r.offset, r.key, r.value,
                   {k: v.decode() for k, v in (r.headers or ())}) for r in raw]


class TestOfferEmails:
    async def test_a_retired_and_routed_device_mails_one_grouped_offer_email_to_each_person_in_their_language(
        self, nstack: Stack, mail: MailServer
    ) -> None:
        people = await add_people(nstack.pool)
        await nstack.start_relay()
        await nstack.start_workers("router", "notifier")
        await retire_directly(nstack.pool, range(4))
        await wait_offered(nstack.pool, 4)
        expected = await expected_recipients(nstack.pool)
        await eventually(lambda: count(nstack.pool, "SELECT count(*) FROM pending_notifications p "
                                       "JOIN users u ON u.id = p.user_id WHERE u.email LIKE 'p-%'"),
                         lambda n: n == sum(c for e, c in expected.items() if e.startswith("p-")))
        mailer = Mailer(nstack.settings)
        await run_until_sent(nstack, mailer, len(expected))

        received = await mail.wait_for(len(expected))
        assert Counter(m["To"] for m in received) == Counter(set(expected))  # one e-mail per person
        for msg in received:
            address, text = msg["To"], text_of(msg)
            offers = expected[address]
            # every offer made to their organisation, one line each, in one e-mail
            assert sum(1 for line in text.splitlines() if line.startswith("- ")) == offers
            assert f"{BASE}/offres" in text and f'href="{BASE}/offres"' in html_of(msg)
            assert msg["List-Unsubscribe"].startswith(f"<{BASE}/notifications/desabonnement?t=")
            assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert msg["Message-ID"] and msg["Date"]
            if people.get(address) == "en":
                assert msg["Subject"] == f"Seconde Vie: {offers} new offer(s) for your organisation"
                assert "given by Lycée des Embruns" in text
            elif address in people:
                assert msg["Subject"] == f"Seconde Vie : {offers} nouvelle(s) offre(s) pour votre organisation"
                assert "donné par Lycée des Embruns" in text

        # The whole lifecycle delivered again, twice, shuffled: no new notification, no new e-mail.
        records = await lifecycle_records(nstack)
        again = records * 2
        random.Random(17).shuffle(again)
        result = await process_lifecycle_for_notifications(nstack.pool, again)
        assert result.done == 0
        pending = await count(nstack.pool, "SELECT count(*) FROM pending_notifications")
        for _ in range(3):
            await mailer.tick(nstack.pool)
        assert await count(nstack.pool, "SELECT count(*) FROM pending_notifications") == pending
        assert await count(nstack.pool, "SELECT count(*) FROM mail_queue") == len(expected)
        assert len(mail.received()) == len(expected)

    async def test_a_person_who_chose_never_gets_nothing_and_daily_waits_a_day(self, nstack: Stack,
                                                                              mail: MailServer) -> None:
        await add_people(nstack.pool)
        async with nstack.pool.acquire() as conn:
            await conn.execute("INSERT INTO notification_preferences (user_id, kind, mode) "
                               "SELECT id, 'offers_new', 'never' FROM users WHERE email LIKE 'p-en-%'")
            await conn.execute("INSERT INTO notification_preferences (user_id, kind, mode) "
                               "SELECT id, 'offers_new', 'daily' FROM users WHERE email LIKE 'p-fr-%'")
        await nstack.start_relay()
        await nstack.start_workers("router", "notifier")
        await retire_directly(nstack.pool, range(2))
        await wait_offered(nstack.pool, 2)
        await eventually(lambda: count(nstack.pool, "SELECT count(*) FROM pending_notifications WHERE mode = 'daily'"),
                         lambda n: n > 0)
        await Mailer(nstack.settings).tick(nstack.pool)
        assert not [m for m in mail.received() if m["To"].startswith(("p-en-", "p-fr-"))]
        assert await count(nstack.pool, "SELECT count(*) FROM pending_notifications p JOIN users u "
                                        "ON u.id = p.user_id WHERE u.email LIKE 'p-en-%'") == 0
        # A day later the digest goes out.
        async with nstack.pool.acquire() as conn:
            await conn.execute("UPDATE pending_notifications SET created_at = created_at - interval '25 hours'")
        await Mailer(nstack.settings).tick(nstack.pool)
        digests = [m for m in mail.received() if m["To"].startswith("p-fr-")]
        assert digests and len({m["To"] for m in digests}) == len(digests)


class TestSmtpDown:
    async def test_smtp_down_while_offers_are_made_nothing_is_lost_and_each_email_is_sent_once_when_back(
        self, nstack: Stack, mail: MailServer
    ) -> None:
        await add_people(nstack.pool, nobody=True)
        mail.stop()
        await nstack.start_relay()
        await nstack.start_workers("router", "notifier")
        await retire_directly(nstack.pool, range(6))
        await wait_offered(nstack.pool, 6)
        expected = await expected_recipients(nstack.pool)
        await eventually(lambda: count(nstack.pool, "SELECT count(*) FROM pending_notifications"),
                         lambda n: n == sum(expected.values()))
        mailer = Mailer(nstack.settings, first_backoff=0.2)
        for _ in range(5):
            await mailer.tick(nstack.pool)
        async with nstack.pool.acquire() as conn:
            statuses = await mail_sending.counts(conn)
            errors = await conn.fetch("SELECT DISTINCT last_error_class FROM mail_queue WHERE attempts > 0")
        assert statuses == {"queued": len(expected)}, statuses  # all waiting, none lost, none given up
        assert errors and all(e[0] for e in errors)

        mail.start()  # the server is back, on the same port
        good = {e for e in expected if not e.startswith("nobody")}

        async def settled() -> dict[str, int]:
            await mailer.tick(nstack.pool)
            async with nstack.pool.acquire() as conn:
                return await mail_sending.counts(conn)
        await eventually(settled, lambda c: c.get("sent") == len(good) and c.get("failed") == len(expected) - len(good))
        for _ in range(3):
            await mailer.tick(nstack.pool)
        received = mail.received()
        assert Counter(m["To"] for m in received) == Counter(good)  # each e-mail once
        assert len({m["Message-ID"] for m in received}) == len(received)
        # The refused mailbox is a permanent failure, kept for admins with the error's class.
        async with nstack.pool.acquire() as conn:
            failed = await mail_sending.failed(conn)
        assert {f["to_email"] for f in failed} == set(expected) - good
        assert {f["last_error_class"] for f in failed} == {"SMTPRecipientsRefused"}


class TestUnsubscribe:
    async def test_the_one_click_link_turns_off_that_kind_for_that_person_only(
        self, nstack: Stack, mail: MailServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import httpx
        from starlette.applications import Starlette

        import ui.unsubscribe_http as http
        from marketplace.services.notification_prefs import NotificationServices

        await add_people(nstack.pool)
        await nstack.start_relay()
        await nstack.start_workers("router", "notifier")
        await retire_directly(nstack.pool, range(1))
        await wait_offered(nstack.pool, 1)
        expected = await expected_recipients(nstack.pool)
        await eventually(lambda: count(nstack.pool, "SELECT count(*) FROM pending_notifications"),
                         lambda n: n == sum(expected.values()))
        await run_until_sent(nstack, Mailer(nstack.settings), len(expected))
        first = next(m for m in mail.received() if m["To"].startswith("p-fr-"))
        url = first["List-Unsubscribe"].strip("<>")
        path = url.removeprefix(BASE)

        services = NotificationServices(nstack.pool, nstack.settings)

        async def fake() -> NotificationServices:
            return services

        monkeypatch.setattr(http, "_services", fake)  # the route over this test's database
        app = Starlette(routes=http.ROUTES)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
            page = await client.get(path)  # a mail scanner following the link changes nothing
            assert page.status_code == 200 and "<form method=\"post\"" in page.text and "Nouvelles offres" in page.text
            assert await count(nstack.pool, "SELECT count(*) FROM notification_preferences") == 0
            forged = await client.post(path[:-4] + "AAAA", content=b"List-Unsubscribe=One-Click")
            assert forged.status_code == 404
            done = await client.post(path, content=b"List-Unsubscribe=One-Click")
            assert done.status_code == 200 and "vous ne recevrez plus" in done.text
        async with nstack.pool.acquire() as conn:
            rows = await conn.fetch("SELECT u.email, p.kind, p.mode FROM notification_preferences p "
                                    "JOIN users u ON u.id = p.user_id")
        assert [tuple(r) for r in rows] == [(first["To"], "offers_new", "never")]


class TestSummaries:
    async def test_admins_get_a_daily_summary_of_new_dead_letters_and_donors_a_weekly_one_of_second_lives(
        self, nstack: Stack, mail: MailServer
    ) -> None:
        from marketplace.adapters.dead_letters import record_dead_letter

        await retire_directly(nstack.pool, range(1))
        async with nstack.pool.acquire() as conn:
            await record_dead_letter(conn, Record("assets.retirements.v1", 0, 7, b"k", b"{bad", {}),
                                     "input.invalid: message is not JSON", "intake")
            asset_id = str(await conn.fetchval("SELECT id FROM assets LIMIT 1"))
        delivered = {"event_id": str(uuid.uuid4()), "asset_id": asset_id, "occurred_at": "2026-12-01T10:00:00+00:00",
                     "payload": {"to": "tiers-lieu-la-passerelle-guingamp", "reservation_id": str(uuid.uuid4())}}
        record = Record("assets.lifecycle.v1", 0, 1, asset_id.encode(), json.dumps(delivered).encode(),
                        {"type": "asset.delivered"})
        for _ in range(2):  # delivered twice: told once
            await process_lifecycle_for_notifications(nstack.pool, [record])
        mailer = Mailer(nstack.settings)
        for _ in range(2):
            await mailer.tick(nstack.pool)
        assert await count(nstack.pool, "SELECT count(*) FROM pending_notifications WHERE kind = 'admin_daily' "
                                        "AND mode = 'daily'") == 1  # the demo's one admin
        assert await count(nstack.pool, "SELECT count(*) FROM pending_notifications WHERE kind = 'second_life' "
                                        "AND mode = 'weekly'") == 1  # the demo lycée's one person
        assert mail.received() == []  # summaries wait for their day, their week

        async with nstack.pool.acquire() as conn:
            await conn.execute("UPDATE pending_notifications SET created_at = created_at - interval '25 hours'")
        await mailer.tick(nstack.pool)
        [admin] = await mail.wait_for(1)
        assert admin["To"] == "admin@region-bretagne.demo" and "Lettre morte de intake" in text_of(admin)
        async with nstack.pool.acquire() as conn:
            await conn.execute("UPDATE pending_notifications SET created_at = created_at - interval '7 days'")
        await mailer.tick(nstack.pool)
        received = await mail.wait_for(2)
        donor = received[1]
        assert donor["To"] == "gestion@lycee-des-embruns.demo"
        assert "remis à tiers-lieu-la-passerelle-guingamp pour une seconde vie" in text_of(donor)
        for _ in range(2):
            await mailer.tick(nstack.pool)
        assert len(mail.received()) == 2


class TestRetention:
    async def test_folded_notifications_go_with_the_mail_retention_and_an_erased_person_gets_nothing(
        self, nstack: Stack, mail: MailServer
    ) -> None:
        await add_people(nstack.pool)
        async with nstack.pool.acquire() as conn:
            old, erased = await conn.fetch("SELECT id FROM users WHERE email LIKE 'p-%' ORDER BY email LIMIT 2")
            await conn.execute("INSERT INTO pending_notifications (user_id, kind, cause, mode, facts, folded_at) "
                               "VALUES ($1, 'offers_new', 'offer:old', 'now', '{}', now() - interval '100 days')",
                               old["id"])
            await conn.execute("INSERT INTO pending_notifications (user_id, kind, cause, mode, facts) "
                               "VALUES ($1, 'offers_new', 'offer:new', 'now', '{}')", erased["id"])
            await conn.execute("UPDATE users SET erased_at = now() WHERE id = $1", erased["id"])
        await Mailer(nstack.settings).tick(nstack.pool)
        assert await count(nstack.pool, "SELECT count(*) FROM pending_notifications WHERE cause = 'offer:old'") == 0
        assert await count(nstack.pool, "SELECT count(*) FROM pending_notifications WHERE folded_at IS NULL") == 0
        assert await count(nstack.pool, "SELECT count(*) FROM mail_queue") == 0
        assert mail.received() == []


class TestDeadlines:
    async def test_offers_pickups_and_holds_due_within_a_day_are_announced_once_each(self, nstack: Stack,
                                                                                     mail: MailServer) -> None:
        await add_people(nstack.pool)
        await nstack.start_relay()
        await nstack.start_workers("router")
        await retire_directly(nstack.pool, range(3))
        await wait_offered(nstack.pool, 3)
        async with nstack.pool.acquire() as conn:
            a_open, a_claimed, a_held = [r["id"] for r in await conn.fetch("SELECT id FROM assets ORDER BY id")]
            # Offers made two days ago, ending in two hours, still open.
            await conn.execute("UPDATE offers SET created_at = now() - interval '2 days', "
                               "expires_at = now() + interval '2 hours' WHERE asset_id = $1", a_open)
            # A claim whose pickup deadline (PICKUP_DEADLINE_HOURS after the claim) is two hours away.
            claimed = await conn.fetchval("SELECT id FROM offers WHERE asset_id = $1 LIMIT 1", a_claimed)
            await conn.execute("UPDATE offers SET status = 'claimed', closed_at = now() - make_interval(hours => $2) "
                               "WHERE id = $1", claimed, int(nstack.settings.pickup_deadline_hours) - 2)
            await conn.execute("UPDATE assets SET state = 'claimed' WHERE id = $1", a_claimed)
            # A tiers-lieu's reservation whose hold ends in two hours.
            await conn.execute("INSERT INTO reservations (id, asset_id, org_id, status, hold_until, created_at) "
                               "SELECT $1, $2, id, 'active', now() + interval '2 hours', now() - interval '13 days' "
                               "FROM organisations WHERE slug = 'tiers-lieu-la-passerelle-guingamp'",
                               uuid.uuid4(), a_held)
            told_expiring = await conn.fetchval("SELECT count(*) FROM offers o JOIN users u ON u.org_id = o.org_id "
                                                "WHERE o.asset_id = $1", a_open)
            told_pickup = await conn.fetchval(
                "SELECT count(*) FROM users WHERE org_id IN (SELECT org_id FROM offers WHERE id = $1 "
                "UNION SELECT donor_org_id FROM assets WHERE id = $2)", claimed, a_claimed)
        mailer = Mailer(nstack.settings)
        for _ in range(3):
            await mailer.tick(nstack.pool)
        kinds = Counter(r for r, in await _fetch(nstack, "SELECT kind FROM pending_notifications "
                                                        "WHERE kind <> 'offers_new'"))
        assert kinds["offers_expiring"] == told_expiring  # every person of each organisation still offered it
        assert kinds["pickup_due"] == told_pickup  # the claimer's people and the lycée's
        assert kinds["hold_ending"] == 1  # the tiers-lieu's one person
        subjects = [str(m["Subject"]) for m in mail.received()]
        assert any("expirent dans moins de 24 h" in s or "expire within 24 hours" in s for s in subjects)
        assert any("enlèvement(s) à confirmer" in s or "pickup(s) to confirm" in s for s in subjects)
        assert any("réservation(s) se terminent" in s for s in subjects)
        async with nstack.pool.acquire() as conn:
            before = await conn.fetchval("SELECT count(*) FROM mail_queue")
        await mailer.tick(nstack.pool)
        async with nstack.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM mail_queue") == before


async def _fetch(stack: Stack, sql: str) -> list[asyncpg.Record]:
    async with stack.pool.acquire() as conn:
        return list(await conn.fetch(sql))


class TestEventsTheBrokerLost:
    async def test_events_the_notifier_never_received_are_mailed_once_from_postgresql(
        self, nstack: Stack, mail: MailServer
    ) -> None:
        """The broker lost the lifecycle messages before the notifier read them (Tansu keeps them in memory): no
        notifier runs while the devices are offered, so none reaches it. The reconciler reads the events from
        PostgreSQL, and the messages delivered late afterwards add nothing."""
        await add_people(nstack.pool)
        await nstack.start_relay()
        await nstack.start_workers("router")
        await retire_directly(nstack.pool, range(3))
        await wait_offered(nstack.pool, 3)
        expected = await expected_recipients(nstack.pool)
        assert await count(nstack.pool, "SELECT count(*) FROM pending_notifications") == 0

        grace = timedelta(0)
        mailer = Mailer(nstack.settings, reconcile=lambda pool: reconcile_notifications(pool, grace))
        await run_until_sent(nstack, mailer, len(expected))
        received = await mail.wait_for(len(expected))
        assert Counter(m["To"] for m in received) == Counter(set(expected))

        late = await lifecycle_records(nstack)
        assert (await process_lifecycle_for_notifications(nstack.pool, late)).done == 0
        assert (await reconcile_notifications(nstack.pool, grace)).done == 0
        for _ in range(3):
            await mailer.tick(nstack.pool)
        assert await count(nstack.pool, "SELECT count(*) FROM mail_queue") == len(expected)
        assert len(mail.received()) == len(expected)

    async def test_the_reconciler_leaves_recent_events_to_the_consumer_and_history_before_it_alone(
        self, nstack: Stack
    ) -> None:
        await add_people(nstack.pool)
        async with nstack.pool.acquire() as conn:  # the deployment's history, before the notifier existed
            await conn.execute("UPDATE notifier_reconcile_marks SET mark = now() + interval '1 second'")
        await nstack.start_relay()
        await nstack.start_workers("router")
        await retire_directly(nstack.pool, range(2))
        await wait_offered(nstack.pool, 2)

        assert (await reconcile_notifications(nstack.pool, timedelta(hours=1))).done == 0  # not old enough yet
        async with nstack.pool.acquire() as conn:
            await conn.execute("UPDATE notifier_reconcile_marks SET mark = now()")
        assert (await reconcile_notifications(nstack.pool, timedelta(0))).done == 0  # before the mark
        assert await count(nstack.pool, "SELECT count(*) FROM pending_notifications") == 0

    async def test_a_batch_cut_at_its_limit_is_finished_by_the_next_passes(self, nstack: Stack) -> None:
        await add_people(nstack.pool)
        await nstack.start_relay()
        await nstack.start_workers("router")
        await retire_directly(nstack.pool, range(5))
        await wait_offered(nstack.pool, 5)

        passes = [await reconcile_notifications(nstack.pool, timedelta(0), limit=2) for _ in range(5)]

        async with nstack.pool.acquire() as conn:
            seen = await conn.fetchval("SELECT count(*) FROM inbox WHERE consumer = 'notifier'")
        assert seen == 5  # the five asset.offered events, each once, whatever the cut
        assert sum(p.duplicates for p in passes) == 0
