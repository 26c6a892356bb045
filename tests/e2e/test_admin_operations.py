"""Admin operations in Chromium (issue 4): dead letters from a real Kafka producer, replayed or discarded;
routing settings and their history; unclaimed devices routed again or written off; non-admins refused."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from marketplace.demo.loader import DEMO_ACCOUNTS
from tests.e2e.test_walking_skeleton import retire_laptop, sign_in, sign_out

INTAKE_TOPIC = "assets.retirements.v1"
K_LABEL = "Organisations sollicitées par tour (k)"
TTL_LABEL = "Validité d'une offre (heures)"
ROUNDS_LABEL = "Nombre maximal de tours de routage"


def produce_intake(bootstrap: str, donor: str, serial: str) -> None:
    """Write one intake message as any outside system would (kafka-python: kcat fails against Tansu)."""
    from kafka import KafkaProducer

    message = {"request_id": f"e2e-{serial}", "donor": donor, "category": "laptop", "brand": "Lenovo",
               "model": "ThinkPad T470", "serial": serial, "year": 2019, "condition": "working", "has_storage": True}
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    try:
        producer.send(INTAKE_TOPIC, key=donor.encode(), value=json.dumps(message).encode()).get(timeout=30)
    finally:
        producer.close()


def visible_after_refreshes(target: Locator, refresh: Callable[[], None], attempts: int = 20) -> None:
    """Something a worker does elsewhere: refresh the page until Playwright sees it (each look polls)."""
    for _ in range(attempts):
        refresh()
        try:
            expect(target).to_be_visible(timeout=3_000)
            return
        except AssertionError:
            continue
    expect(target).to_be_visible()


def open_admin_page(page: Page, link: str, heading: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()


def letter_row(page: Page, donor: str) -> Locator:
    return page.get_by_role("table", name="Liste des lettres mortes").get_by_role("row").filter(has_text=donor)


def show_letters(page: Page, status: str) -> None:
    page.get_by_label("Statut").select_option(status)
    page.get_by_role("button", name="Afficher").click()


def wait_for_letter(page: Page, donor: str) -> Locator:
    open_admin_page(page, "Lettres mortes", "Lettres mortes")
    row = letter_row(page, donor)
    visible_after_refreshes(row, lambda: page.get_by_role("button", name="Afficher").click())
    return row


def latest_change(page: Page, label: str) -> Locator:
    """The newest row of the history for one setting (the history lists the newest first)."""
    return page.get_by_role("table", name="Historique des changements").get_by_role("row").filter(has_text=label).first


def french(value: str) -> str:
    """A value as the French page writes it back: 0.001 reads 0,001."""
    return value.replace(".", ",")


def save_settings(page: Page, values: dict[str, str]) -> None:
    """Fill the routing settings form by its labels and save (confirming the preview a change of k or of a
    weight shows first); each changed value shows up in the history, written the French way."""
    if page.get_by_role("heading", level=1, name="Réglages du routage").count() == 0:
        open_admin_page(page, "Réglages du routage", "Réglages du routage")
    expect(page.get_by_role("button", name="Enregistrer les réglages")).to_be_visible()
    changed = {label: value for label, value in values.items()
               if french(page.get_by_label(label).input_value()) != french(value)}
    if not changed:
        return
    for label, value in changed.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Enregistrer les réglages").click()
    if any(label == K_LABEL or label.startswith("Poids") for label in changed):
        page.get_by_role("button", name="Confirmer et enregistrer").click()
    for label, value in changed.items():
        # Cells: when, setting, old value, new value, who.
        expect(latest_change(page, label).locator("td, th").nth(3)).to_have_text(french(value))
        expect(page.get_by_label(label)).to_have_value(french(value))


@pytest.fixture
def admin(page: Page) -> Page:
    sign_in(page, "admin")
    return page


class TestDeadLetters:
    def test_a_message_for_an_unknown_donor_shows_its_reason_and_can_be_discarded(
        self, admin: Page, broker_bootstrap: str
    ) -> None:
        donor = f"lycee-inconnu-{uuid.uuid4().hex[:8]}"
        serial = f"E2E-DL-{uuid.uuid4().hex[:8].upper()}"
        produce_intake(broker_bootstrap, donor, serial)

        row = wait_for_letter(admin, donor)
        expect(row).to_contain_text(f"Organisation donatrice inconnue : {donor}")
        expect(row).to_contain_text(INTAKE_TOPIC)
        expect(row).to_contain_text("nouvelle")
        # The original message, as text in a <pre> (never interpreted as markup).
        original = row.locator("pre")
        expect(original).to_contain_text(f'"serial": "{serial}"')
        expect(original).to_have_accessible_name(re.compile(r"^Message d'origine de la lettre n°\s*\d+$"))

        row.get_by_role("button", name="Écarter").click()
        expect(admin.get_by_role("status").filter(has_text="écartée")).to_be_visible()
        expect(row).to_have_count(0)

        show_letters(admin, "discarded")
        expect(row).to_contain_text("écartée")
        expect(row.get_by_role("button")).to_have_count(0)

    def test_the_original_message_is_shown_as_text_never_as_markup(self, admin: Page, broker_bootstrap: str) -> None:
        from kafka import KafkaProducer

        marker = f"e2e-markup-{uuid.uuid4().hex[:8]}"
        hostile = f'<img src="x" onerror="window.__dead_letter_ran = 1"><b>{marker}</b>'
        producer = KafkaProducer(bootstrap_servers=broker_bootstrap)
        try:
            producer.send(INTAKE_TOPIC, key=marker.encode(), value=hostile.encode()).get(timeout=30)
        finally:
            producer.close()

        row = wait_for_letter(admin, marker)
        expect(row.locator("pre")).to_have_text(hostile)
        expect(row.locator("img, b")).to_have_count(0)
        assert admin.evaluate("() => window.__dead_letter_ran === undefined")
        row.get_by_role("button", name="Écarter").click()
        expect(row).to_have_count(0)

    def test_a_message_replayed_after_its_donor_was_created_retires_the_device(
        self, admin: Page, broker_bootstrap: str
    ) -> None:
        donor = f"lycee-nouveau-{uuid.uuid4().hex[:8]}"
        serial = f"E2E-RP-{uuid.uuid4().hex[:8].upper()}"
        produce_intake(broker_bootstrap, donor, serial)
        wait_for_letter(admin, donor)

        # The cause is fixed through the admin organisation page: the donor now exists.
        open_admin_page(admin, "Organisations", "Organisations")
        form = admin.get_by_role("region", name="Nouvelle organisation")
        form.get_by_label("Identifiant (slug)").fill(donor)
        form.get_by_label("Nom", exact=True).fill("Lycée créé pendant le test")
        form.get_by_label("Type").select_option("lycee")
        form.get_by_label("Pays (code)").fill("BREST")
        form.get_by_label("Commune").fill("Landerneau")
        form.get_by_role("button", name="Créer").click()
        expect(admin.get_by_role("status").filter(has_text="Enregistré")).to_be_visible()

        open_admin_page(admin, "Lettres mortes", "Lettres mortes")
        row = letter_row(admin, donor)
        expect(row).to_be_visible()
        # Keyboard: the replay button takes focus and Enter presses it.
        replay = row.get_by_role("button", name="Rejouer")
        replay.focus()
        expect(replay).to_be_focused()
        admin.keyboard.press("Enter")
        expect(admin.get_by_role("status").filter(has_text="rejouée")).to_contain_text(INTAKE_TOPIC)
        expect(row).to_have_count(0)

        # The intake worker takes the replayed message: the device now exists for that donor.
        open_admin_page(admin, "Tous les appareils", "Tous les appareils")
        admin.get_by_label("Donateur", exact=True).select_option(label="Lycée créé pendant le test")
        device = admin.get_by_role("row").filter(has_text="Lycée créé pendant le test")
        visible_after_refreshes(device, lambda: admin.get_by_role("button", name="Filtrer").click())
        expect(device).to_contain_text("ThinkPad T470")


class TestRoutingSettings:
    def test_an_admin_changes_k_and_the_history_says_who_changed_it_from_what_to_what(self, admin: Page) -> None:
        open_admin_page(admin, "Réglages du routage", "Réglages du routage")
        k = admin.get_by_label(K_LABEL)
        expect(k).not_to_have_value("")
        before = k.input_value()
        after = "4" if before != "4" else "5"
        try:
            save_settings(admin, {K_LABEL: after})
            expect(admin.get_by_role("status").filter(has_text="Réglages enregistrés")).to_contain_text(K_LABEL)
            latest = latest_change(admin, K_LABEL).locator("td, th")
            expect(latest.nth(2)).to_have_text(before)
            expect(latest.nth(3)).to_have_text(after)
            expect(latest.nth(4)).to_have_text(DEMO_ACCOUNTS["admin"][0])

            admin.reload()
            expect(admin.get_by_label(K_LABEL)).to_have_value(after)
        finally:
            save_settings(admin, {K_LABEL: before})

    def test_a_refused_value_is_explained_with_the_field_named(self, admin: Page) -> None:
        open_admin_page(admin, "Réglages du routage", "Réglages du routage")
        # A deadline of 0 hours is no deadline: more than 0 is asked.
        admin.get_by_label("Délai d'enlèvement après réclamation (heures)").fill("0")
        admin.get_by_role("button", name="Enregistrer les réglages").click()
        expect(admin.get_by_role("alert")).to_contain_text("Délai d'enlèvement après réclamation (heures)")
        admin.reload()
        expect(admin.get_by_label("Délai d'enlèvement après réclamation (heures)")).not_to_have_value("0")


@pytest.fixture
def one_round_short_offers(admin: Page, browser: Browser, base_url: str) -> Iterator[Page]:
    """Offers expire in seconds and one round is the last: devices land in the unclaimed list quickly."""
    open_admin_page(admin, "Réglages du routage", "Réglages du routage")
    before = {label: admin.get_by_label(label).input_value() for label in (TTL_LABEL, ROUNDS_LABEL)}
    try:
        save_settings(admin, {TTL_LABEL: "0.001", ROUNDS_LABEL: "1"})
        yield admin
    finally:
        # Whatever state the test left its page in, the next tests need the usual settings back.
        context = browser.new_context(base_url=base_url, locale="fr-FR")
        try:
            restorer = context.new_page()
            sign_in(restorer, "admin")
            save_settings(restorer, before)
        finally:
            context.close()


class TestUnclaimed:
    def test_an_unclaimed_device_can_be_routed_again_or_written_off(self, one_round_short_offers: Page) -> None:
        page = one_round_short_offers
        sign_out(page)
        sign_in(page, "asset_manager")
        to_route = retire_laptop(page, serial=f"E2E-UN-{uuid.uuid4().hex[:8].upper()}")
        to_write_off = retire_laptop(page, serial=f"E2E-UN-{uuid.uuid4().hex[:8].upper()}")
        sign_out(page)

        sign_in(page, "admin")
        open_admin_page(page, "Appareils non réclamés", "Appareils non réclamés")
        table = page.get_by_role("table", name="Liste des appareils non réclamés")
        refresh = page.get_by_role("button", name="Actualiser")
        for code in (to_route, to_write_off):
            visible_after_refreshes(table.get_by_role("row").filter(has_text=code), refresh.click)
        row = table.get_by_role("row").filter(has_text=to_write_off)
        expect(row).to_contain_text("ordinateur portable")
        expect(row).to_contain_text("Lycée des Embruns")
        expect(row).to_contain_text("BREST")
        expect(row.get_by_role("link", name=to_write_off)).to_have_attribute("href", f"/d/{to_write_off}")

        # Offers made now must not expire in seconds: restore the expiry before routing again.
        save_settings(page, {TTL_LABEL: "72"})
        open_admin_page(page, "Appareils non réclamés", "Appareils non réclamés")
        table.get_by_role("row").filter(has_text=to_route).get_by_role("button", name="Relancer le routage").click()
        expect(page.get_by_role("status")).to_contain_text(f"Routage relancé pour {to_route}")
        expect(table.get_by_role("row").filter(has_text=to_route)).to_have_count(0)

        row.get_by_label(f"Motif de radiation de l'appareil {to_write_off}").fill("Volé pendant le transport")
        row.get_by_role("button", name="Radier").click()
        expect(page.get_by_role("status")).to_contain_text(f"Appareil {to_write_off} radié")
        expect(row).to_have_count(0)

        page.goto(f"/d/{to_write_off}")
        expect(page.get_by_text("sorti de l'inventaire").first).to_be_visible()


class TestRefusals:
    @pytest.mark.parametrize("path", ["/admin/lettres-mortes", "/admin/non-reclames", "/admin/routage"])
    def test_the_auditor_is_refused_and_sees_no_data(self, page: Page, path: str) -> None:
        sign_in(page, "auditor")
        for link in ("Lettres mortes", "Appareils non réclamés", "Réglages du routage"):
            expect(page.get_by_role("navigation").get_by_role("link", name=link)).to_have_count(0)
        page.goto(path)
        expect(page.get_by_role("alert")).to_have_text("Cette page est réservée aux administrateurs.")
        expect(page.get_by_role("table")).to_have_count(0)
        expect(page.get_by_role("spinbutton")).to_have_count(0)
        expect(page.get_by_role("button", name="Enregistrer les réglages")).to_have_count(0)

    def test_without_a_session_the_pages_ask_to_sign_in(self, page: Page) -> None:
        page.goto("/admin/lettres-mortes")
        expect(page.get_by_role("heading", level=1, name="Connexion")).to_be_visible()
