"""What a GLPI export says of a device is kept: memory and disks (Mio to GB), operating system, screen size,
value; and a date that does not exist is an error naming the line, the column and the value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marketplace.imports import parse_import
from marketplace.imports.rows import ParsedImport
from marketplace.imports.values import CellError, day, ram_gb_of_mib, storage_gb_of_mib, year

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"
DONOR = "lycee-des-embruns-brest"
HEADER = "Type;Fabricant;Modèle;Numéro de série"


def parse(header: str, *lines: str) -> ParsedImport:
    return parse_import(("\n".join((header, *lines)) + "\n").encode(), DONOR)


class TestTheGlpiComputerExport:
    def test_memory_disks_and_operating_system_reach_the_device_record(self) -> None:
        result = parse_import((FIXTURES / "glpi_parc_ordinateurs.csv").read_bytes(), DONOR)
        assert result.errors == [] and result.format == "glpi"
        specs = {row.request.serial: row.request.specs for row in result.rows}
        first = specs["8KQ2XN2"]
        assert first is not None
        assert (first.ram_gb, first.storage_gb) == (8, 256)
        assert first.os == "Microsoft Windows 10 Éducation 22H2"
        assert first.cpu == "Intel Core i5-8500 CPU @ 3.00GHz"
        two_disks = specs["8KQ2XN3"]
        assert two_disks is not None and (two_disks.ram_gb, two_disks.storage_gb) == (16, 1256)  # 256 + 1000
        assert [(s.ram_gb, s.storage_gb) for s in specs.values() if s] == [
            (8, 256), (16, 1256), (8, 512), (4, 128), (4, 500)]
        # Who uses a machine is never read into its record; the rest is listed as ignored.
        assert set(result.ignored_columns) == {"Entité", "Dernière modification", "Usager"}
        assert all("Le Goff" not in (row.request.notes or "") for row in result.rows)
        assert [row.request.year for row in result.rows] == [2018, 2018, 2019, 2018, 2016]

    def test_the_monitor_export_gives_the_screen_size(self) -> None:
        result = parse_import((FIXTURES / "glpi_parc_moniteurs.csv").read_bytes(), DONOR)
        assert result.errors == []
        assert [(r.request.category, r.request.specs and r.request.specs.screen_in) for r in result.rows] == [
            ("monitor", 23.8), ("monitor", 21.5), ("monitor", 27)]
        assert all(not r.request.has_storage for r in result.rows)

    def test_english_headers_map_the_same_fields(self) -> None:
        result = parse("Type;Manufacturer;Model;Serial number;Memory (MiB);Hard drive - Capacity (MiB);"
                       "Operating system - Name;Components - Processor;Financial and administrative information - "
                       "Value",
                       "Laptop;Dell;Latitude 5490;S1;8192;476940;Debian GNU/Linux;Intel Core i5-8250U;120,50")
        assert result.errors == [] and result.ignored_columns == []
        request = result.rows[0].request
        assert request.specs is not None
        assert (request.specs.ram_gb, request.specs.storage_gb, request.specs.os) == (8, 500, "Debian GNU/Linux")
        assert request.unit_value_eur == 120.5

    def test_a_size_that_is_not_a_number_names_its_cell(self) -> None:
        result = parse(HEADER + ";Mémoire (Mio)", "Portable;Dell;X;S1;huit giga")
        assert result.rows == []
        [error] = result.errors
        assert (error.line, error.column) == (2, "Mémoire (Mio)") and "huit giga" in error.reason

    def test_a_negative_disk_is_refused(self) -> None:
        result = parse(HEADER + ";Disque dur - Capacité (Mio)", "Portable;Dell;X;S1;-244198")
        assert [(e.line, e.column) for e in result.errors] == [(2, "Disque dur - Capacité (Mio)")]


class TestMioToGb:
    @pytest.mark.parametrize(("mib", "gb"), [(8192, 8), (3072, 3), (1536, 1.5), (7885, 7.7), (0, 0)])
    def test_memory_is_counted_in_binary_gigabytes_to_one_decimal(self, mib: float, gb: float) -> None:
        assert ram_gb_of_mib(mib) == gb

    @pytest.mark.parametrize(("mib", "gb"), [(244198, 256), (476940, 500), (953869, 1000), (122104, 128),
                                             (15028, 16)])
    def test_disks_are_counted_as_labelled_in_whole_decimal_gigabytes(self, mib: float, gb: float) -> None:
        assert storage_gb_of_mib(mib) == gb


class TestDates:
    @pytest.mark.parametrize("text", ["31/02/2017", "2017-02-31", "30/02/2020", "2019-13-01", "00/01/2018",
                                      "29/02/2019"])
    def test_a_day_that_does_not_exist_is_refused_and_its_year_is_not_taken(self, text: str) -> None:
        with pytest.raises(CellError, match=re.escape(text)):
            year(text)
        result = parse(HEADER + ";Date d'achat", f"Portable;Dell;X;S1;{text}", "Portable;Dell;Y;S2;2017-09-04")
        assert [r.request.serial for r in result.rows] == ["S2"]  # the bad row is not imported with year 2017
        [error] = result.errors
        assert (error.line, error.column) == (2, "Date d'achat")
        assert f"« {text} »" in str(error) and str(error).startswith("ligne 2, colonne « Date d'achat » : ")

    def test_a_wrong_date_is_an_error_even_when_a_year_column_is_there(self) -> None:
        result = parse(HEADER + ";Année;Date d'achat", "Portable;Dell;X;S1;2017;31/02/2017")
        assert [(e.line, e.column) for e in result.errors] == [(2, "Date d'achat")]

    @pytest.mark.parametrize(("text", "found"), [("2017-09-04", 2017), ("04/09/2017", 2017), ("04-09-2017", 2017),
                                                 ("29/02/2020", 2020), ("2018-09-03 00:00:00", 2018), ("2018", 2018)])
    def test_real_dates_give_their_year(self, text: str, found: int) -> None:
        assert year(text) == found

    def test_the_day_itself_is_read(self) -> None:
        assert day("04/09/2017").isoformat() == "2017-09-04"

    @pytest.mark.parametrize("text", ["2017", "septembre 2017", "04/09/17", "1970-01-01", "2099-01-01"])
    def test_what_is_not_a_plausible_whole_date_is_refused(self, text: str) -> None:
        with pytest.raises(CellError):
            day(text)
