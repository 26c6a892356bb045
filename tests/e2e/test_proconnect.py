"""Issue 18 in Chromium: the ProConnect button on /connexion, the real test provider's login page, back to the
app signed in with the right role; signing out ends the provider's session too; admins see how each person
signs in on /admin/comptes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, expect

from tests.e2e.lifecycle_steps import signed_in


def assert_the_dsfr_draws_it(button: Locator) -> None:
    """The look is the DSFR's own stylesheet for the ProConnect button, loaded from the npm package: the
    State's blue (#000091) under its inverted text, the ProConnect logo drawn before the text, the Marianne letters, "ProConnect"
    bold. Without that stylesheet the link would be a plain underlined link and every line here fails."""
    look = button.evaluate("""b => {
        const s = getComputedStyle(b), logo = getComputedStyle(b, '::before');
        const brand = getComputedStyle(b.querySelector('.fr-connect__brand'));
        return {background: s.backgroundColor, color: s.color, logo: logo.backgroundImage,
                logoWidth: logo.width, font: brand.fontFamily, weight: brand.fontWeight};
    }""")
    assert look["background"] == "rgb(0, 0, 145)", look
    assert look["color"] == "rgb(245, 245, 254)", look  # the DSFR's text-inverted-blue-france, #f5f5fe
    assert look["logo"].startswith('url("data:image/svg+xml'), look
    assert look["logoWidth"] != "auto" and float(look["logoWidth"].removesuffix("px")) > 0, look
    assert "Marianne" in look["font"], look
    assert int(look["weight"]) >= 700, look


def test_an_agent_signs_in_with_proconnect_and_out_of_both(browser: Browser, base_url: str,
                                                           oidc_provider: Any) -> None:
    if oidc_provider is None:
        pytest.skip("E2E_BASE_URL: no test provider started here")
    context = browser.new_context(base_url=base_url, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto("/connexion")
        button = page.get_by_role("link", name="S’identifier avec ProConnect")
        expect(button).to_be_visible()
        what = page.get_by_role("link", name="Qu’est-ce que ProConnect ?")
        expect(what).to_have_attribute("target", "_blank")
        expect(what).to_have_attribute("title", "Qu’est-ce que ProConnect ? - nouvelle fenêtre")
        assert_the_dsfr_draws_it(button)
        button.click()
        expect(page.get_by_role("heading", name="Fournisseur d'identité de test")).to_be_visible()
        page.get_by_label("gestion@lycee-des-embruns.demo").check()
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
        expect(page).to_have_url(base_url + "/")  # no handoff code left in the address
        expect(page.get_by_text("Lycée des Embruns").first).to_be_visible()
        page.get_by_role("button", name="Se déconnecter").click()
        page.wait_for_url(re.compile(re.escape(base_url) + r"/connexion/?(\?.*)?$"))
        assert len(oidc_provider.ended) == 1 and oidc_provider.ended[0]  # with its id_token_hint
        expect(page.get_by_role("link", name="S’identifier avec ProConnect")).to_be_visible()
    finally:
        context.close()
    with signed_in(browser, base_url, "admin") as admin:
        admin.goto("/admin/comptes")
        row = admin.get_by_role("row").filter(has_text="gestion@lycee-des-embruns.demo")
        expect(row.get_by_role("cell", name="mot de passe, ProConnect")).to_be_visible()
        other = admin.get_by_role("row").filter(has_text="admin@region-bretagne.demo")
        expect(other.get_by_role("cell", name="mot de passe", exact=True)).to_be_visible()
        admin.goto("/admin/organisations")
        admin.get_by_role("button", name="Modifier l'organisation Lycée des Sept-Îles").click()
        admin.get_by_label("Domaines e-mail admis avec ProConnect").fill("@Sept-Iles.example, ac-rennes.fr")
        admin.get_by_label("SIRET admis avec ProConnect").fill("193 500 016 00015")
        admin.get_by_role("button", name="Enregistrer").click()
        expect(admin.get_by_text("Enregistré").first).to_be_visible()
        admin.get_by_role("button", name="Modifier l'organisation Lycée des Sept-Îles").click()
        expect(admin.get_by_label("Domaines e-mail admis avec ProConnect")).to_have_value(
            "ac-rennes.fr, sept-iles.example")
        expect(admin.get_by_label("SIRET admis avec ProConnect")).to_have_value("19350001600015")
