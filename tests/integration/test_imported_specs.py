"""An inventory imported from GLPI keeps its specs: once refurbished, its devices are found by the catalogue's RAM,
storage and screen filters (the service and query the catalogue page calls), and /appareils finds them by donor,
pays and date. Bad filters are refused with their own sentence and read nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from marketplace.domain.errors import Forbidden, InvalidInput
from marketplace.imports.door import ImportDoor
from tests.integration.journeys import PATH, STEPS, Journeys, step_data

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"
COMPUTERS = (FIXTURES / "glpi_parc_ordinateurs.csv").read_bytes()
MONITORS = (FIXTURES / "glpi_parc_moniteurs.csv").read_bytes()


async def import_and_refurbish(stack: Any, j: Journeys, data: bytes) -> list[str]:
    """Import through the page's door as the demo asset manager, then take every device to the catalogue."""
    outcome = await ImportDoor(stack.marketplace).confirm(await j.token("asset_manager"), data, skip_invalid=False)
    for code in outcome.created:
        await j.route(code)
        async with stack.pool.acquire() as conn:
            has_storage = await conn.fetchval("SELECT has_storage FROM assets WHERE code = $1", code.replace("-", ""))
        for step in PATH[: PATH.index("refurbished") + 1]:
            if step == "wiped" and not has_storage:
                continue
            role, action, kind = STEPS[step]
            await j.act(role, code, action, step_data(kind, code))
    return outcome.created


def serials(devices: list[Any]) -> set[str]:
    return {f"{d.brand} {d.model}" for d in devices}


class TestImportedDevicesInTheCatalogue:
    async def test_ram_storage_and_screen_filters_find_the_imported_devices(self, stack: Any) -> None:
        j = Journeys(stack)
        computers = await import_and_refurbish(stack, j, COMPUTERS)
        monitors = await import_and_refurbish(stack, j, MONITORS)
        assert len(computers) == 5 and len(monitors) == 3
        m, token = stack.marketplace, await j.token("third_place")

        everything = await m.catalogue(token)
        assert len(everything) == 8
        by_code = {d.code: d for d in everything}
        assert {by_code[c].ram_gb for c in computers} == {4, 8, 16}  # no "—" for an imported computer

        # RAM, as typed on the page (a French decimal comma too)
        assert serials(await m.catalogue(token, min_ram_gb="8")) == {
            "Dell Inc. OptiPlex 7060", "LENOVO ThinkPad T480"}
        assert {d.code for d in await m.catalogue(token, min_ram_gb="12,5")} == {computers[1]}
        assert len(await m.catalogue(token, min_ram_gb="4")) == 5
        # storage (Mio to GB): 256, 256 + 1000, 512, 128, 500
        assert {d.code for d in await m.catalogue(token, min_storage_gb="500")} == {
            computers[1], computers[2], computers[4]}
        assert {d.code for d in await m.catalogue(token, min_storage_gb=1000)} == {computers[1]}
        assert len(await m.catalogue(token, min_storage_gb="128")) == 5
        # screen: the monitors' "Taille"
        assert {d.code for d in await m.catalogue(token, min_screen_in="23,8")} == {monitors[0], monitors[2]}
        assert {d.code for d in await m.catalogue(token, min_screen_in="27")} == {monitors[2]}
        # combined with the other filters
        assert {d.code for d in await m.catalogue(token, "laptop", None, "BREST", "4",
                                                  min_storage_gb="100")} == {computers[2], computers[3]}
        assert await m.catalogue(token, pays="RENNES") == []

        async with stack.pool.acquire() as conn:
            specs = await conn.fetchval("SELECT specs FROM assets WHERE code = $1", computers[0].replace("-", ""))
        assert specs["os"] == "Microsoft Windows 10 Éducation 22H2" and specs["storage_gb"] == 256


class TestFiltersAreCheckedByTheService:
    @pytest.mark.parametrize(("kwargs", "key"), [
        ({"min_ram_gb": "huit"}, "filter.min_ram_gb"), ({"min_storage_gb": "-5"}, "filter.min_storage_gb"),
        ({"min_screen_in": "1e9"}, "filter.min_screen_in"), ({"pays": "Pays de Brest"}, "filter.pays"),
        ({"category": "grille-pain"}, "filter.category"), ({"grade": "'; DROP TABLE assets; --"}, "filter.grade"),
    ])
    async def test_the_catalogue_refuses_each_bad_field_by_name(self, stack: Any, kwargs: dict[str, str],
                                                                 key: str) -> None:
        j = Journeys(stack)
        await j.device_in("refurbished")
        with pytest.raises(InvalidInput) as caught:
            await stack.marketplace.catalogue(await j.token("third_place"), **kwargs)
        assert caught.value.message_key == key

    async def test_all_devices_by_donor_pays_and_dates(self, stack: Any) -> None:
        j = Journeys(stack)
        codes = [await j.device_in("retired") for _ in range(2)]
        m, token = stack.marketplace, await j.token("auditor")
        donors, pays = await m.device_list_choices(token)
        assert ("lycee-des-embruns-brest", "Lycée des Embruns") in donors
        assert all(slug != "repar-acteurs-brest" for slug, _ in donors)  # only donors are offered
        assert ("BREST", "Pays de Brest") in pays
        today = date.today()
        found = await m.all_devices(token, None, "lycee-des-embruns-brest", pays="BREST",
                                    retired_from=(today - timedelta(days=1)).isoformat(),
                                    retired_to=(today + timedelta(days=1)).isoformat())
        assert {d.code for d in found} == set(codes)
        assert await m.all_devices(token, pays="RENNES") == []
        assert await m.all_devices(token, retired_to=(today - timedelta(days=2)).isoformat()) == []
        assert await m.all_devices(token, donor="lycee-du-golfe-vannes") == []
        with pytest.raises(InvalidInput) as caught:
            await m.all_devices(token, retired_from="31/02/2026")
        assert caught.value.message_key == "filter.retired_from"
        with pytest.raises(InvalidInput) as caught:
            await m.all_devices(token, retired_from=today.isoformat(), retired_to=(today - timedelta(days=1)))
        assert caught.value.message_key == "filter.dates_order"

    @pytest.mark.parametrize("role", ["third_place", "asset_manager", "refurbisher"])
    async def test_only_auditors_and_admins_list_every_device_or_its_choices(self, stack: Any, role: str) -> None:
        j = Journeys(stack)
        await j.device_in("retired")
        token = await j.token(role)
        with pytest.raises(Forbidden):
            await stack.marketplace.all_devices(token, pays="BREST")
        with pytest.raises(Forbidden):
            await stack.marketplace.device_list_choices(token)

    async def test_only_third_places_and_auditors_read_the_catalogue(self, stack: Any) -> None:
        j = Journeys(stack)
        with pytest.raises(Forbidden):
            await stack.marketplace.catalogue(await j.token("asset_manager"), min_ram_gb="4")
