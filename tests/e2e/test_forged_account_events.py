"""Issue 17's admin handlers, forged over the event socket by a non-admin: inviting, exporting and erasing
are refused for want of the right, and the accounts, links, sessions and mail queue stay as they were; a
session of someone else cannot be ended from /mon-compte either."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from marketplace.demo.catalogue import DEMO_ACCOUNTS
from tests.e2e.forging import Database, Forger, form_entries
from tests.e2e.lifecycle_steps import signed_in
from ui import routes
from ui.pages.admin_accounts import AdminAccountsState
from ui.pages.my_account import MyAccountState

TABLES = ("users", "account_links", "mail_queue", "sessions")
ADMIN_ONLY = "Action réservée aux administrateurs."


@pytest.fixture
def db(stack_database_url: str) -> Iterator[Database]:
    database = Database(stack_database_url)
    try:
        yield database
    finally:
        database.close()


# What a forged call could write, per table; not what others move meanwhile: a session's last-seen stamp
# (each page load), a queued e-mail's sending status (the notifier).
ROW = {"users": "to_jsonb(x)::text", "account_links": "to_jsonb(x)::text",
       "mail_queue": "x.id::text || x.to_email || x.kind || x.cause", "sessions": "(to_jsonb(x) - 'last_seen_at')::text"}


def fingerprint(db: Database) -> dict[str, str]:
    return {t: db.fetchval(f"SELECT count(*)::text || md5(coalesce(string_agg({ROW[t]}, '|' ORDER BY {ROW[t]}), ''))"
                           f" FROM {t} x") for t in TABLES}


def test_a_non_admin_forging_invite_export_or_erase_is_refused_and_nothing_changes(
        browser: Browser, base_url: str, db: Database) -> None:
    admin_id = str(db.fetchval("SELECT id FROM users WHERE email = $1", DEMO_ACCOUNTS["admin"][0]))
    forged = [
        ("invite", {"form": form_entries({"email": "forged-invite@e2e.demo", "display_name": "Forged",
                                          "org_slug": "region-bretagne-dsi", "lang": "fr", "is_admin": "on"})}),
        ("export", {"user_id": admin_id}),
        ("erase", {"form": {"user_id": admin_id, "confirm": "on"}}),
    ]
    for role in ("maker", "auditor"):
        with signed_in(browser, base_url, role) as page:
            forger = Forger(page)
            forger.open(routes.HOME)
            before = fingerprint(db)
            for handler, payload in forged:
                since = len(forger.answers)
                forger.forge(AdminAccountsState, handler, payload, routes.ADMIN_ACCOUNTS)
                assert forger.answer(AdminAccountsState, "error", since) == ADMIN_ONLY, (role, handler)
                downloads = [a for a in forger.answers[since:] if "_download" in str(a.get("events", ""))]
                assert not downloads, f"{role} got a download forging {handler}"
            after = fingerprint(db)
            assert [t for t in TABLES if before[t] != after[t]] == [], role


def test_ending_someone_elses_session_is_refused(browser: Browser, base_url: str, db: Database) -> None:
    with signed_in(browser, base_url, "admin"), signed_in(browser, base_url, "recycler") as page:
        admin_session = db.fetchval(
            "SELECT encode(sha256(convert_to(s.token_hash, 'UTF8')), 'hex') FROM sessions s JOIN users u "
            "ON u.id = s.user_id WHERE u.email = $1 AND s.revoked_at IS NULL AND s.expires_at > now() "
            "ORDER BY s.created_at DESC LIMIT 1", DEMO_ACCOUNTS["admin"][0])
        forger = Forger(page)
        forger.open(routes.MY_ACCOUNT)
        since = len(forger.answers)
        forger.forge(MyAccountState, "end_session", {"session_id": admin_session}, routes.MY_ACCOUNT)
        assert forger.answer(MyAccountState, "error", since) == "Cette session est déjà terminée."
        assert db.fetchval("SELECT revoked_at FROM sessions WHERE encode(sha256(convert_to(token_hash, 'UTF8')), "
                           "'hex') = $1", admin_session) is None
