"""Signing in and out: argon2id passwords, server-side sessions, slowed and locked brute force."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from marketplace.adapters import accounts
from marketplace.adapters.views import user_view
from marketplace.auth.credentials import (
    DUMMY_HASH,
    LOCK_MINUTES,
    MAX_FAILED_SIGN_INS,
    new_session_token,
    sign_in_delay_s,
    token_hash,
    verify_password,
)
from marketplace.domain.errors import AuthenticationFailed
from marketplace.services.base import ServiceBase
from schemas.views import UserView


class SignedIn:
    def __init__(self, token: str, user: UserView) -> None:
        self.token = token
        self.user = user


class AccountServices(ServiceBase):
    async def sign_in(self, email: str, password: str) -> SignedIn:
        async with self.pool.acquire() as conn:
            row = await accounts.user_by_email(conn, email.strip())
            if row is None:
                verify_password(DUMMY_HASH, password)  # same work as for a real account: no timing oracle
                raise AuthenticationFailed()
            if row["locked_until"] is not None and row["locked_until"] > datetime.now(UTC):
                raise AuthenticationFailed("auth.locked", until=row["locked_until"].strftime("%H:%M UTC"))
            if row["disabled"] or not verify_password(row["password_hash"], password):
                await accounts.record_failure(conn, row["id"], MAX_FAILED_SIGN_INS, LOCK_MINUTES)
                await asyncio.sleep(sign_in_delay_s(row["failed_logins"] + 1))
                raise AuthenticationFailed()
            await accounts.reset_failures(conn, row["id"])
            token = new_session_token()
            expires = datetime.now(UTC) + timedelta(hours=self.settings.session_ttl_hours)
            await accounts.insert_session(conn, token_hash(token), row["id"], expires)
            return SignedIn(token, user_view(row))

    async def sign_out(self, token: str | None) -> None:
        if token:
            async with self.pool.acquire() as conn:
                await accounts.revoke_session(conn, token_hash(token))
