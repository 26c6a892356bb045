"""Issue 6 in Chromium: an asset manager imports a GLPI export (upload, preview with its errors, confirm
without the bad row, progress, re-import creates nothing), creates an API token that the API accepts, and
registers a webhook."""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.test_walking_skeleton import sign_in


def _glpi_file(tmp_path: Path) -> Path:
    tag = uuid.uuid4().hex[:6].upper()
    rows = [f'"PC-{tag}-{i}";"En stock";"Dell Inc.";"E2E{tag}{i}";"Unité centrale";"OptiPlex 7050";'
            f'"Bâtiment A > CDI";"INV-{tag}-{i}";"2017-09-04"' for i in range(3)]
    rows.append(f'"PC-{tag}-X";"En stock";"Dell Inc.";"E2E{tag}X";"Grille-pain";"OptiPlex 7050";"CDI";"INV-{tag}-X";""')
    header = '"Nom";"Statut";"Fabricant";"Numéro de série";"Type";"Modèle";"Lieu";"Numéro d\'inventaire";"Date d\'achat"'
    path = tmp_path / "glpi.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([header, *rows, ""]).encode("utf-8"))
    return path


def _preview(page: Page, path: Path) -> None:
    page.goto("/importer")
    expect(page.get_by_role("heading", level=1, name="Importer un inventaire (CSV)")).to_be_visible()
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Prévisualiser").click()


def test_asset_manager_imports_a_glpi_export_without_its_bad_row(page: Page, tmp_path: Path) -> None:
    sign_in(page, "asset_manager")
    path = _glpi_file(tmp_path)
    _preview(page, path)
    errors = page.get_by_role("table", name="Lignes en erreur")
    expect(errors).to_contain_text("Grille-pain")
    confirm = page.get_by_role("button", name="Confirmer l'import")
    expect(confirm).to_be_disabled()
    skip = page.get_by_label("Importer sans les lignes en erreur")
    skip.click()  # a controlled box: it shows checked once the server has the choice
    expect(skip).to_be_checked()
    expect(confirm).to_be_enabled()
    confirm.click()
    expect(page.get_by_role("status").filter(has_text="Import terminé")).to_contain_text("3")

    _preview(page, path)  # the same file again: nothing new
    expect(page.get_by_text("Déjà importés (ignorés)")).to_contain_text("3")
    expect(page.get_by_text("Aucun appareil à créer.")).to_be_visible()


def test_a_file_over_the_limit_is_refused_naming_it(page: Page, tmp_path: Path) -> None:
    sign_in(page, "asset_manager")
    path = tmp_path / "enorme.csv"
    path.write_bytes(b"Nom;Type\r\n" + b"PC;Portable\r\n" * (6 * 1024 * 1024 // 13))  # 6 MiB: the server stops at 5
    _preview(page, path)
    expect(page.get_by_role("alert").filter(has_text="dépasse la limite de 5 Mo")).to_be_visible()
    expect(page.get_by_role("button", name="Confirmer l'import")).to_have_count(0)


def test_token_created_in_the_ui_works_on_the_api_and_a_webhook_is_registered(page: Page, base_url: str) -> None:
    sign_in(page, "refurbisher")
    page.goto("/integrations")
    page.get_by_label("Nom du jeton").fill("Logiciel d'atelier")
    page.get_by_role("button", name="Créer un jeton").click()
    shown = page.get_by_label("Nouveau jeton d'API")
    expect(shown).to_have_value(re.compile("^svk_"))
    token = shown.input_value()
    assert token.startswith("svk_")
    request = urllib.request.Request(f"{base_url}/api/devices", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert "items" in json.loads(response.read())

    page.get_by_label("URL de réception").fill("https://atelier.example.org/hooks/seconde-vie")
    page.get_by_role("button", name="Ajouter le webhook").click()
    expect(page.get_by_label("Secret de signature du webhook")).to_have_value(re.compile("^whsec_"))
    expect(page.get_by_role("table", name="Webhooks")).to_contain_text("atelier.example.org")

    page.get_by_role("button", name="Révoquer").first.click()
    expect(page.get_by_role("table", name="Jetons d'API")).to_contain_text("révoqué")
