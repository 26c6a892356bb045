"""Generated CSV files through the import parser: any bytes end in a refusal of the whole file that says
why, or in rows and row errors that account for every record of the file, each error naming its line
and column; in near-valid files, exactly the rows that were broken are refused, at the right line and column."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from marketplace.imports import parse_import
from marketplace.imports.decoding import ImportFileError
from marketplace.imports.rows import ParsedImport
from tests.fuzz import NASTY

DONOR = "lycee-des-embruns-brest"
COLUMNS = ["category", "brand", "model", "serial", "inventory_number", "year", "condition", "has_storage", "site",
           "cpu", "ram_gb", "storage_gb", "storage_type", "screen_in", "weight_kg", "unit_value_eur", "notes"]
REQUIRED = ["category", "brand", "model", "serial"]
GOOD = {"category": ["portable", "Unité centrale", "écran", "laptop"], "brand": ["Dell", "Lenovo", "HP"],
        "model": ["Latitude 5480", "ThinkPad T470", "EliteBook; 840", 'Modèle "spécial"', "deux\nlignes"],
        "inventory_number": ["", "INV-1", "LYC 2018/07"], "year": ["", "2018", "2018-09-03", "03/09/2018"],
        "condition": ["", "fonctionnel", "en panne", "n'importe quoi"], "has_storage": ["", "oui", "non", "x"],
        "site": ["", "Bâtiment B > Salle 12"], "cpu": ["", "i5-7300U"], "ram_gb": ["", "8", "7,5"],
        "storage_gb": ["", "256"], "storage_type": ["", "ssd"], "screen_in": ["", "14", "15,6"],
        "weight_kg": ["", "1,8", "2"], "unit_value_eur": ["", "0", "120,50"], "notes": ["", "RAS", "à voir, vite"]}
# A fault in one cell, and the column the parser must blame.
FAULTS = {"formula": ["=1+1", "+SUM(A1:A9)", "@cmd", "-x", "=HYPERLINK(\"http://x\")", "\t=1+1", " @SUM(A1)"],
          "category": ["Grille-pain", "lap top!"], "year": ["1850", "demain", "2999-01-01"],
          "has_storage": ["peut-être"], "ram_gb": ["huit"], "weight_kg": ["lourd", "-5", "0", "99999"],
          "unit_value_eur": ["-1", "cher"], "brand": [""], "model": [""], "serial": [""],
          "notes": ["n" * 2001], "cpu": ["c" * 121]}


@dataclass
class Row:
    cells: dict[str, str]
    broken: str | None  # the column that must be blamed, or None


def check_structure(parsed: ParsedImport, text_lines: int) -> None:
    """Whatever the file: rows are valid requests, errors name a line of the file, no line is both."""
    error_lines = {e.line for e in parsed.errors}
    assert not error_lines & {r.line for r in parsed.rows}
    for error in parsed.errors:
        assert 2 <= error.line <= text_lines + 1, error
        assert error.reason.strip() and str(error).startswith(f"ligne {error.line}")
    for row in parsed.rows:
        assert row.request.donor == DONOR and row.request.request_id.startswith("csv-")
        assert row.request.serial and row.request.brand and row.request.model


@given(st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=600).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.lists(st.one_of(st.text(max_size=12), NASTY, st.sampled_from(COLUMNS)), max_size=8),
             max_size=8).map(lambda rows: "\n".join(";".join(r) for r in rows).encode("utf-8", "surrogatepass")),
))
def test_any_bytes_are_refused_whole_with_a_reason_or_parsed_line_by_line(data: bytes) -> None:
    try:
        parsed = parse_import(data, DONOR)
    except ImportFileError as exc:
        assert str(exc).startswith("Fichier refusé : ") and len(str(exc)) > len("Fichier refusé : ")
        return
    check_structure(parsed, data.count(b"\n") + data.count(b"\r") + 1)


def table(draw: st.DrawFn) -> tuple[list[str], list[Row]]:
    optional = draw(st.lists(st.sampled_from([c for c in COLUMNS if c not in REQUIRED]), unique=True, max_size=8))
    header = draw(st.permutations(REQUIRED + optional))
    rows = []
    for i in range(draw(st.integers(1, 6))):
        cells = {c: draw(st.sampled_from(GOOD[c])) for c in header if c != "serial"}
        cells["serial"] = f"SN-{i:04d}"
        if cells.get("inventory_number"):
            cells["inventory_number"] += f"-{i}"
        broken = None
        if draw(st.booleans()):
            kind = draw(st.sampled_from(sorted(FAULTS)))
            column = draw(st.sampled_from(header)) if kind == "formula" else kind
            if column in header:
                cells[column] = draw(st.sampled_from(FAULTS[kind]))
                broken = column
        rows.append(Row(cells, broken))
    return list(header), rows


@st.composite
def files(draw: st.DrawFn) -> tuple[bytes, list[str], list[Row], list[int]]:
    header, rows = table(draw)
    separator = draw(st.sampled_from([";", ",", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator=newline, quoting=draw(
        st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])))
    writer.writerow(header)
    starts = []
    line = 2
    for row in rows:
        starts.append(line)
        values = [row.cells[c] for c in header]
        writer.writerow(values)
        line += sum(v.count("\n") for v in values) + 1
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    return data, header, rows, starts


@given(files())
def test_near_valid_files_refuse_exactly_the_broken_rows_at_their_line_and_column(
        generated: tuple[bytes, list[str], list[Row], list[int]]) -> None:
    data, _header, rows, starts = generated
    parsed = parse_import(data, DONOR)
    check_structure(parsed, data.count(b"\n") + 1)
    errors = {(e.line, e.column) for e in parsed.errors}
    parsed_by_line = {r.line: r.request for r in parsed.rows}
    for row, line in zip(rows, starts, strict=True):
        if row.broken is None:
            request = parsed_by_line.get(line)
            assert request is not None, (line, row, parsed.errors)
            assert (request.serial, request.brand, request.model.replace("\r", "")) == (
                row.cells["serial"], row.cells["brand"], row.cells["model"].strip())
        else:
            assert line not in parsed_by_line
            assert (line, row.broken) in errors, (line, row, parsed.errors)


def test_a_nul_past_the_binary_sniffing_window_is_a_row_error_not_a_crash() -> None:
    rows = "".join(f"portable;Dell;Latitude;SN{i:05d}\n" for i in range(300))
    data = f"category;brand;model;serial\n{rows}portable;Dell;La\x00titude;SNNUL\n".encode()
    assert len(data) > 4096
    parsed = parse_import(data, DONOR)
    assert [(e.line, e.column) for e in parsed.errors] == [(302, "model")]
    assert len(parsed.rows) == 300
