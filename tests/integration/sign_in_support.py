"""What the sign-in attack tests share: their own database with the demo accounts, and fresh accounts."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.runtime.embedded import EmbeddedPostgres
from tests.fuzz import FuzzDb, fuzz_db

ADMIN_EMAIL, ADMIN_PASSWORD, *_ = DEMO_ACCOUNTS["admin"]
MAKER_EMAIL, MAKER_PASSWORD, *_ = DEMO_ACCOUNTS["maker"]


@dataclass(frozen=True)
class Account:
    id: str
    email: str
    password: str


@pytest.fixture(scope="module")
async def db(pg_server: EmbeddedPostgres) -> AsyncIterator[FuzzDb]:
    """One database per test module; each test locks only the accounts it creates."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    try:
        async with fuzz_db(pg_server.create_database(name)) as found:
            yield found
    finally:
        pg_server.drop_database(name)


async def admin_token(db: FuzzDb) -> str:
    return (await db.marketplace.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)).token


async def new_account(db: FuzzDb, disabled: bool = False) -> Account:
    """A fresh maker account of the Léon fab lab (so no other test's lock or counter touches it)."""
    admin = await admin_token(db)
    email, password = f"essai-{uuid.uuid4().hex[:8]}@fablab-du-leon.demo", f"phrase-{uuid.uuid4().hex}"
    await db.marketplace.create_account(admin, {"email": email, "display_name": "Compte d'essai",
                                                "org_slug": "fablab-du-leon-morlaix", "password": password})
    user_id = next(a.id for a in await db.marketplace.list_accounts(admin) if a.email == email)
    if disabled:
        await db.marketplace.set_account_disabled(admin, user_id, True)
    return Account(user_id, email, password)


def unknown_email() -> str:
    return f"personne-{uuid.uuid4().hex[:8]}@fablab-du-leon.demo"


def address() -> str:
    """A documentation address (RFC 3849) of its own for each call, so that tests do not share counters."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
