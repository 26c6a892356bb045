"""Each role lands on a home page that says what needs its attention now, with counts, in its language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.lifecycle_steps import signed_in

pytestmark = pytest.mark.e2e

COUNT = re.compile(r"\d+$")
EXPECTED = {
    "asset_manager": ["Dons en attente d'enlèvement"],
    "refurbisher": ["Offres qui expirent dans les 24 h", "Appareils qui attendent une étape chez vous"],
    "third_place": ["Réservations à retirer"],
    "admin": ["Lettres mortes à traiter", "Appareils non réclamés"],
}


class TestHomeAttention:
    @pytest.mark.parametrize("role", list(EXPECTED))
    def test_the_home_page_counts_what_the_role_has_to_do(self, browser: Browser, base_url: str, role: str) -> None:
        with signed_in(browser, base_url, role) as page:
            panel = page.get_by_role("region", name="À traiter maintenant")
            expect(panel).to_be_visible()
            # Admins also see the counts of their own role's work.
            for label in EXPECTED[role]:
                line = panel.get_by_role("listitem").filter(has_text=label)
                expect(line).to_have_count(1)
                assert COUNT.search(line.inner_text().strip()), line.inner_text()

    def test_an_auditor_is_told_nothing_is_waiting(self, browser: Browser, base_url: str) -> None:
        with signed_in(browser, base_url, "auditor") as page:
            panel = page.get_by_role("region", name="À traiter maintenant")
            expect(panel).to_contain_text("Rien ne vous attend pour l'instant.")

    def test_the_panel_follows_the_language_toggle(self, browser: Browser, base_url: str) -> None:
        with signed_in(browser, base_url, "refurbisher") as page:
            page.get_by_role("button", name="Switch to English").click()
            panel = page.get_by_role("region", name="Needs your attention now")
            expect(panel).to_contain_text("Offers expiring within 24 h")
            panel.get_by_role("link", name=re.compile("Devices waiting for a step")).click()
            expect(page.get_by_role("heading", level=1, name="My devices")).to_be_visible()
