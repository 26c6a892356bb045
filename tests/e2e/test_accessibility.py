"""Every page, signed out and as every demo role, passes axe-core's WCAG 2.1 A/AA rules with no violation,
and `<html lang>` follows the chosen language."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from marketplace.demo.loader import DEMO_ACCOUNTS
from tests.e2e import axe
from tests.e2e.lifecycle_steps import signed_in
from tests.e2e.pages_by_role import BY_ROLE, SIGNED_OUT, a_device_code, open_page
from ui import routes

pytestmark = pytest.mark.e2e


def _check(page: Page, paths: list[str]) -> list[str]:
    problems: list[str] = []
    for path in paths:
        open_page(page, path)
        problems += axe.describe(path, axe.violations(page))
    return problems


@pytest.fixture(scope="module")
def device_path(browser: Browser, base_url: str) -> str:
    with signed_in(browser, base_url, "auditor") as page:
        return routes.device(a_device_code(page))


class TestAxeWcag21AA:
    def test_the_pages_anyone_can_open_have_no_violation(self, page: Page, device_path: str) -> None:
        problems = _check(page, [*SIGNED_OUT, device_path])
        assert not problems, "\n".join(problems)

    @pytest.mark.parametrize("role", list(DEMO_ACCOUNTS))
    def test_every_page_of_the_role_has_no_violation(
        self, browser: Browser, base_url: str, role: str, device_path: str,
    ) -> None:
        with signed_in(browser, base_url, role) as page:
            problems = _check(page, [*BY_ROLE[role], device_path])
        assert not problems, "\n".join(problems)

    def test_the_pages_have_no_violation_in_english_either(self, browser: Browser, base_url: str,
                                                           device_path: str) -> None:
        with signed_in(browser, base_url, "admin") as page:
            page.get_by_role("button", name="Switch to English").click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
            problems = []
            for path in [*BY_ROLE["admin"], device_path]:
                open_page(page, path)
                expect(page.locator("html")).to_have_attribute("lang", "en")
                problems += axe.describe(path, axe.violations(page))
        assert not problems, "\n".join(problems)


class TestDocumentLanguage:
    def test_html_lang_is_french_by_default_and_follows_the_toggle(self, page: Page) -> None:
        open_page(page, routes.HOME)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        page.get_by_role("button", name="Switch to English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.get_by_role("button", name="Passer en français").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
