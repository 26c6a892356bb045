"""CSV import parsing: GLPI exports and the project's template, and every broken file refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from marketplace.imports import parse_import
from marketplace.imports.decoding import MAX_BYTES, ImportFileError
from marketplace.imports.rows import request_id_for

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"
DONOR = "lycee-des-embruns-brest"


def laptop_os(result: object) -> str | None:
    specs = result.rows[2].request.specs  # type: ignore[attr-defined]
    return None if specs is None else specs.os


def parse(text: str, encoding: str = "utf-8") -> object:
    return parse_import(text.encode(encoding), DONOR)


class TestGlpiExports:
    def test_utf8_bom_semicolon_export_maps_every_row(self) -> None:
        result = parse_import((FIXTURES / "glpi_computers_utf8_bom.csv").read_bytes(), DONOR)
        assert result.errors == []
        assert (result.format, result.encoding, result.delimiter) == ("glpi", "utf-8-sig", ";")
        assert len(result.rows) == 5
        first = result.rows[0]
        assert first.line == 2
        r = first.request
        assert (r.category, r.brand, r.model, r.serial) == ("desktop", "Dell Inc.", "OptiPlex 7050", "5CG7331A01")
        assert (r.inventory_number, r.year, r.condition, r.has_storage) == ("EMB-2017-0101", 2017, "working", True)
        assert r.site == "Bâtiment A > CDI" and r.specs is not None and r.specs.cpu == "Intel Core i5-7500 3.40GHz"
        assert "EMB-CDI-PC01" in (r.notes or "")
        laptop, monitor, tablet = (row.request for row in result.rows[2:])
        assert (laptop.category, laptop.condition) == ("laptop", "faulty")
        assert (monitor.category, monitor.has_storage) == ("monitor", False)
        assert tablet.site == "Bâtiment C > Salle 12, « labo STI »"
        assert r.specs.os == "Windows 10 Éducation" and laptop_os(result) == "Ubuntu"
        assert set(result.ignored_columns) == {"Entité", "Dernière modification", "Usager"}

    def test_windows_1252_comma_export_with_quoted_fields(self) -> None:
        result = parse_import((FIXTURES / "glpi_computers_cp1252.csv").read_bytes(), DONOR)
        assert result.errors == []
        assert (result.encoding, result.delimiter) == ("cp1252", ",")
        assert [r.request.year for r in result.rows] == [2018, 2018, 2018]
        assert result.rows[0].request.site == "Bâtiment Vauban, CDI"
        assert 'Clavier "AZERTY" abîmé' in (result.rows[2].request.notes or "")
        assert result.rows[2].request.condition == "faulty"

    def test_template_file(self) -> None:
        result = parse_import((FIXTURES / "template.csv").read_bytes(), DONOR)
        assert result.errors == [] and result.format == "template"
        laptop = result.rows[0].request
        assert laptop.specs is not None and laptop.specs.ram_gb == 8 and laptop.weight_kg == 1.6
        assert result.rows[1].request.has_storage is False


class TestIdempotencyKeys:
    def test_request_id_depends_on_donor_and_inventory_number_not_on_position(self) -> None:
        a = parse_import((FIXTURES / "glpi_computers_utf8_bom.csv").read_bytes(), DONOR)
        assert a.rows[0].request.request_id == request_id_for(DONOR, "EMB-2017-0101", "5CG7331A01")
        assert request_id_for(DONOR, None, "abc") == request_id_for(DONOR, None, "ABC ")
        assert request_id_for(DONOR, "X1", "S") != request_id_for("lycee-du-golfe-vannes", "X1", "S")


HEADER = "Type;Fabricant;Modèle;Numéro de série;Numéro d'inventaire\n"


class TestRowErrors:
    def test_errors_name_line_column_and_reason(self) -> None:
        result = parse(HEADER + "Portable;Dell;Latitude;S1;I1\nGrille-pain;Dell;Latitude;S2;I2\n;HP;X;S3;I3\n")
        assert [r.line for r in result.rows] == [2]
        assert [(e.line, e.column) for e in result.errors] == [(3, "Type"), (4, "Type")]
        assert "Grille-pain" in result.errors[0].reason and "manquante" in result.errors[1].reason
        assert str(result.errors[0]).startswith("ligne 3, colonne « Type » : ")

    @pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+33 cmd", "@SUM(A1)", "-2+3"])
    def test_formula_cells_are_refused(self, cell: str) -> None:
        result = parse(HEADER + f"Portable;Dell;{cell};S1;I1\n")
        assert result.rows == []
        assert result.errors[0].column == "Modèle" and "formule" in result.errors[0].reason

    def test_duplicate_serials_are_reported_with_the_first_line(self) -> None:
        result = parse(HEADER + "Portable;Dell;A;S1;I1\nPortable;Dell;B;s1;I2\n")
        assert len(result.rows) == 1
        assert result.errors[0].line == 3 and "déjà ligne 2" in result.errors[0].reason

    def test_multiline_quoted_field_keeps_the_starting_line(self) -> None:
        result = parse('Type;Fabricant;Modèle;Numéro de série;Commentaires\nPortable;Dell;A;S1;"deux\nlignes"\n'
                       "Grille-pain;Dell;B;S2;\n")
        assert result.rows[0].request.notes == "deux\nlignes"
        assert result.errors[0].line == 4


class TestBrokenFiles:
    @pytest.mark.parametrize(("data", "words"), [
        (b"", "vide"),
        (b"\xef\xbb\xbf\r\n", "vide"),
        (HEADER.encode(), "aucun appareil"),
        (b"Fabricant;Mod\xc3\xa8le;Type\nDell;A;Portable\n", "Numéro de série"),
        (b"foo;bar\n1;2\n", "aucune colonne reconnue"),
        (b"PK\x03\x04rest-of-a-zip", "Excel"),
        ("Type;Fabricant".encode("utf-16"), "UTF-16"),
        (b"Type;Fabricant;Mod\x81le;Num\x8fro\n", "encodage non reconnu"),
        ("Type;Fabricant;Modèle;Numéro de série\nPortable;Dell;Élite;S1\n".encode().decode("cp1252").encode(),
         "mauvais encodage"),
    ])
    def test_unusable_file_is_refused_with_a_clear_reason(self, data: bytes, words: str) -> None:
        with pytest.raises(ImportFileError) as caught:
            parse_import(data, DONOR)
        assert words in str(caught.value) and str(caught.value).startswith("Fichier refusé")

    def test_a_ten_megabyte_file_is_refused_before_parsing(self) -> None:
        line = "Portable;Dell;Latitude;SERIAL;INV\n"
        data = (HEADER + line * (10 * 1024 * 1024 // len(line) + 1)).encode()
        assert len(data) > MAX_BYTES
        with pytest.raises(ImportFileError, match="Mo"):
            parse_import(data, DONOR)
