"""The admin pages in Chromium: create and edit an organisation, create an account, reset its password, disable
it, unlock it after wrong passwords locked it; and the per-role pages in English."""

from __future__ import annotations

import uuid

from playwright.sync_api import Browser, Page, expect

from tests.e2e.lifecycle_steps import signed_in


def sign_in_as(page: Page, email: str, password: str) -> None:
    page.goto("/connexion")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


class TestAdministration:
    def test_an_admin_creates_an_organisation_and_an_account_then_resets_and_disables_it(
        self, browser: Browser, base_url: str
    ) -> None:
        suffix = uuid.uuid4().hex[:6]
        slug, email = f"atelier-e2e-{suffix}", f"benevole-{suffix}@atelier.demo"
        with signed_in(browser, base_url, "admin") as admin:
            admin.get_by_role("navigation").get_by_role("link", name="Organisations").click()
            new = admin.get_by_role("region", name="Nouvelle organisation")
            new.get_by_label("Identifiant (slug)").fill(slug)
            new.get_by_label("Nom").fill(f"Atelier E2E {suffix}")
            new.get_by_label("Type").select_option("association")
            new.get_by_label("Pays (code)").fill("BREST")
            new.get_by_label("Commune").fill("Brest")
            new.get_by_label("ordinateur portable").check()
            new.get_by_label("Capacité (appareils)").fill("12")
            new.get_by_role("button", name="Créer").click()
            expect(admin.get_by_role("status")).to_contain_text("Enregistré")
            row = admin.get_by_role("row").filter(has_text=slug)
            expect(row).to_contain_text("12")

            row.get_by_role("button", name="Modifier").click()
            edit = admin.get_by_role("region", name=f"Modifier l'organisation {slug}")
            expect(edit.get_by_label("ordinateur portable")).to_be_checked()
            edit.get_by_label("Capacité (appareils)").fill("20")
            edit.get_by_role("button", name="Enregistrer").click()
            expect(admin.get_by_role("row").filter(has_text=slug)).to_contain_text("20")

            admin.get_by_role("navigation").get_by_role("link", name="Comptes").click()
            new = admin.get_by_role("region", name="Nouveau compte")
            new.get_by_label("Adresse e-mail").fill(email)
            new.get_by_label("Nom affiché").fill("Bénévole E2E")
            new.get_by_label("Organisation").select_option(slug)
            new.get_by_label("Mot de passe (12 caractères au moins)").fill("premier-mot-de-passe")
            new.get_by_role("button", name="Créer").click()
            account = admin.get_by_role("row").filter(has_text=email)
            expect(account).to_contain_text("actif")

            account.get_by_label(f"Nouveau mot de passe pour {email}").fill("second-mot-de-passe")
            account.get_by_role("button", name="Réinitialiser le mot de passe").click()
            expect(admin.get_by_role("status")).to_contain_text("Enregistré")

            volunteer = browser.new_context(base_url=base_url, locale="fr-FR")
            try:
                page = volunteer.new_page()
                sign_in_as(page, email, "second-mot-de-passe")
                expect(page.get_by_role("navigation").get_by_role("link", name="Offres")).to_be_visible()
            finally:
                volunteer.close()

            account.get_by_role("button", name="Désactiver").click()
            expect(account).to_contain_text("désactivé")
            volunteer = browser.new_context(base_url=base_url, locale="fr-FR")
            try:
                page = volunteer.new_page()
                sign_in_as(page, email, "second-mot-de-passe")
                expect(page.get_by_role("alert")).to_contain_text("incorrect")
            finally:
                volunteer.close()

    def test_an_admin_sees_an_account_locked_by_wrong_passwords_and_unlocks_it(
        self, browser: Browser, base_url: str
    ) -> None:
        email, password = f"verrou-{uuid.uuid4().hex[:6]}@atelier.demo", "le-bon-mot-de-passe"
        with signed_in(browser, base_url, "admin") as admin:
            admin.get_by_role("navigation").get_by_role("link", name="Comptes").click()
            new = admin.get_by_role("region", name="Nouveau compte")
            new.get_by_label("Adresse e-mail").fill(email)
            new.get_by_label("Nom affiché").fill("Compte à débloquer E2E")
            new.get_by_label("Organisation").select_option("fablab-du-leon-morlaix")
            new.get_by_label("Mot de passe (12 caractères au moins)").fill(password)
            new.get_by_role("button", name="Créer").click()
            expect(admin.get_by_role("row").filter(has_text=email)).to_contain_text("actif")

            stranger = browser.new_context(base_url=base_url, locale="fr-FR")
            try:
                page = stranger.new_page()
                for attempt in range(6):  # five wrong passwords, then the right one is refused too
                    sign_in_as(page, email, password if attempt == 5 else f"devine-{attempt}")
                    expect(page.get_by_role("alert")).to_contain_text(
                        "réessayez dans" if attempt == 5 else "incorrect")
            finally:
                stranger.close()

            admin.reload()
            account = admin.get_by_role("row").filter(has_text=email)
            expect(account).to_contain_text("verrouillé")
            account.get_by_role("button", name=f"Déverrouiller {email}").click()
            expect(admin.get_by_role("status")).to_contain_text("Enregistré")
            expect(account).to_contain_text("actif")
            expect(account.get_by_role("button", name=f"Déverrouiller {email}")).to_have_count(0)

            owner = browser.new_context(base_url=base_url, locale="fr-FR")
            try:
                page = owner.new_page()
                sign_in_as(page, email, password)
                expect(page.get_by_role("navigation").get_by_role("link", name="Offres")).to_be_visible()
            finally:
                owner.close()

    def test_a_non_admin_is_shown_no_admin_page(self, browser: Browser, base_url: str) -> None:
        with signed_in(browser, base_url, "auditor") as auditor:
            expect(auditor.get_by_role("navigation").get_by_role("link", name="Comptes")).to_have_count(0)
            auditor.goto("/admin/comptes")
            expect(auditor.get_by_role("alert")).to_contain_text("réservée à un autre rôle")
            expect(auditor.get_by_role("table")).to_have_count(0)


class TestRolePagesInEnglish:
    def test_a_refurbisher_reads_its_pages_in_english(self, browser: Browser, base_url: str) -> None:
        with signed_in(browser, base_url, "refurbisher") as page:
            page.get_by_role("button", name="Switch to English").click()
            nav = page.get_by_role("navigation")
            nav.get_by_role("link", name="My devices").click()
            expect(page.get_by_role("heading", level=1, name="My devices")).to_be_visible()
            page.get_by_role("table").get_by_role("link").first.click()
            expect(page.get_by_role("heading", level=2, name="Available actions")).to_be_visible()
