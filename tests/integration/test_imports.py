"""CSV imports on the real PostgreSQL: preview writes nothing, confirm goes through the intake path,
re-importing retires nothing twice, and a file with errors is never half-applied."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from marketplace.cli.imports import run_import
from marketplace.commands import Actor
from marketplace.domain.errors import Forbidden, InvalidInput
from marketplace.imports import parse_import
from marketplace.imports.door import ImportDoor
from marketplace.imports.service import apply_import, preview_import
from tests.integration.journeys import Journeys

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"
DONOR = "lycee-des-embruns-brest"
GLPI = (FIXTURES / "glpi_computers_utf8_bom.csv").read_bytes()
ACTOR = Actor(org=DONOR, system="import-test")


async def count(stack: Any, sql: str = "SELECT count(*) FROM assets") -> int:
    async with stack.pool.acquire() as conn:
        return int(await conn.fetchval(sql))


class TestPreviewAndConfirm:
    async def test_preview_writes_nothing_and_confirm_retires_through_the_intake_path(self, stack: Any) -> None:
        preview = await preview_import(stack.pool, parse_import(GLPI, DONOR))
        assert len(preview.to_create) == 5 and preview.ok
        assert await count(stack) == 0

        outcome = await apply_import(stack.pool, preview, ACTOR)
        assert len(outcome.created) == 5
        async with stack.pool.acquire() as conn:
            events = await conn.fetch("SELECT type, actor, payload FROM asset_events ORDER BY occurred_at")
            outbox = await conn.fetchval("SELECT count(*) FROM outbox WHERE topic = 'assets.lifecycle.v1'")
            row = await conn.fetchrow("SELECT inventory_number, site, state FROM assets WHERE serial = 'PF1A2B3C'")
        assert [e["type"] for e in events] == ["asset.retired"] * 5 and outbox == 5
        assert events[0]["actor"]["system"] == "import-test"
        assert events[0]["payload"]["request"]["request_id"].startswith("csv-")
        assert dict(row) == {"inventory_number": "EMB-2018-0207", "site": "Bâtiment B > Salle des professeurs",
                             "state": "retired"}

    async def test_reimporting_the_same_file_retires_nothing_twice(self, stack: Any) -> None:
        await apply_import(stack.pool, await preview_import(stack.pool, parse_import(GLPI, DONOR)), ACTOR)
        again = await preview_import(stack.pool, parse_import(GLPI, DONOR))
        assert again.to_create == [] and len(again.already_imported) == 5
        outcome = await apply_import(stack.pool, again, ACTOR)
        assert outcome.created == [] and outcome.already_imported == 5
        assert await count(stack) == 5

    async def test_serial_already_registered_by_another_request_is_an_error(self, stack: Any) -> None:
        journeys = Journeys(stack)
        await journeys.retire()  # serial J00001, retired by hand
        data = "Type;Fabricant;Modèle;Numéro de série\nPortable;Dell;A;J00001\nPortable;Dell;B;NEW1\n".encode()
        preview = await preview_import(stack.pool, parse_import(data, DONOR))
        assert [(e.line, "J00001" in e.reason) for e in preview.errors] == [(2, True)]
        assert [r.line for r in preview.to_create] == [3]


class TestFilesWithErrors:
    DATA = "Type;Fabricant;Modèle;Numéro de série\nPortable;Dell;A;S1\nGrille-pain;Dell;B;S2\nPortable;HP;=1+1;S3\n"

    async def test_nothing_is_written_unless_bad_rows_are_skipped_explicitly(self, stack: Any) -> None:
        preview = await preview_import(stack.pool, parse_import(self.DATA.encode(), DONOR))
        assert [e.line for e in preview.errors] == [3, 4]
        with pytest.raises(InvalidInput, match="rien n'a été importé"):
            await apply_import(stack.pool, preview, ACTOR)
        assert await count(stack) == 0
        outcome = await apply_import(stack.pool, preview, ACTOR, skip_invalid=True)
        assert len(outcome.created) == 1 and {e.line for e in outcome.skipped} == {3, 4}
        assert await count(stack) == 1


class TestCommandLine:
    async def test_dry_run_then_import_with_progress(self, stack: Any, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
        rows = "".join(f"Portable;Lenovo;T470;SN{i:05d};INV-{i}\n" for i in range(120))
        path = tmp_path / "stock.csv"
        path.write_text("Type;Fabricant;Modèle;Numéro de série;Numéro d'inventaire\n" + rows, encoding="utf-8")
        args = argparse.Namespace(file=str(path), donor=DONOR, dry_run=True, skip_invalid=False)
        assert await run_import(stack.settings.database_url, args) == 0
        assert "À créer : 120" in capsys.readouterr().out and await count(stack) == 0

        args.dry_run = False
        assert await run_import(stack.settings.database_url, args) == 0
        captured = capsys.readouterr()
        assert "Importés : 120" in captured.out and "120/120" in captured.err and "50/120" in captured.err
        assert await count(stack) == 120

    async def test_file_with_errors_is_refused_without_skip_invalid(self, stack: Any, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
        path = tmp_path / "bad.csv"
        path.write_text(TestFilesWithErrors.DATA, encoding="utf-8")
        args = argparse.Namespace(file=str(path), donor=DONOR, dry_run=False, skip_invalid=False)
        assert await run_import(stack.settings.database_url, args) == 1
        out = capsys.readouterr()
        assert "ligne 3, colonne « Type »" in out.out and "--skip-invalid" in out.err
        assert await count(stack) == 0


class TestUiDoor:
    async def test_asset_manager_imports_for_its_own_organisation_only(self, stack: Any) -> None:
        journeys = Journeys(stack)
        door = ImportDoor(stack.marketplace)
        with pytest.raises(Forbidden):
            await door.preview(await journeys.token("refurbisher"), GLPI)
        token = await journeys.token("asset_manager")
        assert len((await door.preview(token, GLPI)).to_create) == 5
        seen: list[tuple[int, int]] = []
        outcome = await door.confirm(token, GLPI, skip_invalid=False, progress=lambda d, t: seen.append((d, t)))
        assert len(outcome.created) == 5 and seen[-1] == (5, 5)
        async with stack.pool.acquire() as conn:
            actor = await conn.fetchval("SELECT actor FROM asset_events LIMIT 1")
        assert actor["org"] == DONOR and actor["system"] == "import" and actor["user"]
