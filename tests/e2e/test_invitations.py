"""Issue 17 in Chromium: an admin invites a person from /admin/comptes; the person opens the e-mailed link,
chooses a password and is signed in; a device retired in the workshop's territory e-mails the invitee an offer
that links to /offres; "mot de passe oublié" works the same way and ends the other sessions. Every link is read
from the e-mail as the stack's real SMTP server (the aiosmtpd catcher of `seconde-vie up`) received it."""

from __future__ import annotations

import email
import re
import time
import uuid
from collections.abc import Iterator
from email import policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import _started
from tests.e2e.forging import Database
from tests.e2e.lifecycle_steps import signed_in
from tests.e2e.test_walking_skeleton import retire_laptop

LINK = re.compile(r"https?://\S+/mot-de-passe/definir/[A-Za-z0-9_-]{43}")


@pytest.fixture
def db(stack_database_url: str) -> Iterator[Database]:
    database = Database(stack_database_url)  # its own thread and loop: Playwright owns this one
    try:
        yield database
    finally:
        database.close()


def _caught(message_id_part: str, timeout_s: float = 60.0) -> email.message.EmailMessage:
    """The e-mail that the stack's SMTP server (the catcher of `seconde-vie up`, DATA_DIR/mail) received."""
    folder = Path(_started["data_dir"]) / "mail"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.eml"), reverse=True):
            msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if message_id_part in str(msg["Message-ID"]):
                return msg  # type: ignore[return-value]
        time.sleep(0.3)
    raise AssertionError(f"the SMTP server received no e-mail {message_id_part} in {folder}")


def _plain(msg: email.message.EmailMessage) -> str:
    body = msg.get_body(("plain",))
    assert body is not None, msg
    return str(body.get_content())


def mailed_link(db: Database, to: str, kind: str) -> str:
    """The path of the newest link of `kind` e-mailed to `to`, read from the e-mail as the SMTP server got it."""
    for _ in range(100):
        mail_id = db.fetchval("SELECT id::text FROM mail_queue WHERE to_email = $1 AND kind = $2 "
                              "ORDER BY created_at DESC LIMIT 1", to, kind)
        if mail_id:
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"no {kind} e-mail queued for {to}")
    msg = _caught(mail_id)
    assert str(msg["To"]) == to
    found = LINK.search(_plain(msg))
    assert found, _plain(msg)
    return urlsplit(found.group(0)).path


def offer_mail_to(to: str, code: str, timeout_s: float = 90.0) -> email.message.EmailMessage:
    """The e-mail to `to` that the SMTP server received and that names the device `code`."""
    folder = Path(_started["data_dir"]) / "mail"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.eml"), reverse=True):
            msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if str(msg["To"]) == to and code in _plain(msg):  # type: ignore[arg-type]
                return msg  # type: ignore[return-value]
        time.sleep(0.5)
    raise AssertionError(f"no e-mail to {to} names {code} in {folder}")


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

        # A device retired in Brest is offered to the invitee's workshop: the invitee is e-mailed the offer.
        with signed_in(browser, base_url, "asset_manager") as manager:
            code = retire_laptop(manager, serial=f"E2E-INVITE-{suffix.upper()}")
        offer = _plain(offer_mail_to(email, code))
        assert "/offres" in offer
        page.goto(urlsplit(re.search(r"https?://\S+/offres\S*", offer).group(0)).path)  # type: ignore[union-attr]
        expect(page.get_by_role("heading", level=1, name="Offres ouvertes")).to_be_visible()
        expect(page.get_by_role("main")).to_contain_text(code)

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
