"""Issue 18 in Chromium: the ProConnect button on /connexion, the real test provider's login page, back to the
app signed in with the right role; signing out ends the provider's session too; admins see how each person
signs in on /admin/comptes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.lifecycle_steps import signed_in


def test_an_agent_signs_in_with_proconnect_and_out_of_both(browser: Browser, base_url: str,
                                                           oidc_provider: Any) -> None:
    if oidc_provider is None:
        pytest.skip("E2E_BASE_URL: no test provider started here")
    context = browser.new_context(base_url=base_url, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto("/connexion")
        button = page.get_by_role("link", name="S'identifier avec ProConnect")
        expect(button).to_be_visible()
        expect(page.get_by_role("link", name="Qu'est-ce que ProConnect ?")).to_be_visible()
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
        expect(page.get_by_role("link", name="S'identifier avec ProConnect")).to_be_visible()
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
