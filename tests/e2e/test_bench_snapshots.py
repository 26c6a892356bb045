"""Issue 20 in Chromium: a snapshot uploaded with the bench agent (run for real on this machine, with its real
tools) fills the specs shown on the device page and in the catalogue; a snapshot uploaded on the device page
whose serial and model differ from the donor's is warned about there, naming both values, and the donor's
values stay."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from marketplace.api.tokens import TokenServices
from tests.e2e.lifecycle_steps import open_device, signed_in
from tests.e2e.seeding import Seeder
from tests.integration.journeys import certificate
from tests.integration.test_snapshots_api import READ_SERIAL, laptop_snapshot

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(os.geteuid() != 0, reason="the bench agent runs as root")]


@pytest.fixture
def seeder(stack_database_url: str) -> Iterator[Seeder]:
    seeding = Seeder(stack_database_url)
    try:
        yield seeding
    finally:
        seeding.close()


def _bench_agent(base_url: str, token: str, code: str, spool: Path) -> str:
    env = {**os.environ, "SECONDE_VIE_API_TOKEN": token, "LC_ALL": "fr_FR.UTF-8"}
    done = subprocess.run([sys.executable, "-m", "marketplace.cli.main", "bench-agent", "--code", code, "--url",
                           base_url, "--spool", str(spool)], check=False, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_bench_agent_fills_the_specs_on_the_device_page_and_the_catalogue(browser: Browser, base_url: str,
                                                                              seeder: Seeder, tmp_path: Path) -> None:
    code = seeder.diagnosed(f"BA{uuid.uuid4().hex[:8].upper()}")
    token = seeder._run(TokenServices(seeder.marketplace).create(seeder.token("refurbisher"), "banc e2e")).token
    out = _bench_agent(base_url, token, code, tmp_path)
    assert f"Relevé enregistré pour {code}" in out
    specs = seeder._run(seeder.marketplace.snapshot_panel(None, code)).specs
    ram = f"{specs['ram_gb']:g}".replace(".", ",")
    seeder.act("refurbisher", code, "wipe", certificate(f"D-{code}"))
    seeder.act("refurbisher", code, "refurbish", {"grade": "A", "os_installed": "Linux Mint 22"})

    with signed_in(browser, base_url, "refurbisher") as page:
        open_device(page, code)
        hardware = page.locator("#device-specs")
        expect(hardware).to_contain_text(f"Mémoire{ram} Go")
        expect(hardware).to_contain_text(specs["cpu"])
        expect(page.locator("#snapshot-latest")).to_contain_text("lshw")
        expect(page.get_by_role("cell", name="relevé matériel")).to_be_visible()  # asset.inspected in the trail

    with signed_in(browser, base_url, "third_place") as hub:
        hub.get_by_role("navigation").get_by_role("link", name="Catalogue").click()
        hub.get_by_label("RAM minimale (Go)").fill(ram)
        hub.get_by_role("button", name="Filtrer").click()
        row = hub.get_by_role("row").filter(has=hub.get_by_role("link", name=code, exact=True))
        expect(row).to_contain_text(ram.replace(",", "."))


def test_a_snapshot_uploaded_on_the_page_with_another_serial_is_warned_about(browser: Browser, base_url: str,
                                                                             seeder: Seeder, tmp_path: Path) -> None:
    serial = f"BW{uuid.uuid4().hex[:8].upper()}"
    code = seeder.diagnosed(serial)
    snapshot = tmp_path / "workbench-snapshot.json"
    snapshot.write_bytes(laptop_snapshot())
    with signed_in(browser, base_url, "refurbisher") as page:
        open_device(page, code)
        page.locator("#snapshot-upload input[type=file]").set_input_files(str(snapshot))
        page.get_by_role("button", name="Envoyer le relevé").click()
        expect(page.get_by_role("status").filter(has_text="Relevé enregistré")).to_be_visible()
        warning = page.get_by_role("alert").filter(has_text="numéro de série")
        expect(warning).to_contain_text(f"« {READ_SERIAL} », déclaré « {serial} » par le donateur")
        expect(page.get_by_role("alert").filter(has_text="modèle")).to_contain_text("« Latitude 5480 »")
        expect(page.get_by_text("Dell Latitude 5490")).to_be_visible()  # the donor's declaration, kept
        page.reload()
        expect(page.get_by_role("alert").filter(has_text="numéro de série")).to_contain_text(READ_SERIAL)  # kept

    with signed_in(browser, base_url, "third_place") as hub:  # not a reader of the snapshots
        open_device(hub, code)
        expect(hub.locator("#hardware")).to_be_visible()
        expect(hub.get_by_text(READ_SERIAL)).to_have_count(0)
