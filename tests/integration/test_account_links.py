"""Issue 17 on the real PostgreSQL: invitations and reset links queued in mail_queue with their link, chosen
passwords, sessions ended, and the attacks: forged admin calls, spent, expired or revoked links, a reset
for an unknown e-mail that tells nothing, and no token in any log line."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from marketplace.auth.hashing import PASSWORDS
from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.domain.errors import DomainError, Forbidden, InvalidInput, NotAuthenticated
from marketplace.runtime.embedded import EmbeddedPostgres
from tests.fuzz import FuzzDb, fuzz_db

ADMIN_EMAIL, ADMIN_PASSWORD, *_ = DEMO_ACCOUNTS["admin"]
MAKER_EMAIL, MAKER_PASSWORD, *_ = DEMO_ACCOUNTS["maker"]
BASE = "https://seconde-vie.example.org"
LINK = re.compile(re.escape(BASE) + r"/mot-de-passe/definir/([A-Za-z0-9_-]{43})")
GOOD = "une phrase assez longue pour nous"


@pytest.fixture(scope="module")
async def db(pg_server: EmbeddedPostgres) -> AsyncIterator[FuzzDb]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    try:
        async with fuzz_db(pg_server.create_database(name), base_url=BASE) as found:
            yield found
    finally:
        pg_server.drop_database(name)


async def admin(db: FuzzDb) -> str:
    return (await db.marketplace.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)).token


async def mails_to(db: FuzzDb, email: str) -> list[Any]:
    async with db.pool.acquire() as conn:
        return list(await conn.fetch("SELECT * FROM mail_queue WHERE to_email = $1 ORDER BY created_at", email))


def link_in(mail: Any) -> str:
    found = LINK.search(mail["text_body"])
    assert found and found.group(0) in mail["html_body"], "the link, in full, in both parts"
    return found.group(1)


async def invite(db: FuzzDb, email: str, org: str = "repar-acteurs-brest", **extra: object) -> str:
    await db.marketplace.invite(await admin(db), {"email": email, "display_name": "Awen Le Gall", "org_slug": org,
                                                  **extra})
    return link_in((await mails_to(db, email))[-1])


class TestInvitations:
    async def test_an_invitation_is_queued_with_its_link_and_the_chosen_password_signs_in(self, db: FuzzDb) -> None:
        m = db.marketplace
        token = await invite(db, "awen@example.org", lang="en")
        [mail] = await mails_to(db, "awen@example.org")
        assert (mail["kind"], mail["status"], mail["lang"]) == ("invitation", "queued", "en")
        assert "Awen Le Gall" in mail["text_body"] and "72 hours" in mail["text_body"]
        assert "<img" not in mail["html_body"]
        async with db.pool.acquire() as conn:  # only the hash of the token is stored
            assert token not in str(await conn.fetch("SELECT * FROM account_links"))
        opened = await m.open_link(token)
        assert (opened.kind, opened.user.email) == ("invitation", "awen@example.org")
        signed = await m.set_password_with_link(token, GOOD)
        assert (await m.user_for_session(signed.token)) is not None
        assert (await m.sign_in("awen@example.org", GOOD)).user.email == "awen@example.org"
        with pytest.raises(DomainError) as used:
            await m.set_password_with_link(token, GOOD + "!")
        assert used.value.message_key == "link.invalid"

    async def test_an_account_waiting_for_its_password_cannot_sign_in(self, db: FuzzDb) -> None:
        await invite(db, "attente@example.org")
        for password in ("", " ", "x" * 12):
            with pytest.raises(DomainError):
                await db.marketplace.sign_in("attente@example.org", password)

    async def test_a_new_invitation_revokes_the_previous_link(self, db: FuzzDb) -> None:
        first = await invite(db, "deux@example.org")
        second = await invite(db, "deux@example.org")
        assert first != second and len(await mails_to(db, "deux@example.org")) == 2
        with pytest.raises(DomainError, match="plus valable"):
            await db.marketplace.open_link(first)
        await db.marketplace.set_password_with_link(second, GOOD)

    async def test_an_expired_or_unknown_link_is_refused(self, db: FuzzDb) -> None:
        token = await invite(db, "tard@example.org")
        async with db.pool.acquire() as conn:
            await conn.execute("UPDATE account_links SET expires_at = now() - interval '1 second'")
        for link in (token, "", "x" * 43, token[:-1]):
            with pytest.raises(DomainError) as refused:
                await db.marketplace.set_password_with_link(link, GOOD)
            assert refused.value.message_key == "link.invalid"

    async def test_a_weak_password_is_refused_saying_why_and_the_link_is_not_spent(self, db: FuzzDb) -> None:
        token = await invite(db, "faible@example.org")
        for weak, why in (("court", "password.too_short"), ("azertyuiop123", "password.too_common"),
                          ("faible@example.org", "password.personal")):
            with pytest.raises(InvalidInput) as refused:
                await db.marketplace.set_password_with_link(token, weak)
            assert refused.value.message_key == why
        await db.marketplace.set_password_with_link(token, GOOD)

    async def test_an_existing_account_is_not_invited_again(self, db: FuzzDb) -> None:
        with pytest.raises(DomainError) as taken:
            await db.marketplace.invite(await admin(db), {"email": MAKER_EMAIL, "display_name": "X Y",
                                                          "org_slug": "repar-acteurs-brest"})
        assert taken.value.message_key == "user.email_taken"


class TestPasswordReset:
    async def test_a_reset_link_ends_every_session_and_signs_in_with_the_new_password(self, db: FuzzDb) -> None:
        m = db.marketplace
        await invite(db, "oubli@example.org")
        old = (await m.set_password_with_link(link_in((await mails_to(db, "oubli@example.org"))[-1]), GOOD)).token
        other = (await m.sign_in("oubli@example.org", GOOD)).token
        await m.request_password_reset("Oubli@Example.org ")
        mail = (await mails_to(db, "oubli@example.org"))[-1]
        assert mail["kind"] == "password_reset" and "60 minutes" in mail["text_body"]
        signed = await m.set_password_with_link(link_in(mail), GOOD + " encore")
        assert await m.user_for_session(old) is None and await m.user_for_session(other) is None
        assert await m.user_for_session(signed.token) is not None
        with pytest.raises(DomainError):
            await m.sign_in("oubli@example.org", GOOD)

    async def test_an_unknown_address_gets_the_same_answer_after_the_same_calls(self, db: FuzzDb,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
        calls: list[str] = []
        real = PASSWORDS.hash

        async def counted(password: str) -> str:
            calls.append("hash")
            return await real(password)

        monkeypatch.setattr(PASSWORDS, "hash", counted)
        known = await db.marketplace.request_password_reset(MAKER_EMAIL)
        known_calls = list(calls)
        calls.clear()
        unknown = await db.marketplace.request_password_reset("personne@example.org")
        assert known is unknown is None and calls == known_calls == ["hash"]
        assert await mails_to(db, "personne@example.org") == []
        assert [m["kind"] for m in await mails_to(db, MAKER_EMAIL)] == ["password_reset"]


    async def test_reset_requests_are_limited_per_address_known_or_not(self, db: FuzzDb) -> None:
        for email in ("limite@example.org", ADMIN_EMAIL):
            for _ in range(3):
                await db.marketplace.request_password_reset(email)
            with pytest.raises(DomainError) as refused:
                await db.marketplace.request_password_reset(email)
            assert refused.value.message_key == "auth.locked"
        assert len(await mails_to(db, ADMIN_EMAIL)) == 3
        assert (await db.marketplace.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)).token  # sign-in has its own counter


class TestForgedCalls:
    async def test_a_non_admin_cannot_invite_export_or_erase(self, db: FuzzDb) -> None:
        m = db.marketplace
        maker = (await m.sign_in(MAKER_EMAIL, MAKER_PASSWORD)).token
        some_id = next(a.id for a in await m.list_accounts(await admin(db)) if a.email == ADMIN_EMAIL)
        calls = [lambda t: m.invite(t, {"email": "pirate@example.org", "display_name": "Pi Rate",
                                        "org_slug": "repar-acteurs-brest", "is_admin": True}),
                 lambda t: m.export_account(t, some_id), lambda t: m.erase_account(t, some_id)]
        for call in calls:
            with pytest.raises(Forbidden):
                await call(maker)
            for forged in (None, "", "forged-token"):
                with pytest.raises(NotAuthenticated):
                    await call(forged)
        assert await mails_to(db, "pirate@example.org") == []


class TestTokensInLogs:
    async def test_no_link_or_session_token_appears_in_any_log_line(self, db: FuzzDb,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
        caplog.set_level(logging.DEBUG)
        token = await invite(db, "journal@example.org")
        signed = await db.marketplace.set_password_with_link(token, GOOD)
        await db.marketplace.request_password_reset("journal@example.org")
        reset = link_in((await mails_to(db, "journal@example.org"))[-1])
        text = "\n".join(r.getMessage() + str(r.args) for r in caplog.records)
        for secret in (token, signed.token, reset):
            assert secret not in text
