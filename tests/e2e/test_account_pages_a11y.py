"""Issue 17's pages pass axe-core's WCAG 2.1 A/AA rules (RGAA), in French and in English: choosing a password,
the forgotten password, the personal data statement, /mon-compte, and /admin/comptes with its invitation form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e import axe
from tests.e2e.lifecycle_steps import signed_in
from tests.e2e.pages_by_role import open_page
from ui import routes

pytestmark = pytest.mark.e2e


def _check(page: Page, paths: list[str]) -> list[str]:
    problems: list[str] = []
    for path in paths:
        open_page(page, path)
        problems += axe.describe(path, axe.violations(page))
    return problems


def test_the_signed_out_account_pages_have_no_violation(page: Page) -> None:
    problems = _check(page, [routes.LINK_PAGE, "/mot-de-passe/definir/not-a-live-link", routes.FORGOTTEN,
                             routes.PERSONAL_DATA])
    assert not problems, "\n".join(problems)


def test_my_account_and_the_admin_accounts_page_have_no_violation_in_both_languages(browser: Browser,
                                                                                  base_url: str) -> None:
    with signed_in(browser, base_url, "admin") as page:
        problems = _check(page, [routes.MY_ACCOUNT, routes.ADMIN_ACCOUNTS, routes.PERSONAL_DATA])
        page.get_by_role("button", name="Switch to English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        problems += _check(page, [routes.MY_ACCOUNT, routes.PERSONAL_DATA])
    assert not problems, "\n".join(problems)
