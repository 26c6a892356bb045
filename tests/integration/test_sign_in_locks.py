"""Issue 16, item 4: no one can lock an account for ever, or learn which accounts exist.

Against the real services on real PostgreSQL: a lock that ends lets the counter start again; an unknown,
a disabled and a real e-mail get the same answers after the same work; admins see and end locks, and a
non-admin forging the unlock call is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from marketplace.auth import credentials, throttle
from marketplace.auth.throttle import ACCOUNT_ATTEMPTS, WINDOW_MINUTES
from marketplace.domain.errors import AuthenticationFailed, Forbidden, NotAuthenticated
from marketplace.services import accounts as account_services
from tests.fuzz import FuzzDb
from tests.integration.sign_in_support import (
    MAKER_EMAIL,
    MAKER_PASSWORD,
    admin_token,
    db,
    new_account,
    unknown_email,
)

__all__ = ["db"]


async def end_lock(db: FuzzDb, email: str) -> None:
    """What the clock would do WINDOW_MINUTES later: the e-mail's lock is over."""
    async with db.pool.acquire() as conn:
        ended = await conn.execute("UPDATE sign_in_throttles SET until = now() - interval '1 second' "
                                   "WHERE kind = 'account' AND subject = sign_in_subject($1)", email)
    assert ended == "UPDATE 1"


async def refusal(db: FuzzDb, email: str, password: str) -> AuthenticationFailed:
    with pytest.raises(AuthenticationFailed) as err:
        await db.marketplace.sign_in(email, password)
    return err.value


async def lock(db: FuzzDb, email: str) -> None:
    for _ in range(ACCOUNT_ATTEMPTS):
        assert (await refusal(db, email, "devine")).message_key == "auth.failed"


async def test_after_a_lock_ends_one_wrong_password_does_not_lock_again(db: FuzzDb) -> None:
    account = await new_account(db)
    await lock(db, account.email)
    assert (await refusal(db, account.email, account.password)).message_key == "auth.locked"
    await end_lock(db, account.email)
    # The attack of issue 16: one wrong password each time the lock ends kept the account locked for ever.
    assert (await refusal(db, account.email, "devine")).message_key == "auth.failed"
    assert (await db.marketplace.sign_in(account.email, account.password)).user.email == account.email


async def test_attempts_during_a_lock_do_not_make_it_longer(db: FuzzDb) -> None:
    account = await new_account(db)
    await lock(db, account.email)

    async def lock_ends() -> Any:
        async with db.pool.acquire() as conn:
            return await conn.fetchval("SELECT until FROM sign_in_throttles WHERE kind = 'account' "
                                       "AND subject = sign_in_subject($1)", account.email)

    before = await lock_ends()
    for _ in range(10):
        assert (await refusal(db, account.email, "devine")).message_key == "auth.locked"
    assert await lock_ends() == before


@dataclass
class Work:
    """What one sign-in did: argon2 verifications, the delay it waited, and its answer."""

    verifications: int = 0
    delays: list[float] = field(default_factory=list)


async def test_unknown_disabled_and_real_emails_get_the_same_answers_after_the_same_work(
        db: FuzzDb, monkeypatch: pytest.MonkeyPatch) -> None:
    work = Work()
    real_verify, real_delay = credentials.verify_password, throttle.failure_delay_s

    def verify(password_hash: str, password: str) -> bool:
        work.verifications += 1
        return real_verify(password_hash, password)

    def delay(attempts: int) -> float:
        work.delays.append(real_delay(attempts))
        return work.delays[-1]

    monkeypatch.setattr(credentials, "verify_password", verify)
    monkeypatch.setattr(account_services, "failure_delay_s", delay)
    emails = {"real": (await new_account(db)).email, "disabled": (await new_account(db, disabled=True)).email,
              "unknown": unknown_email()}
    seen: dict[str, list[tuple[str, dict[str, Any], int, list[float]]]] = {}
    for kind, email in emails.items():
        seen[kind] = []
        for _ in range(ACCOUNT_ATTEMPTS + 2):
            work.verifications, work.delays = 0, []
            err = await refusal(db, email, "devine")
            seen[kind].append((err.message_key, err.params, work.verifications, work.delays))
    assert seen["unknown"] == seen["real"] == seen["disabled"]
    expected = [("auth.failed", {}, 1, [throttle.failure_delay_s(n)]) for n in range(1, ACCOUNT_ATTEMPTS + 1)]
    assert seen["real"] == [*expected, *[("auth.locked", {"minutes": WINDOW_MINUTES}, 0, [])] * 2]


async def test_admins_see_a_locked_account_and_unlock_it_others_cannot(db: FuzzDb) -> None:
    m, account = db.marketplace, await new_account(db)
    await lock(db, account.email.upper())  # one counter per e-mail, however it is typed
    admin = await admin_token(db)
    assert {a.email: a.locked for a in await m.list_accounts(admin)}[account.email] is True

    maker = (await m.sign_in(MAKER_EMAIL, MAKER_PASSWORD)).token  # not an admin, forging the page's call
    with pytest.raises(Forbidden) as err:
        await m.unlock_account(maker, account.id)
    assert err.value.message_key == "auth.admin_only"
    with pytest.raises(NotAuthenticated):
        await m.unlock_account(None, account.id)
    assert (await refusal(db, account.email, account.password)).message_key == "auth.locked"

    await m.unlock_account(admin, account.id)
    assert {a.email: a.locked for a in await m.list_accounts(admin)}[account.email] is False
    assert (await m.sign_in(account.email, account.password)).user.email == account.email


async def test_an_admin_password_reset_also_ends_the_lock(db: FuzzDb) -> None:
    m, account = db.marketplace, await new_account(db)
    await lock(db, account.email)
    await m.reset_password(await admin_token(db), account.id, "une-nouvelle-phrase-de-passe")
    assert (await m.sign_in(account.email, "une-nouvelle-phrase-de-passe")).user.email == account.email
