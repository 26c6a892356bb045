"""Issue 20 in Chromium: the workshop uploads nwipe's real log (tests/fixtures/nwipe) on the device page; the
wipe form is filled from it (method, technique with the passes, tool and version, verification, the date,
each disk's model and serial), stays editable, and saving it certifies the wipe with the report kept as
evidence; a failed wipe's log is refused with the reason and fills nothing."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.lifecycle_steps import action, expect_done, open_device, signed_in
from tests.e2e.seeding import Seeder
from tests.integration.test_erasure_reports_api import real_log

pytestmark = pytest.mark.e2e
WIPE = "Effacement des données (certificat NIST SP 800-88)"


@pytest.fixture
def seeder(stack_database_url: str) -> Iterator[Seeder]:
    seeding = Seeder(stack_database_url)
    try:
        yield seeding
    finally:
        seeding.close()


def test_the_wipe_form_is_filled_from_an_nwipe_report_and_stays_editable(browser: Browser, base_url: str,
                                                                         seeder: Seeder, tmp_path: Path) -> None:
    code = seeder.diagnosed(f"NW{uuid.uuid4().hex[:8].upper()}")
    # The real log, moved as a whole to just after this device's collection (the fixture is older).
    report = tmp_path / "nwipe.log"
    report.write_text(real_log("prng-two-disks", datetime.now(UTC) + timedelta(minutes=2)))
    failed = tmp_path / "failed.log"
    failed.write_text(real_log("failed-verification", datetime.now(UTC) + timedelta(minutes=2)))

    with signed_in(browser, base_url, "refurbisher") as page:
        open_device(page, code)
        form = action(page, WIPE)
        expect(form.get_by_role("heading", name="Remplir depuis un rapport nwipe")).to_be_visible()
        form.get_by_label("Fuseau horaire de l'horloge du poste d'effacement").select_option("UTC")

        # A failed wipe's log: refused, naming the disk and the errors; the form is left empty.
        form.locator("#wipe-report input[type=file]").set_input_files(str(failed))
        form.get_by_role("button", name="Lire le rapport").click()
        expect(page.get_by_role("alert")).to_contain_text("a échoué selon nwipe")
        expect(page.get_by_role("alert")).to_contain_text("SV-LOOP-RANDOM")
        expect(form.get_by_label("Technique", exact=True)).to_have_value("")

        form.locator("#wipe-report input[type=file]").set_input_files(str(report))
        form.get_by_role("button", name="Lire le rapport").click()
        expect(form.get_by_role("status")).to_contain_text("nwipe.log")
        expect(form.get_by_label("Technique", exact=True)).to_have_value(re.compile(r"PRNG Stream.*1 passe"))
        expect(form.get_by_label("Outil", exact=True)).to_have_value("nwipe")
        expect(form.get_by_label("Version de l'outil")).to_have_value("0.33")
        expect(form.get_by_label("Méthode")).to_have_value("Clear")
        expect(form.get_by_label("Vérification")).to_have_value("full")
        serials = form.get_by_label("Numéro de série du support")
        expect(serials.nth(0)).to_have_value("SV-LOOP-PRNG-A")
        expect(serials.nth(1)).to_have_value("SV-LOOP-PRNG-B")
        expect(form.get_by_label("Modèle du support").nth(0)).to_have_value("Loopback device")

        # Editable: the person rewords the technique and names the maker; the serials stay the report's.
        form.get_by_label("Technique", exact=True).fill("Flux PRNG ISAAC-64, 1 passe, relecture de la dernière passe")
        form.get_by_label("Fabricant du support").nth(0).fill("Noyau Linux")
        form.get_by_label("Opérateur (nom et fonction)").fill("Yann Kerjean, technicien")
        form.get_by_label("Signataire").fill("Yann Kerjean")
        form.get_by_role("button", name="Enregistrer le certificat").click()
        expect_done(page, "effacé")
        expect(page.get_by_text(re.compile("Flux PRNG ISAAC-64")).first).to_be_visible()  # the trail's certificate
        # The evidence, for the custodian: both disks, and the SHA-256 the certificate holds.
        kept = page.get_by_role("region", name="Rapports d'effacement")
        expect(kept).to_contain_text("SV-LOOP-PRNG-A")
        expect(kept).to_contain_text("SV-LOOP-PRNG-B")
        expect(kept).to_contain_text(hashlib.sha256(report.read_bytes()).hexdigest())

    # Not for a tiers-lieu that never held the device, nor for a signed-out visitor (the panel asks the server,
    # which refuses them: after the page settles, no report and no serial anywhere on it).
    context = browser.new_context(base_url=base_url)
    visitor = context.new_page()
    open_device(visitor, code)
    expect(visitor.get_by_role("heading", name="Historique")).to_be_visible()
    visitor.wait_for_timeout(2000)
    expect(visitor.get_by_role("region", name="Rapports d'effacement")).to_have_count(0)
    expect(visitor.locator("body")).not_to_contain_text("SV-LOOP")
    context.close()
    with signed_in(browser, base_url, "third_place") as stranger:
        open_device(stranger, code)
        expect(stranger.get_by_role("heading", name="Historique")).to_be_visible()
        stranger.wait_for_timeout(2000)
        expect(stranger.get_by_role("region", name="Rapports d'effacement")).to_have_count(0)
        expect(stranger.locator("body")).not_to_contain_text("SV-LOOP")

    token = seeder.token("refurbisher")
    listed = seeder._run(_reports(seeder, token, code))
    assert [d.serial for d in listed.items[0].disks] == ["SV-LOOP-PRNG-A", "SV-LOOP-PRNG-B"]
    assert listed.items[0].method == "PRNG Stream"


async def _reports(seeder: Seeder, token: str, code: str):  # type: ignore[no-untyped-def]
    from marketplace.services.erasure_reports import ErasureReports

    return await ErasureReports(seeder.marketplace.pool, seeder.marketplace.settings).reports(token, code)
