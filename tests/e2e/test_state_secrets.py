"""Secrets stay secret on the server too (issue 16, item 10): Reflex keeps each tab's state in a store (Redis,
which `seconde-vie up` starts), and whoever reads that store finds no session token, API token or webhook secret
to use.

The attack: sign in, create an API token and a webhook in the browser, then read every value of the UI's state
store and look for the token and secret that the page showed, and for any string that is a live session token
(its SHA-256 is in `sessions`)."""

from __future__ import annotations

import hashlib
import re
import time

import pytest
import redis
from playwright.sync_api import Page, expect

from tests.e2e.forging import Database
from tests.e2e.test_walking_skeleton import sign_in

pytestmark = pytest.mark.e2e

# What `secrets.token_urlsafe(32)` gives (a session token), anywhere in a file.
TOKEN_SHAPED = re.compile(rb"[A-Za-z0-9_-]{43}")


def _store_bytes(store: str) -> bytes:
    """Every value the UI's Redis holds (each tab's state, written at the end of each event)."""
    time.sleep(1)  # the event that followed the page's last one
    with redis.Redis.from_url(store) as client:
        values = []
        for key in client.scan_iter(count=1000):
            kind = client.type(key)
            if kind == b"string":
                values.append(client.get(key) or b"")
            elif kind == b"hash":
                values.extend(b"%s %s" % pair for pair in client.hgetall(key).items())
    assert values, f"nothing in the UI's Redis ({store.rsplit('@', 1)[-1]}): the test would prove nothing"
    return b"\n".join(values)


def _live_session_hashes(dsn: str) -> set[str]:
    database = Database(dsn)  # its own thread and loop: Playwright owns this one
    try:
        return {r["token_hash"] for r in database.fetch("SELECT token_hash FROM sessions")}
    finally:
        database.close()


def test_the_state_store_holds_no_token_or_secret(page: Page, ui_state_store: str, stack_database_url: str) -> None:
    sign_in(page, "refurbisher")
    page.goto("/integrations")
    page.get_by_label("Nom du jeton").fill("Jeton de l'attaque")
    page.get_by_role("button", name="Créer un jeton").click()
    expect(page.get_by_label("Nouveau jeton d'API")).to_have_value(re.compile("^svk_"))
    api_token = page.get_by_label("Nouveau jeton d'API").input_value()
    page.get_by_label("URL de réception").fill("https://atelier.example.org/hooks/etat")
    page.get_by_role("button", name="Ajouter le webhook").click()
    shown = page.get_by_label("Secret de signature du webhook")
    expect(shown).to_have_value(re.compile("^whsec_"))
    secret = shown.input_value()
    page.goto("/")  # one more event, so that the store writes this tab's state again

    stored = _store_bytes(ui_state_store)
    live = _live_session_hashes(stack_database_url)

    assert api_token.startswith("svk_") and api_token.encode() not in stored
    assert secret.startswith("whsec_") and secret.encode() not in stored
    leaked = [m for m in TOKEN_SHAPED.findall(stored) if hashlib.sha256(m).hexdigest() in live]
    assert leaked == [], "a live session token sits in the UI state store"
    assert b"gAAAA" in stored, "the sealed session should be there: the store read is the tab's"


def test_a_shown_token_is_gone_when_the_page_is_opened_again(page: Page) -> None:
    sign_in(page, "refurbisher")
    page.goto("/integrations")
    page.get_by_label("Nom du jeton").fill("Jeton vu une fois")
    page.get_by_role("button", name="Créer un jeton").click()
    expect(page.get_by_label("Nouveau jeton d'API")).to_have_value(re.compile("^svk_"))

    page.goto("/")
    page.goto("/integrations")

    expect(page.get_by_role("table", name="Jetons d'API")).to_contain_text("Jeton vu une fois")
    expect(page.get_by_role("status").filter(has_text="Copiez ce jeton")).to_be_hidden()
    expect(page.get_by_label("Nouveau jeton d'API", exact=True)).to_have_value("")
