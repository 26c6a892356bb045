"""Issue 19 in Chromium, on a phone: /offres shows the offers by donor site as cards people can decide on
(what the device is, its specs, how far, until when, why, in words), and twenty devices are claimed in one
action, each claim winning on its own; a device another workshop took first is named as not claimed."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.lifecycle_steps import signed_in
from tests.e2e.seeding import Seeder

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def seeder(stack_database_url: str) -> Iterator[Seeder]:
    seeding = Seeder(stack_database_url)
    try:
        yield seeding
    finally:
        seeding.close()


def test_twenty_devices_of_one_site_claimed_in_one_action(browser: Browser, base_url: str, seeder: Seeder) -> None:
    run = uuid.uuid4().hex[:6].upper()
    codes = [seeder.wait_offered(code) for code in [seeder.retire(f"SITE{run}{i:02d}") for i in range(20)]]
    with signed_in(browser, base_url, "refurbisher", viewport=PHONE) as page:
        page.goto("/offres")
        site = page.get_by_role("region", name=re.compile(r"^Lycée des Embruns"))
        expect(site).to_be_visible()
        card = site.get_by_role("article").filter(has_text=codes[0])
        expect(card).to_contain_text("ordinateur portable Dell Latitude 5490")
        expect(card).to_contain_text("2019 · état déclaré : fonctionne")  # words, not the code `working`
        expect(card).to_contain_text("offre valable jusqu’au")
        expect(card).to_contain_text("Pourquoi :")
        card.get_by_text("Détail du score").click()
        expect(card.get_by_text(re.compile(r"^Score : \d"))).to_be_visible()
        for code in codes:
            site.get_by_role("checkbox", name=re.compile(re.escape(code))).check()
        expect(page.get_by_text("20 sélectionné(s)")).to_be_visible()
        # Meanwhile one device of the selection is claimed from another tab: that claim of the twenty loses
        # on its own, the nineteen others go through.
        seeder.act("refurbisher", codes[7], "claim", {})
        page.get_by_role("button", name="Réclamer la sélection").click()
        results = page.get_by_role("status").filter(has_text="Réclamations")
        expect(results.get_by_role("listitem")).to_have_count(20)
        for i, code in enumerate(codes):
            line = results.get_by_role("listitem").filter(has_text=code)
            expect(line).to_contain_text("non réclamé" if i == 7 else "réclamé")
        expect(site.get_by_role("article").filter(has_text=codes[0])).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # All twenty are now claimed by the association: the lycée may hand each one over.
    donor = seeder.token("asset_manager")
    for code in codes:
        assert "collect" in seeder.available(donor, code), code
