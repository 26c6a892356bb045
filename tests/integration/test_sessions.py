"""Sessions through the services and the sign-in page's handler: no token a client holds before signing in
(or chooses) ever becomes a signed-in session, each sign-in issues a new random token, and signing out
(or being disabled, or a password reset) ends the session on the server."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest

from marketplace.auth.credentials import token_hash
from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.domain.errors import NotAuthenticated
from marketplace.runtime.embedded import EmbeddedPostgres
from tests.fuzz import FuzzDb, fuzz_db
from ui.pages import signin  # at collection: Reflex registers its states in the context of the first import
from ui.state import SessionState

EMAIL, PASSWORD, *_ = DEMO_ACCOUNTS["refurbisher"]
MAKER_EMAIL, MAKER_PASSWORD, *_ = DEMO_ACCOUNTS["maker"]
ADMIN_EMAIL, ADMIN_PASSWORD, *_ = DEMO_ACCOUNTS["admin"]


@pytest.fixture(scope="module")
async def db(pg_server: EmbeddedPostgres) -> AsyncIterator[FuzzDb]:
    """One database for these tests (each uses its own sessions; only the last one changes an account)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    try:
        async with fuzz_db(pg_server.create_database(name)) as found:
            yield found
    finally:
        pg_server.drop_database(name)


async def stored_hashes(db: FuzzDb) -> list[str]:
    async with db.pool.acquire() as conn:
        return [r["token_hash"] for r in await conn.fetch("SELECT token_hash FROM sessions")]


async def test_each_sign_in_issues_a_new_random_token_and_stores_only_its_hash(db: FuzzDb) -> None:
    m = db.marketplace
    tokens = [(await m.sign_in(EMAIL, PASSWORD)).token for _ in range(3)]
    assert len(set(tokens)) == 3 and all(len(t) >= 43 for t in tokens)  # 32 random bytes, URL-safe
    hashes = set(await stored_hashes(db))
    assert {token_hash(t) for t in tokens} <= hashes
    assert not set(tokens) & hashes


async def test_a_token_the_client_holds_or_chooses_is_never_a_session(db: FuzzDb) -> None:
    m = db.marketplace
    signed = await m.sign_in(EMAIL, PASSWORD)
    stored = token_hash(signed.token)
    chosen = ["", " ", "pre-login-token", signed.token + "x", signed.token.upper(), stored,  # the stored hash itself
              hashlib.sha256(b"pre-login-token").hexdigest(), "' OR '1'='1", signed.token[:-1]]
    for token in chosen:
        assert await m.user_for_session(token) is None, token
        with pytest.raises(NotAuthenticated):
            await m.my_devices(token)
    assert (await m.user_for_session(signed.token)) is not None


async def test_signing_in_never_upgrades_an_earlier_token(db: FuzzDb) -> None:
    m = db.marketplace
    earlier = (await m.sign_in(EMAIL, PASSWORD)).token
    await m.sign_out(earlier)
    admin = await m.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    again = await m.sign_in(EMAIL, PASSWORD)
    assert len({earlier, admin.token, again.token}) == 3
    assert await m.user_for_session(earlier) is None  # signed out stays signed out, whoever signs in next
    user = await m.user_for_session(again.token)
    assert user is not None and user.email == EMAIL and not user.is_admin


async def test_sign_out_ends_the_session_on_the_server(db: FuzzDb) -> None:
    m = db.marketplace
    one, two = (await m.sign_in(EMAIL, PASSWORD)).token, (await m.sign_in(EMAIL, PASSWORD)).token
    await m.sign_out(one)
    assert await m.user_for_session(one) is None
    with pytest.raises(NotAuthenticated):
        await m.perform(one, "ABCD-EFGH-JKLM", "claim", {})
    assert await m.user_for_session(two) is not None  # another device's session is not affected
    await m.sign_out(one)  # twice, or an unknown token: harmless
    await m.sign_out("no-such-token")
    await m.sign_out(None)


class FakePage:
    """The sign-in page's state without Reflex around it: the attributes its handler reads and writes."""

    def __init__(self, token: str) -> None:
        self._token, self.error, self.lang = token, "", "fr"
        self.router = SimpleNamespace(session=SimpleNamespace(client_ip="192.0.2.10"))
        self._remember = SessionState._remember.__get__(self)  # type: ignore[attr-defined]
        self.user_name = self.user_email = self.user_role = self.org_name = ""
        self.is_admin = False


async def test_the_sign_in_page_keeps_only_the_token_it_is_issued(db: FuzzDb, monkeypatch: Any) -> None:
    async def marketplace() -> Any:
        return db.marketplace

    monkeypatch.setattr(signin, "marketplace", marketplace)
    submit = signin.SignInState.submit.fn  # the handler Reflex runs on the server

    page = FakePage("pre-login-token")  # whatever a page held before: never a session
    await submit(page, {"email": EMAIL, "password": PASSWORD})
    assert page._token != "pre-login-token" and page.user_email == EMAIL
    assert await db.marketplace.user_for_session("pre-login-token") is None
    first = page._token

    await submit(page, {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})  # someone else, same screen
    assert page._token not in (first, "pre-login-token") and page.is_admin
    assert await db.marketplace.user_for_session(first) is None, "the earlier session ended on the server"

    await submit(page, {"email": EMAIL, "password": "wrong password"})  # a failed sign-in changes nothing
    assert page.error and page.is_admin and await db.marketplace.user_for_session(page._token) is not None


async def test_disabling_an_account_or_resetting_its_password_ends_its_sessions(db: FuzzDb) -> None:
    m = db.marketplace
    admin = (await m.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)).token
    user = (await m.sign_in(MAKER_EMAIL, MAKER_PASSWORD)).token
    user_id = next(a.id for a in await m.list_accounts(admin) if a.email == MAKER_EMAIL)
    await m.reset_password(admin, user_id, "un-nouveau-mot-de-passe")
    assert await m.user_for_session(user) is None
    user = (await m.sign_in(MAKER_EMAIL, "un-nouveau-mot-de-passe")).token
    await m.set_account_disabled(admin, user_id, True)
    assert await m.user_for_session(user) is None
