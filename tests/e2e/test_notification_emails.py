"""Issue 17 in Chromium: a device retired in the demo produces an offer e-mail, caught by the local SMTP
server of `seconde-vie up` and readable by an admin on /admin/courriels, with the device and the link."""

from __future__ import annotations

import email
import time
import uuid
from email import policy
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e import conftest
from tests.e2e.lifecycle_steps import signed_in
from tests.e2e.test_walking_skeleton import retire_laptop


def caught_with(code: str, timeout_s: float = 90.0, to: set[str] | None = None) -> email.message.EmailMessage:
    """The e-mail of the local catcher (DATA_DIR/mail) that names the device `code` (sent to one of `to`)."""
    folder = Path(conftest._started["data_dir"]) / "mail"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.eml"), reverse=True):
            msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            body = msg.get_body(("plain",))  # type: ignore[attr-defined]
            if body is not None and code in body.get_content() and (to is None or str(msg["To"]) in to):
                return msg  # type: ignore[return-value]
        time.sleep(0.5)
    raise AssertionError(f"no e-mail names {code} in {folder}")


def test_a_device_retired_in_the_demo_produces_an_offer_email_admins_read(browser: Browser, base_url: str) -> None:
    with signed_in(browser, base_url, "asset_manager") as manager:
        code = retire_laptop(manager, serial=f"E2E-MAIL-{uuid.uuid4().hex[:8].upper()}")
    msg = caught_with(code)
    assert "offre" in str(msg["Subject"]) and msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with signed_in(browser, base_url, "admin") as admin:
        admin.goto("/admin/courriels")
        expect(admin.get_by_role("heading", level=1, name="Courriels envoyés")).to_be_visible()
        rows = admin.get_by_role("table").first.get_by_role("row").filter(has_text=str(msg["To"]))
        expect(rows.first).to_be_visible()
        opened = admin.locator("pre.mail-text")
        for i in range(min(rows.count(), 20)):
            rows.nth(i).get_by_role("button").click()
            expect(opened).to_be_visible()
            if code in opened.inner_text():
                break
        else:
            raise AssertionError(f"no e-mail to {msg['To']} on /admin/courriels names {code}")
        expect(opened).to_contain_text("/offres")


def test_the_unsubscribe_link_of_an_email_turns_its_kind_off_in_one_click(browser: Browser, base_url: str) -> None:
    from marketplace.demo.catalogue import DEMO_ACCOUNTS

    with signed_in(browser, base_url, "asset_manager") as manager:
        code = retire_laptop(manager, serial=f"E2E-UNSUB-{uuid.uuid4().hex[:8].upper()}")
    # People other tests invited into the demo workshops are mailed too: take a demo account's e-mail.
    msg = caught_with(code, to={account[0] for account in DEMO_ACCOUNTS.values()})
    link = str(msg["List-Unsubscribe"]).strip("<>")
    role = next(r for r, account in DEMO_ACCOUNTS.items() if account[0] == msg["To"])
    visitor = browser.new_context(base_url=base_url, locale="fr-FR")
    try:
        page = visitor.new_page()
        page.goto(link.replace(link.split("/notifications/")[0], base_url))
        expect(page.get_by_role("heading", level=1, name="Se désabonner")).to_be_visible()
        expect(page.get_by_text("Ne plus recevoir les courriels « Nouvelles offres » ?")).to_be_visible()
        page.get_by_role("button", name="Me désabonner").click()
        expect(page.get_by_text("vous ne recevrez plus les courriels « Nouvelles offres »")).to_be_visible()
    finally:
        visitor.close()
    with signed_in(browser, base_url, role) as person:
        person.goto("/preferences")
        offers = person.get_by_label("Nouvelles offres")
        expect(offers).to_have_value("never")
        offers.select_option("now")  # leave the demo account as it was
        person.get_by_role("button", name="Enregistrer").click()
        expect(person.get_by_role("status").filter(has_text="Préférences enregistrées")).to_be_visible()
