"""Switched to English, no page of any role shows French UI text left, dates read the English way and the
browser tab's title is English; the router's reasons, the trail and the reports' notes too (issue 10)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from marketplace.demo.catalogue import ORGANISATIONS
from marketplace.demo.loader import DEMO_ACCOUNTS
from marketplace.i18n import catalogues
from tests.e2e.lifecycle_steps import signed_in
from tests.e2e.pages_by_role import BY_ROLE, SIGNED_OUT, a_device_code, open_page
from ui import routes

pytestmark = pytest.mark.e2e

FRENCH_DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
# Fixed words of the router's French reasons and checks and of the reports' French notes (not in the catalogue).
FRENCH_DATA = re.compile(r"même pays|même département|capacité libre|au retrait|rang abaissé|toute la région|"
                         r"état déclaré|filière|reconditionneur|valeur unitaire|plafond|bénéficiaire|"
                         r"appareils réformés|Substitution :|Loi REEN|cession gratuite|\btour \d|\bà \d+ km\b")
ENGLISH_TITLES = {catalogues.text(key, "en") for key in catalogues.keys("tab.")}
# The catalogue's entries that are not the pages' own words (the reasons, checks and notes are matched by
# FRENCH_DATA; the language names are marked lang= on the switcher).
NOT_PAGE_TEXT = ("refusal.", "api.", "reason.", "check.", "system.", "note.", "cli.", "format.", "trail.",
                 "opendata.", "lang.")
PAGE_TEXT = [(catalogues.text(key, "fr"), catalogues.text(key, "en"))
             for key in catalogues.keys(prefix="") if not key.startswith(NOT_PAGE_TEXT)]


def _french_only() -> list[str]:
    """Catalogue strings whose French differs from the English and never occurs inside English text."""
    english_text = "\n".join(en for _, en in PAGE_TEXT)
    french = {fr for fr, en in PAGE_TEXT if fr != en}
    # Templates ("{n} appareils") are compared on their longest fixed part.
    fixed = {max(re.split(r"\{[^}]*\}", fr), key=len).strip(" :\u202f") for fr in french}
    return sorted(f for f in fixed if len(f) >= 4 and f not in english_text)


FRENCH = {text: re.compile(rf"(?<![\w'-]){re.escape(text)}(?![\w'-])") for text in _french_only()}
# Data, not UI: the organisations' names and slugs are French in every language.
DATA = sorted({part for org in ORGANISATIONS for part in (org[0], org[1], org[4])}, key=len, reverse=True)


def _french_left(page: Page, path: str) -> list[str]:
    # Text marked lang="fr" inside the page is French on purpose (an offer made before reasons had codes
    # keeps the French the router wrote), not a gap; `TestNothingFrenchInEnglish` wants none at all.
    expect(page).to_have_title(re.compile("|".join(re.escape(t) for t in ENGLISH_TITLES)))
    body = page.evaluate("""() => {
      const copy = document.body.cloneNode(true);
      copy.querySelectorAll('.page [lang="fr"]').forEach(el => el.remove());
      document.body.appendChild(copy); copy.style.position = 'absolute';
      const text = copy.innerText; copy.remove(); return text;
    }""")
    for name in DATA:
        body = body.replace(name, " ")
    found = [f"{path}: {text!r}" for text, pattern in FRENCH.items() if pattern.search(body)]
    found += [f"{path}: French date {m}" for m in FRENCH_DATE.findall(body)]
    return found


def _in_english(page: Page) -> None:
    page.get_by_role("button", name="Switch to English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.fixture(scope="module")
def device_path(browser: Browser, base_url: str) -> str:
    with signed_in(browser, base_url, "auditor") as page:
        return routes.device(a_device_code(page))


class TestEverythingInEnglish:
    def test_the_public_pages(self, page: Page, device_path: str) -> None:
        open_page(page, routes.HOME)
        _in_english(page)
        left: list[str] = []
        for path in [p for p in SIGNED_OUT if p != "/donnees-ouvertes"] + [device_path]:
            open_page(page, path)
            left += _french_left(page, path)
        assert not left, "\n".join(left)

    def test_the_open_data_page_follows_the_language_of_the_link(self, page: Page) -> None:
        open_page(page, routes.HOME)
        _in_english(page)
        link = page.get_by_role("link", name="Open data")
        expect(link).to_have_attribute("href", "/donnees-ouvertes?lang=en")
        link.click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page).to_have_title("Open data — Seconde Vie")
        expect(page.get_by_role("heading", level=1)).to_have_text("Open data")
        body = page.locator("main").inner_text()
        assert not [text for text, pattern in FRENCH.items() if pattern.search(body)], body
        page.get_by_role("link", name="Français").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.get_by_role("heading", level=1)).to_have_text("Données ouvertes")

    @pytest.mark.parametrize("role", list(DEMO_ACCOUNTS))
    def test_every_page_of_the_role(self, browser: Browser, base_url: str, role: str, device_path: str) -> None:
        with signed_in(browser, base_url, role) as page:
            _in_english(page)
            left: list[str] = []
            for path in [*BY_ROLE[role], device_path]:
                open_page(page, path)
                left += _french_left(page, path)
        assert not left, "\n".join(left)


def _nothing_french(page: Page, path: str) -> list[str]:
    """Stricter than `_french_left`: no text marked French at all (new data has codes), no reason's French."""
    # The language switch names French in French ("Français"): the one text rightly marked lang="fr".
    marked = page.evaluate("""() => [...document.querySelectorAll('.page [lang="fr"]')]
      .filter(el => !el.closest('button')).map(el => el.innerText)""")
    found = [f"{path}: marked French: {text!r}" for text in marked]
    body = page.locator(".page").inner_text()
    for name in DATA:
        body = body.replace(name, " ")
    found += [f"{path}: {m.group(0)!r} in {body[max(0, m.start() - 60):m.end() + 60]!r}"
              for m in FRENCH_DATA.finditer(body)]
    return found + _french_left(page, path)


class TestNothingFrenchInEnglish:
    """Issue 10: in English, the offers, a device's trail and the reports have no French left, not even marked."""

    def test_offers_trail_and_reports(self, browser: Browser, base_url: str) -> None:
        left: list[str] = []
        with signed_in(browser, base_url, "refurbisher") as page:
            _in_english(page)
            open_page(page, routes.OFFERS)
            expect(page).to_have_title("Offers — Seconde Vie")
            card = page.get_by_role("article").first  # an offer's card: its reasons' line starts with "Why:"
            expect(card).to_contain_text("Why:")
            reasons = card.get_by_text("Why:").locator("..").inner_text()
            assert "same" in reasons or "km from" in reasons, reasons
            card.get_by_text("Score details").click()  # the whole explanation, in English too
            left += _nothing_french(page, routes.OFFERS)
            offered_device = card.locator("a[href^='/d/']").first.get_attribute("href") or ""
        assert offered_device.startswith("/d/")
        with signed_in(browser, base_url, "auditor") as page:
            _in_english(page)
            open_page(page, offered_device)
            expect(page).to_have_title("Device record — Seconde Vie")
            details = page.locator(".event-details", has_text="Round 1")
            expect(details.first).to_contain_text("score")
            assert "free capacity" in details.first.inner_text()
            left += _nothing_french(page, offered_device)
            open_page(page, routes.REPORTS)
            expect(page).to_have_title("Reports — Seconde Vie")
            expect(page.get_by_text("Substitution: a reused device")).to_be_visible()
            left += _nothing_french(page, routes.REPORTS)
            # Back to French: the tab and the reasons follow.
            page.get_by_role("button", name="Passer en français").click()
            expect(page).to_have_title("Rapports — Seconde Vie")
        assert not left, "\n".join(left)
