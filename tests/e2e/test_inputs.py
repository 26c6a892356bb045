"""Inputs that refuse what they would misread, in the page's language (issue 23), in Chromium.

"0,4" typed in "Poids : proximité" is saved as 0.4 (after the preview of its effect); "04" and "abc" are
refused under the field, named, with nothing saved; no form leaves its checks to the browser, whose bubbles
speak English ("Please match the requested format.") on a French page; /favicon.ico answers.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.pages_by_role import BY_ROLE, SIGNED_OUT, a_device_code, open_page
from tests.e2e.test_admin_operations import french, latest_change, open_admin_page, save_settings
from tests.e2e.test_walking_skeleton import sign_in
from ui import routes

WEIGHT = "Poids : proximité"
WEIGHT_ERROR = "#rs-routing_weight_territory-error"
PREVIEW = "Effet du changement avant enregistrement"

# Forms the browser would check itself (and stop with its own English bubble) before the handler runs.
BROWSER_CHECKED_FORMS = """() => [...document.forms].filter(f => !f.noValidate && [...f.elements].some(e =>
    e.willValidate && (e.required || e.pattern || ['email', 'url', 'number'].includes(e.type) || e.minLength > 0
                       || e.min || e.max))).map(f => f.outerHTML.slice(0, 160))"""


@pytest.fixture
def admin(page: Page) -> Page:
    sign_in(page, "admin")
    open_admin_page(page, "Réglages du routage", "Réglages du routage")
    return page


class TestRoutingWeights:
    def test_a_french_decimal_comma_is_saved_as_meant_after_its_effect_is_shown(self, admin: Page) -> None:
        field = admin.get_by_label(WEIGHT)
        before = field.input_value()
        typed = "0,4" if french(before) != "0,4" else "0,45"
        try:
            field.fill(typed)
            admin.get_by_role("button", name="Enregistrer les réglages").click()
            # The router's own effect on recent devices, before anything is saved.
            expect(admin.get_by_role("heading", name=PREVIEW)).to_be_visible()
            expect(admin.get_by_text(re.compile(r"Le routeur a recalculé les offres des \d+ derniers"))).to_be_visible()
            admin.get_by_role("button", name="Confirmer et enregistrer").click()
            expect(admin.get_by_role("status").filter(has_text="Réglages enregistrés")).to_contain_text(WEIGHT)
            expect(latest_change(admin, WEIGHT).locator("td, th").nth(3)).to_have_text(typed)
            admin.reload()
            expect(admin.get_by_label(WEIGHT)).to_have_value(typed)
            # In English the same value is written with a point: 0.4, never 4.
            admin.get_by_role("button", name="Switch to English").click()
            expect(admin.get_by_role("heading", level=1, name="Routing settings")).to_be_visible()
            admin.reload()
            expect(admin.get_by_label("Weight: nearness")).to_have_value(typed.replace(",", "."))
        finally:
            if admin.get_by_role("button", name="Passer en français").count():
                admin.get_by_role("button", name="Passer en français").click()
                expect(admin.locator("html")).to_have_attribute("lang", "fr")
            save_settings(admin, {WEIGHT: before})

    def test_cancelling_the_preview_saves_nothing(self, admin: Page) -> None:
        before = admin.get_by_label(WEIGHT).input_value()
        admin.get_by_label(WEIGHT).fill("0,9" if french(before) != "0,9" else "0,8")
        admin.get_by_role("button", name="Enregistrer les réglages").click()
        admin.get_by_role("button", name="Annuler le changement").click()
        expect(admin.get_by_role("status")).to_contain_text("rien n'a été enregistré")
        expect(admin.get_by_label(WEIGHT)).to_have_value(before)

    @pytest.mark.parametrize(("typed", "says"), [("04", "0,4 ou 4"), ("abc", "n'est pas un nombre")])
    def test_a_value_it_could_misread_is_refused_with_the_field_named(self, admin: Page, typed: str, says: str) -> None:
        field = admin.get_by_label(WEIGHT)
        before = field.input_value()
        field.fill(typed)
        admin.get_by_role("button", name="Enregistrer les réglages").click()
        error = admin.locator(WEIGHT_ERROR)
        expect(error).to_contain_text(f"« {WEIGHT} »")
        expect(error).to_contain_text(f"« {typed} »")
        expect(error).to_contain_text(says)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", re.compile(WEIGHT_ERROR[1:]))
        expect(admin.get_by_role("alert")).to_contain_text(WEIGHT)
        expect(admin.get_by_role("heading", name=PREVIEW)).to_have_count(0)
        admin.reload()
        expect(admin.get_by_label(WEIGHT)).to_have_value(before)
        expect(admin.get_by_label(WEIGHT)).to_have_attribute("aria-invalid", "false")


def test_the_favicon_answers(page: Page, base_url: str) -> None:
    answer = page.request.get(f"{base_url}/favicon.ico")
    assert answer.status == 200
    assert answer.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file, not a page


def test_the_sign_in_form_answers_an_empty_submit_in_french(page: Page) -> None:
    open_page(page, routes.SIGN_IN)
    page.get_by_role("button", name="Se connecter").click()
    # The handler ran (the browser did not stop the form with its own bubble) and named both fields.
    expect(page.get_by_role("alert")).to_contain_text("à remplir : Adresse e-mail, Mot de passe")


def test_no_french_page_leaves_its_checks_to_the_browser(page: Page, browser: Browser, base_url: str) -> None:
    found: dict[str, list[str]] = {}
    for path in SIGNED_OUT:
        open_page(page, path)
        found[f"signed out {path}"] = page.evaluate(BROWSER_CHECKED_FORMS)
    for role, paths in BY_ROLE.items():
        context = browser.new_context(base_url=base_url, locale="fr-FR")
        try:
            visitor = context.new_page()
            sign_in(visitor, role)
            visited = [*paths, f"/d/{a_device_code(visitor)}"] if role in ("auditor", "admin") else paths
            for path in visited:
                open_page(visitor, path)
                found[f"{role} {path}"] = visitor.evaluate(BROWSER_CHECKED_FORMS)
            assert "Please" not in visitor.locator("body").inner_text()
        finally:
            context.close()
    assert {where: forms for where, forms in found.items() if forms} == {}
