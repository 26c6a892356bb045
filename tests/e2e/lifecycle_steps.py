"""Steps the lifecycle journeys share: one signed-in browser context per role, retiring, waiting for an offer,
and filling the forms of the device page by their labels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from marketplace.demo.loader import DEMO_ACCOUNTS
from tests.e2e.test_walking_skeleton import CODE_RE, until

DESKTOP: ViewportSize = {"width": 1280, "height": 900}


@contextmanager
def signed_in(browser: Browser, base_url: str, role: str, viewport: ViewportSize = DESKTOP) -> Iterator[Page]:
    """A page in a fresh browser context signed in as the demo account of `role` (kept for the whole test)."""
    context = browser.new_context(base_url=base_url, locale="fr-FR", viewport=viewport)
    try:
        page = context.new_page()
        email, password = DEMO_ACCOUNTS[role][:2]
        page.goto("/connexion")
        page.wait_for_load_state("networkidle")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
        yield page
    finally:
        context.close()


def retire(page: Page, serial: str, *, condition: str = "working", category: str = "laptop") -> str:
    """Retire one data-bearing device from the /retirer form; its code."""
    page.get_by_role("navigation").get_by_role("link", name="Retirer un appareil").click()
    expect(page.get_by_role("heading", level=1, name="Retirer un appareil")).to_be_visible()
    page.get_by_label("Catégorie").select_option(category)
    page.get_by_label("Marque").fill("Dell")
    page.get_by_label("Modèle").fill("Latitude 5490")
    page.get_by_label("Numéro de série").fill(serial)
    page.get_by_label("Année d'achat").fill("2019")
    page.get_by_label("État déclaré").select_option(condition)
    page.get_by_label("Contient un support de stockage").check()
    page.get_by_role("button", name="Retirer l'appareil").click()
    status = page.get_by_role("status").filter(has_text="Appareil retiré")
    expect(status).to_be_visible()
    match = CODE_RE.search(status.inner_text())
    assert match, status.inner_text()
    return match.group(0)


def claim_when_offered(page: Page, code: str) -> None:
    """From the offers inbox: wait for the router to offer `code` to this organisation, then claim it."""
    page.get_by_role("navigation").get_by_role("link", name="Offres").click()
    expect(page.get_by_role("heading", level=1, name="Offres ouvertes")).to_be_visible()
    offer = page.get_by_role("article").filter(has_text=code)
    until(lambda: offer.count() > 0, lambda: page.get_by_role("button", name="Actualiser").click())
    offer.get_by_role("button", name=re.compile("^Réclamer l'appareil")).click()
    expect(page.get_by_role("status").filter(has_text="Appareil réclamé")).to_contain_text(code)


def open_device(page: Page, code: str) -> None:
    page.goto(f"/d/{code}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)


def expect_state(page: Page, state: str) -> None:
    expect(page.get_by_text(re.compile(rf"État\s*:\s*{re.escape(state)}$"))).to_be_visible()


def action(page: Page, title: str) -> Locator:
    """The section of one step's form on the device page (a region named by its heading)."""
    section = page.get_by_role("region", name=title, exact=True)
    expect(section).to_be_visible()
    return section


def expect_done(page: Page, state: str) -> None:
    expect(page.get_by_role("status").filter(has_text="Action enregistrée")).to_contain_text(state)
    expect_state(page, state)


def confirm_handover(page: Page, code: str, title: str = "Remise de l'appareil (enlèvement)") -> None:
    form = action(page, title)
    form.get_by_label("Code de l'appareil (scanné ou saisi)").fill(code)
    form.get_by_role("button", name="Confirmer la remise").click()


def show_handover_code(page: Page) -> str:
    """The handing party presses "Afficher un code de remise"; the six digits its screen shows."""
    panel = action(page, "Code de remise")
    panel.get_by_role("button", name="Afficher un code de remise").click()
    shown = panel.get_by_role("status")
    expect(shown).to_contain_text("Valable 15 minutes")
    match = re.search(r"\b(\d{3}) (\d{3})\b", shown.inner_text())
    assert match, shown.inner_text()
    return match.group(1) + match.group(2)


def type_handover_code(page: Page, code: str, title: str = "Remise de l'appareil (enlèvement)") -> Locator:
    """The receiving party types the code it was shown; the form, for more fields before it is sent."""
    form = action(page, title)
    expect(form.get_by_text("demandez-le à la personne qui vous remet l'appareil", exact=False)).to_be_visible()
    form.get_by_label("Code de remise (6 chiffres)").fill(code)
    return form
