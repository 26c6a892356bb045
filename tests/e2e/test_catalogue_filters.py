"""The catalogue's filters as a third place uses them: the pays chosen by its name ("Pays de Brest", never the code
BREST) finds the Brest devices, and a RAM typed in words is refused with the RAM's own sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from marketplace.domain.codes import format_code
from tests.e2e.forging import Database
from tests.e2e.lifecycle_steps import signed_in


@pytest.fixture
def db(stack_database_url: str) -> Iterator[Database]:
    database = Database(stack_database_url)
    try:
        yield database
    finally:
        database.close()


def test_a_third_place_picks_pays_de_brest_by_name_and_finds_the_brest_devices(browser: Browser, base_url: str,
                                                                             db: Database) -> None:
    brest = {format_code(r["code"]) for r in db.fetch(
        "SELECT code FROM assets WHERE state = 'refurbished' AND pays_code = 'BREST'")}
    elsewhere = {format_code(r["code"]) for r in db.fetch(
        "SELECT code FROM assets WHERE state = 'refurbished' AND pays_code <> 'BREST' LIMIT 5")}
    assert brest and elsewhere, "the demo has refurbished devices in Brest and elsewhere"
    with signed_in(browser, base_url, "third_place") as hub:
        hub.get_by_role("navigation").get_by_role("link", name="Catalogue").click()
        expect(hub.get_by_role("heading", level=1, name="Catalogue des appareils reconditionnés")).to_be_visible()
        pays = hub.get_by_label("Pays (territoire)")
        expect(pays.locator("option", has_text="Pays de Brest")).to_have_count(1)
        names = pays.locator("option").all_inner_texts()
        assert "Pays de Brest" in names and not set(names) & {"BREST", "SAINT_MALO", "TREGOR", "COB"}  # not codes
        pays.select_option(label="Pays de Brest")
        hub.get_by_role("button", name="Filtrer").click()
        table = hub.get_by_role("table")
        for header in ("RAM (Go)", "Stockage (Go)", "Écran (pouces)", "Pays"):  # what the filters are about
            expect(table.get_by_role("columnheader", name=header, exact=True)).to_be_visible()
        expect(table.locator("tbody tr")).to_have_count(min(len(brest), 50))  # the page shows 50 at most
        shown = set(table.locator("tbody td.code").all_inner_texts())
        assert shown <= brest and (len(brest) > 50 or shown == brest)
        for code in elsewhere:
            expect(table.get_by_role("link", name=code, exact=True)).to_have_count(0)

        # Each number field answers with its own sentence, under itself: RAM in words is the RAM's error, not the
        # weight's; two wrong fields are both named.
        hub.get_by_label("RAM minimale (Go)").fill("huit")
        hub.get_by_label("Écran minimal (pouces)").fill("grand")
        hub.get_by_role("button", name="Filtrer").click()
        expect(hub.locator("#cat-ram-error")).to_have_text(re.compile(r"^RAM minimale : « huit » n'est pas un nombre "
                                                                      r"de Go"))
        expect(hub.locator("#cat-screen-error")).to_contain_text("Écran minimal : « grand » n'est pas une taille en "
                                                                 "pouces")
        expect(hub.locator("#cat-storage-error")).to_have_count(0)
        expect(hub.get_by_label("RAM minimale (Go)")).to_have_attribute("aria-invalid", "true")
        expect(hub.get_by_label("RAM minimale (Go)")).to_have_attribute("aria-describedby", "cat-ram-error")
        expect(hub.get_by_role("alert")).not_to_contain_text("poids")
        expect(hub.locator("table")).to_have_count(0)

        # Corrected (a French decimal comma), the errors go and the Brest devices come back.
        hub.get_by_label("RAM minimale (Go)").fill("0,5")
        hub.get_by_label("Écran minimal (pouces)").fill("")
        hub.get_by_role("button", name="Filtrer").click()
        expect(hub.locator("#cat-ram-error")).to_have_count(0)
        expect(hub.get_by_label("RAM minimale (Go)")).to_have_attribute("aria-invalid", "false")
