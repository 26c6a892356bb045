"""Issue 17 in Chromium: a person chooses per kind of notification on /preferences, and the choice stays."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.e2e.lifecycle_steps import signed_in


def test_a_refurbisher_chooses_a_daily_digest_for_new_offers_and_it_is_kept(browser: Browser, base_url: str) -> None:
    with signed_in(browser, base_url, "refurbisher") as page:
        page.get_by_role("navigation").get_by_role("link", name="Notifications").click()
        expect(page.get_by_role("heading", level=1, name="Préférences de notification")).to_be_visible()
        offers = page.get_by_label("Nouvelles offres")
        expect(offers).to_have_value("now")  # the default for an association
        expect(page.get_by_label("Fins de réservation")).to_have_count(0)  # not theirs: not listed
        offers.select_option("daily")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("status").filter(has_text="Préférences enregistrées")).to_be_visible()
        page.reload()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_label("Nouvelles offres")).to_have_value("daily")
        page.get_by_label("Nouvelles offres").select_option("now")  # leave the demo account as it was
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("status").filter(has_text="Préférences enregistrées")).to_be_visible()
