"""Which pages each visitor sees (signed out, then each demo role), for the checks that visit every page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ui import routes

CODE_RE = re.compile(r"/d/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")

SIGNED_OUT = [routes.HOME, routes.SIGN_IN, routes.SCAN, "/donnees-ouvertes"]

_WORKSHOP = [routes.HOME, routes.OFFERS, routes.MY_DEVICES, routes.INTEGRATIONS, routes.PREFERENCES, routes.SCAN]
_ADMIN_ONLY = [routes.ADMIN_ORGS, routes.ADMIN_ACCOUNTS, routes.ADMIN_DEAD_LETTERS, routes.ADMIN_UNCLAIMED,
               routes.ADMIN_ROUTING, routes.ADMIN_MAILS]
# A reports page may exist (added separately): check it too when the app has one.
_REPORTS = [r for r in [getattr(routes, "REPORTS", None)] if r]

BY_ROLE: dict[str, list[str]] = {
    "asset_manager": [routes.HOME, routes.RETIRE, routes.IMPORT_CSV, routes.INTEGRATIONS, routes.PREFERENCES,
                      routes.SCAN],
    "refurbisher": _WORKSHOP,
    "maker": _WORKSHOP,
    "recycler": _WORKSHOP,
    "third_place": [routes.HOME, routes.CATALOGUE, routes.RESERVATIONS, routes.INTEGRATIONS, routes.PREFERENCES],
    "auditor": [routes.HOME, routes.ALL_DEVICES, *_REPORTS, routes.INTEGRATIONS],
    "admin": [routes.HOME, routes.ALL_DEVICES, *_REPORTS, *_ADMIN_ONLY, routes.INTEGRATIONS],
}


def open_page(page: Page, path: str) -> None:
    """Load a page and wait until Reflex has rendered it (its h1 is there, the socket is quiet)."""
    page.goto(path)
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1").first).to_be_visible()
    # Loaders (on_load) fill tables after the first paint; give them a moment to settle.
    page.wait_for_timeout(300)


def a_device_code(page: Page) -> str:
    """The code of any device, read from the auditor-visible list of all devices (page must be signed in)."""
    open_page(page, routes.ALL_DEVICES)
    link = page.locator("a[href^='/d/']").first
    expect(link).to_be_attached()
    match = CODE_RE.search(link.get_attribute("href") or "")
    assert match, "no device link on /appareils"
    return match.group(1)
