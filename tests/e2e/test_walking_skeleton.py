"""The walking skeleton, through the real UI in Chromium: a lycée retires a laptop, an association claims it,
and anyone holding the QR label can read the device's history."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

from playwright.sync_api import Browser, Page, expect

from marketplace.demo.loader import DEMO_ACCOUNTS

CODE_RE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")
ROUTING_WAIT_S = 30.0


def sign_in(page: Page, role: str) -> None:
    email, password = DEMO_ACCOUNTS[role][:2]
    page.goto("/connexion")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1, name="Accueil")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", level=1, name="Connexion")).to_be_visible()


def until(check: Callable[[], bool], refresh: Callable[[], None], timeout_s: float = ROUTING_WAIT_S) -> None:
    """Poll a page that only changes when something happens elsewhere (the router, a worker)."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not there after {timeout_s}s")
        time.sleep(0.5)
        refresh()


def retire_laptop(page: Page, serial: str) -> str:
    page.get_by_role("link", name="Retirer un appareil").first.click()
    expect(page.get_by_role("heading", level=1, name="Retirer un appareil")).to_be_visible()
    page.get_by_label("Catégorie").select_option("laptop")
    page.get_by_label("Marque").fill("Dell")
    page.get_by_label("Modèle").fill("Latitude 5490")
    page.get_by_label("Numéro de série").fill(serial)
    page.get_by_label("Année d'achat").fill("2019")
    page.get_by_label("État déclaré").select_option("working")
    page.get_by_label("Contient un support de stockage").check()
    page.get_by_role("button", name="Retirer l'appareil").click()
    status = page.get_by_role("status").filter(has_text="Appareil retiré")
    expect(status).to_be_visible()
    match = CODE_RE.search(status.inner_text())
    assert match, status.inner_text()
    return match.group(0)


class TestWalkingSkeleton:
    def test_a_retired_laptop_is_offered_claimed_and_traceable_by_its_qr_label(
        self, page: Page, browser: Browser, base_url: str
    ) -> None:
        sign_in(page, "asset_manager")
        code = retire_laptop(page, serial=f"E2E-{uuid.uuid4().hex[:10].upper()}")
        donations = page.get_by_role("table", name="Mes dons")
        expect(donations.get_by_role("row").filter(has_text=code)).to_be_visible()
        sign_out(page)

        sign_in(page, "refurbisher")
        page.get_by_role("link", name="Offres").first.click()
        expect(page.get_by_role("heading", level=1, name="Offres ouvertes")).to_be_visible()
        offer = page.get_by_role("article").filter(has_text=code)
        until(lambda: offer.count() > 0, lambda: page.get_by_role("button", name="Actualiser").click())
        offer.get_by_role("button", name=re.compile("^Réclamer l'appareil")).click()
        expect(page.get_by_role("status").filter(has_text="Appareil réclamé")).to_contain_text(code)
        expect(page.get_by_role("article").filter(has_text=code)).to_have_count(0)

        # The QR label is read by anyone: a fresh browser context, not signed in.
        public = browser.new_context(base_url=base_url, locale="fr-FR")
        try:
            device = public.new_page()
            device.goto(f"/d/{code}")
            expect(device.get_by_role("heading", level=1)).to_contain_text(code)
            expect(device.get_by_text(re.compile(r"État\s*:\s*réclamé"))).to_be_visible()
            timeline = device.get_by_role("table", name="Historique")
            for event in ("retiré", "proposé", "réclamé"):
                expect(timeline.get_by_role("row").filter(has_text=event).first).to_be_visible()

            qr = device.get_by_role("img", name="Code QR")
            expect(qr).to_be_visible()
            assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
            response = device.request.get(qr.get_attribute("src") or "")
            assert response.status == 200
            assert response.headers["content-type"] == "image/png"
            assert response.body().startswith(b"\x89PNG")
        finally:
            public.close()


class TestPages:
    def test_the_interface_switches_to_english_and_back(self, page: Page) -> None:
        page.goto("/connexion")
        page.wait_for_load_state("networkidle")
        page.get_by_role("button", name="Switch to English").click()
        expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
        expect(page.get_by_label("Email address")).to_be_visible()
        page.get_by_role("button", name="Passer en français").click()
        expect(page.get_by_role("heading", level=1, name="Connexion")).to_be_visible()

    def test_a_wrong_password_is_refused_with_a_message(self, page: Page) -> None:
        email = DEMO_ACCOUNTS["asset_manager"][0]
        page.goto("/connexion")
        page.wait_for_load_state("networkidle")
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill("not-the-password")
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("alert")).to_contain_text("incorrect")

    def test_retiring_needs_a_signed_in_user(self, page: Page) -> None:
        page.goto("/retirer")
        expect(page.get_by_role("heading", level=1, name="Connexion")).to_be_visible()
