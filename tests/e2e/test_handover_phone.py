"""A pickup on two phones (390 x 844), in Chromium: the claimer's form asks for the one-time handover code, not the
public device code; the donor shows a code on its own screen; a wrong code is refused with a sentence and changes
nothing; the right one, typed on the claimer's phone, records the collection with how it was proven. Both screens
pass axe-core's WCAG 2.1 AA rules in their actions panel."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e import axe
from tests.e2e.lifecycle_steps import (
    claim_when_offered,
    expect_done,
    expect_state,
    open_device,
    retire,
    show_handover_code,
    signed_in,
    type_handover_code,
)

PHONE: ViewportSize = {"width": 390, "height": 844}
ACTIONS = ".actions-panel"
SHOTS = Path(tempfile.gettempdir()) / "seconde-vie-phone"


def _fits_the_screen(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "horizontal scrolling"


class TestPickupOnPhones:
    def test_the_donor_shows_a_code_the_claimer_types_it_and_the_device_is_collected(self, browser: Browser,
                                                                                    base_url: str) -> None:
        with signed_in(browser, base_url, "asset_manager", PHONE) as donor, \
                signed_in(browser, base_url, "refurbisher", PHONE) as claimer:
            code = retire(donor, f"E2E-PHONE-{uuid.uuid4().hex[:8].upper()}")
            claim_when_offered(claimer, code)
            open_device(claimer, code)
            open_device(donor, code)
            expect_state(claimer, "réclamé")

            # The claimer's form has no field for the label's code: only the handover code, on a numeric keypad.
            form = type_handover_code(claimer, "")
            expect(form.get_by_label("Code de l'appareil (scanné ou saisi)")).to_have_count(0)
            expect(form.get_by_label("Code de remise (6 chiffres)")).to_have_attribute("inputmode", "numeric")
            expect(claimer.get_by_role("button", name="Afficher un code de remise")).to_have_count(0)
            assert not axe.violations(claimer, ACTIONS), axe.describe("claimer", axe.violations(claimer, ACTIONS))

            shown = show_handover_code(donor)
            expect(donor.get_by_role("region", name="Code de remise")).to_contain_text("repar-acteurs-brest")
            SHOTS.mkdir(parents=True, exist_ok=True)
            donor.screenshot(path=str(SHOTS / "handover-code-390.png"), full_page=True)
            _fits_the_screen(donor)
            assert not axe.violations(donor, ACTIONS), axe.describe("donor", axe.violations(donor, ACTIONS))

            wrong = f"{(int(shown) + 1) % 1_000_000:06d}"
            type_handover_code(claimer, wrong).get_by_role("button", name="Confirmer la remise").click()
            expect(claimer.get_by_role("alert")).to_contain_text("Ce n'est pas le bon code de remise")
            expect(claimer.get_by_role("alert")).to_contain_text("Essais restants avant son annulation : 4")
            expect_state(claimer, "réclamé")

            type_handover_code(claimer, f"{shown[:3]} {shown[3:]}").get_by_role(
                "button", name="Confirmer la remise").click()
            expect_done(claimer, "collecté")
            claimer.screenshot(path=str(SHOTS / "handover-collected-390.png"), full_page=True)
            _fits_the_screen(claimer)
            trail = claimer.get_by_role("table", name="Historique")
            expect(trail.get_by_role("row").filter(has_text="collecté")).to_contain_text(
                "code de remise saisi par qui reçoit l'appareil")
