"""Issue 17 in Chromium: an admin invites a person from /admin/comptes; the person opens the e-mailed link,
chooses a password and is signed in; "mot de passe oublié" works the same way and ends the other sessions.
The link is read from the mail queue, where every e-mail waits for the notifier's SMTP delivery."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import _started
from tests.e2e.forging import Database
from tests.e2e.lifecycle_steps import signed_in

LINK = re.compile(r"https?://\S+/mot-de-passe/definir/[A-Za-z0-9_-]{43}")


@pytest.fixture
def db(stack_database_url: str) -> Iterator[Database]:
    database = Database(stack_database_url)  # its own thread and loop: Playwright owns this one
    try:
        yield database
    finally:
        database.close()


def mailed_link(db: Database, email: str, kind: str) -> str:
    """The path of the newest e-mailed link of `kind` for `email` (the host is the stack's BASE_URL)."""
    for _ in range(50):
        body = db.fetchval("SELECT text_body FROM mail_queue WHERE to_email = $1 AND kind = $2 "
                           "ORDER BY created_at DESC LIMIT 1", email, kind)
        if body:
            found = LINK.search(body)
            assert found, body
            return urlsplit(found.group(0)).path
        time.sleep(0.2)
    raise AssertionError(f"no {kind} e-mail for {email}")


def choose_password(page: Page, path: str, password: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"/mot-de-passe/definir$"))  # the token left the address bar
    page.get_by_label("Nouveau mot de passe").fill(password)
    page.get_by_label("Le même, une seconde fois").fill(password)
    page.get_by_role("button", name="Enregistrer et se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_an_invited_person_chooses_a_password_and_later_resets_it(browser: Browser, base_url: str,
                                                                   db: Database) -> None:
    suffix = uuid.uuid4().hex[:6]
    email, name = f"invitee-{suffix}@atelier.demo", f"Invitée {suffix}"
    with signed_in(browser, base_url, "admin") as admin:
        admin.goto("/admin/comptes")
        invite = admin.get_by_role("region", name="Inviter une personne")
        invite.get_by_label("Adresse e-mail").fill(email)
        invite.get_by_label("Nom affiché").fill(name)
        invite.get_by_label("Organisation").select_option("repar-acteurs-brest")
        invite.get_by_role("button", name="Envoyer l'invitation").click()
        expect(admin.get_by_role("row").filter(has_text=email)).to_be_visible()
    path = mailed_link(db, email, "invitation")

    context = browser.new_context(base_url=base_url, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(path)
        page.wait_for_load_state("networkidle")
        expect(page).to_have_url(re.compile(r"/mot-de-passe/definir$"))  # the token left the address bar
        page.get_by_label("Nouveau mot de passe").fill("azertyuiop123")  # a common password: refused, saying why
        page.get_by_label("Le même, une seconde fois").fill("azertyuiop123")
        page.get_by_role("button", name="Enregistrer et se connecter").click()
        expect(page.get_by_role("alert")).to_contain_text("plus courants")
        page.get_by_label("Nouveau mot de passe").fill("le phare du petit minou")
        page.get_by_label("Le même, une seconde fois").fill("le phare du petit minou")
        page.get_by_role("button", name="Enregistrer et se connecter").click()
        expect(page.get_by_role("link", name=name)).to_be_visible()  # signed in, named in the header

        page.goto(path)  # the link is spent
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("alert")).to_contain_text("plus valable")

        other = browser.new_context(base_url=base_url, locale="fr-FR")
        try:
            forgot = other.new_page()
            forgot.goto("/connexion")
            forgot.wait_for_load_state("networkidle")
            forgot.get_by_role("link", name="Mot de passe oublié ?").click()
            expect(forgot.get_by_role("heading", name="Mot de passe oublié")).to_be_visible()
            forgot.wait_for_load_state("networkidle")
            forgot.get_by_label("Adresse e-mail").fill(email)
            forgot.get_by_role("button", name="Recevoir le lien").click()
            expect(forgot.get_by_role("status")).to_contain_text("Si un compte existe", timeout=15_000)
            reset_path = mailed_link(db, email, "password_reset")
            choose_password(forgot, reset_path, "la pointe saint-mathieu au soir")
            forgot.goto("/mon-compte")
            expect(forgot.get_by_role("row").filter(has_text="cette session")).to_have_count(1)
        finally:
            other.close()

        page.goto("/mon-compte")  # the first session ended with the password change
        expect(page).to_have_url(re.compile(r"/connexion$"))
        stack_log = Path(_started.get("data_dir", "/nonexistent")) / "stack.log"
        if stack_log.exists():  # no process of the stack wrote a link's token in its log
            written = stack_log.read_text(errors="replace")
            for link in (path, reset_path):
                assert link.rsplit("/", 1)[-1] not in written
    finally:
        context.close()


def test_an_admin_downloads_a_persons_data_and_erases_the_account(browser: Browser, base_url: str,
                                                                   db: Database) -> None:
    suffix = uuid.uuid4().hex[:6]
    email = f"efface-{suffix}@atelier.demo"
    with signed_in(browser, base_url, "admin") as admin:
        admin.goto("/admin/comptes")
        invite = admin.get_by_role("region", name="Inviter une personne")
        invite.get_by_label("Adresse e-mail").fill(email)
        invite.get_by_label("Nom affiché").fill(f"Efface {suffix}")
        invite.get_by_label("Organisation").select_option("repar-acteurs-brest")
        invite.get_by_role("button", name="Envoyer l'invitation").click()
        row = admin.get_by_role("row").filter(has_text=email)
        with admin.expect_download() as download:
            row.get_by_role("button", name=f"Exporter {email}").click()
        assert email in Path(download.value.path()).read_text(encoding="utf-8")
        row.get_by_label(f"Confirmer l'effacement de {email}").check()
        row.get_by_role("button", name=f"Effacer {email}").click()
        expect(admin.get_by_role("status")).to_be_visible()
        expect(admin.get_by_role("row").filter(has_text=email)).to_have_count(0)
    assert db.fetchval("SELECT count(*) FROM users WHERE email = $1", email) == 0
