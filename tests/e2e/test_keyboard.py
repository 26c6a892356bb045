"""A whole journey with the keyboard alone (Tab, Shift-Tab, Enter, Space; no click): the asset manager signs
in, retires a device and opens its page. Every element that takes the focus on the way shows it."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Locator, Page, expect

from marketplace.demo.loader import DEMO_ACCOUNTS

pytestmark = pytest.mark.e2e

CODE_RE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
MAX_TABS = 80

# Computed on the focused element: a real outline (the stylesheet's :focus-visible) or a focus ring shadow.
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  return {shown: outline || s.boxShadow !== 'none', what: el.tagName + ' ' + (el.textContent || el.id || '').trim().slice(0, 40)};
}"""


class Keyboard:
    """Moves the focus with Tab only and notes every stop where the focus is not visible."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.unseen: list[str] = []
        self.stops = 0

    def _note(self) -> None:
        focus = self.page.evaluate(FOCUS_SHOWN)
        if focus is not None:
            self.stops += 1
            if not focus["shown"]:
                self.unseen.append(focus["what"])

    def tab_to(self, target: Locator, backwards: bool = False) -> None:
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            self._note()
            if target.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"{MAX_TABS} presses of Tab never reached {target}")


class TestKeyboardOnly:
    def test_the_asset_manager_signs_in_retires_a_device_and_opens_its_page(self, page: Page) -> None:
        email, password = DEMO_ACCOUNTS["asset_manager"][:2]
        keys = Keyboard(page)
        page.goto("/connexion")
        page.wait_for_load_state("networkidle")

        # The skip link comes first and takes the focus to the content.
        keys.tab_to(page.get_by_role("link", name="Aller au contenu"))
        keys.tab_to(page.get_by_label("Adresse e-mail"))
        page.keyboard.type(email)
        keys.tab_to(page.get_by_label("Mot de passe"))
        page.keyboard.type(password)
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

        nav = page.get_by_role("navigation")
        keys.tab_to(nav.get_by_role("link", name="Retirer un appareil"))
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1, name="Retirer un appareil")).to_be_visible()
        page.wait_for_load_state("networkidle")

        keys.tab_to(page.get_by_label("Marque"))
        page.keyboard.type("Dell")
        keys.tab_to(page.get_by_label("Modèle"))
        page.keyboard.type("Latitude 7490")
        keys.tab_to(page.get_by_label("Numéro de série"))
        page.keyboard.type(f"SN-KBD-{uuid.uuid4().hex[:8].upper()}")
        # Shift-Tab back to the category, chosen by typing the start of its label.
        keys.tab_to(page.get_by_label("Catégorie"), backwards=True)
        page.keyboard.type("ordinateur p")
        expect(page.get_by_label("Catégorie")).to_have_value("laptop")
        keys.tab_to(page.get_by_label("Année d'achat"))
        page.keyboard.type("2018")
        checkbox = page.get_by_label("Contient un support de stockage")
        keys.tab_to(checkbox)
        page.keyboard.press("Space")
        expect(checkbox).not_to_be_checked()
        page.keyboard.press("Space")
        expect(checkbox).to_be_checked()
        keys.tab_to(page.get_by_role("button", name="Retirer l'appareil"))
        page.keyboard.press("Enter")

        status = page.get_by_role("status").filter(has_text="Appareil retiré")
        expect(status).to_be_visible()
        match = CODE_RE.search(status.inner_text())
        assert match, status.inner_text()
        keys.tab_to(status.get_by_role("link", name="Voir la fiche de l'appareil"))
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(f"/d/{match.group(0)}$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text(match.group(0))
        expect(page.get_by_text("Latitude 7490").first).to_be_visible()

        assert keys.stops > 10
        assert not keys.unseen, f"focus not visible on: {keys.unseen}"
