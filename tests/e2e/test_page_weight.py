"""Light pages: the bytes transferred (compressed, as on the wire) on a first load of the device page and the
scan page, printed for docs/benchmarks.md; and screenshots of the main pages for the README, taken here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.lifecycle_steps import signed_in
from tests.e2e.pages_by_role import a_device_code, open_page
from ui import routes

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# A sanity bound only (a page that suddenly weighs 5 MB is a mistake), not a budget.
SANITY_BYTES = 5_000_000


def _first_load_bytes(browser: Browser, base_url: str, path: str) -> dict[str, Any]:
    """Cold cache, fresh context: the sum of CDP encodedDataLength (headers and compressed bodies)."""
    context = browser.new_context(base_url=base_url, locale="fr-FR")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        sizes: dict[str, int] = {}
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
        open_page(page, path)
        page.wait_for_timeout(500)
        return {"bytes": sum(sizes.values()), "requests": len(sizes)}
    finally:
        context.close()


@pytest.fixture(scope="module")
def device_path(browser: Browser, base_url: str) -> str:
    with signed_in(browser, base_url, "auditor") as page:
        return routes.device(a_device_code(page))


class TestPageWeight:
    def test_the_device_and_scan_pages_first_load_weight_is_printed(
        self, browser: Browser, base_url: str, device_path: str,
    ) -> None:
        # The pickup's scanning session (camera, beep): its bundle loads before the page sends a signed-out
        # reader to /connexion, so a made-up pickup measures what a phone downloads for it.
        pickup_scan = routes.pickup_scan("00000000-0000-7000-8000-000000000000")
        for name, path in [("device page", device_path), ("scan page", routes.SCAN),
                           ("pickup scan page", pickup_scan)]:
            weight = _first_load_bytes(browser, base_url, path)
            print(f"\npage weight, first load, {name} ({path}): {weight['bytes'] / 1024:.0f} KiB "
                  f"transferred in {weight['requests']} requests")
            assert 0 < weight["bytes"] < SANITY_BYTES


def _shot(page: Page, name: str) -> None:
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


class TestScreenshots:
    def test_the_main_pages_are_photographed_for_the_readme(
        self, browser: Browser, base_url: str, page: Page, device_path: str,
    ) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        open_page(page, device_path)
        _shot(page, "device-passport")
        open_page(page, routes.SCAN)
        _shot(page, "scan")
        for role, shots in [("asset_manager", [("home-asset-manager", routes.HOME), ("retire", routes.RETIRE)]),
                            ("refurbisher", [("home-refurbisher", routes.HOME), ("offers", routes.OFFERS)]),
                            ("third_place", [("catalogue", routes.CATALOGUE)]),
                            ("admin", [("home-admin", routes.HOME), ("dead-letters", routes.ADMIN_DEAD_LETTERS)])]:
            with signed_in(browser, base_url, role) as signed:
                for name, path in shots:
                    open_page(signed, path)
                    expect(signed.locator("h1")).to_be_visible()
                    _shot(signed, name)
        assert len(list(SCREENSHOTS.glob("*.png"))) >= 8
