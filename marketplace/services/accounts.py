"""Signing in and out: argon2id passwords off the event loop, server-side sessions, counted attempts.

Every attempt takes the same path whether the e-mail has an account or not, is disabled or not: the
attempt is counted for the client address and for the e-mail (marketplace/auth/throttle.py), the account
is looked up, one argon2id verification runs on a worker thread (against the account's hash, or a dummy
one), and a failure waits the same delay and gets the same answer. No database connection is held while
argon2 runs or while a failure waits, so a burst of sign-ins does not take the pool from everyone else.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg

from marketplace.adapters import accounts, sign_in_throttles
from marketplace.adapters.views import user_view
from marketplace.auth.credentials import new_session_token, token_hash
from marketplace.auth.hashing import PASSWORDS, SignInBusy
from marketplace.auth.throttle import (
    ACCOUNT_ATTEMPTS,
    ADDRESS_ATTEMPTS,
    WINDOW_MINUTES,
    AccountLocked,
    TooManyAttempts,
    failure_delay_s,
    typed_email,
)
from marketplace.domain.errors import AuthenticationFailed
from marketplace.services.account_links import LinkServices
from marketplace.services.base import ServiceBase
from marketplace.services.my_account import MyAccountServices
from marketplace.services.signed_in import SignedIn

__all__ = ["AccountServices", "SignedIn"]


class AccountServices(LinkServices, MyAccountServices, ServiceBase):
    async def sign_in(self, email: str, password: str, client_ip: str = "") -> SignedIn:
        """A new session for the right password. `client_ip` is the address the request came from (the UI
        passes Reflex's `router.session.client_ip`); empty for in-process callers, which skips that limit."""
        email = typed_email(email)
        if PASSWORDS.full():  # refused before anything is counted or written
            raise SignInBusy(minutes=1)
        async with self.pool.acquire() as conn:
            await sign_in_throttles.prune(conn)
            if client_ip:
                by_address = await sign_in_throttles.charge(conn, "address", client_ip, ADDRESS_ATTEMPTS,
                                                            WINDOW_MINUTES)
                if by_address.attempts > ADDRESS_ATTEMPTS:
                    raise TooManyAttempts(minutes=by_address.minutes_left)
            by_email = await sign_in_throttles.charge(conn, "account", email, ACCOUNT_ATTEMPTS, WINDOW_MINUTES)
            if by_email.attempts > ACCOUNT_ATTEMPTS:
                raise AccountLocked(minutes=by_email.minutes_left)
            row = await accounts.user_by_email(conn, email)
        # An invited account without its password yet ('') verifies against the dummy, like no account.
        usable = row if row is not None and not row["disabled"] and row["password_hash"] else None
        try:
            verified = await PASSWORDS.verify(usable["password_hash"] if usable else None, password)
        except SignInBusy:
            await self._give_back(email, client_ip)  # never checked: it does not count
            raise
        if usable is None or not verified:
            await asyncio.sleep(failure_delay_s(by_email.attempts))
            raise AuthenticationFailed()
        return await self._open_session(usable, email, client_ip)

    async def _open_session(self, row: asyncpg.Record, email: str, client_ip: str) -> SignedIn:
        token = new_session_token()
        expires = datetime.now(UTC) + timedelta(hours=self.settings.session_ttl_hours)
        async with self.pool.acquire() as conn, conn.transaction():
            await sign_in_throttles.forget(conn, "account", email)
            if client_ip:
                await sign_in_throttles.give_back(conn, "address", client_ip)  # only failures use it up
            await accounts.insert_session(conn, token_hash(token), row["id"], expires, client_ip)
        return SignedIn(token, user_view(row))

    async def _give_back(self, email: str, client_ip: str) -> None:
        async with self.pool.acquire() as conn:
            await sign_in_throttles.give_back(conn, "account", email)
            if client_ip:
                await sign_in_throttles.give_back(conn, "address", client_ip)

    async def sign_out(self, token: str | None) -> None:
        if token:
            async with self.pool.acquire() as conn:
                await accounts.revoke_session(conn, token_hash(token))
