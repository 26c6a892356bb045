"""A CSV file to intake messages: every row validated, every refusal naming its line, column and reason.

Pure. `request_id` is derived from the donor and the row's identity in the donor's inventory (its
inventory number, else its serial), never from its position in the file: the same device imported twice,
from the same file or a later export, is the same intake request and is retired once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from marketplace.imports import values
from marketplace.imports.columns import REQUIRED, SHOWN, guess_format, map_columns, normalise
from marketplace.imports.decoding import ImportFileError, decode, records, sniff_delimiter
from schemas.intake import RetirementRequest


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # the header as written in the file ("" for the whole row)
    reason: str

    def __str__(self) -> str:
        where = f"ligne {self.line}" + (f", colonne « {self.column} »" if self.column else "")
        return f"{where} : {self.reason}"


@dataclass(frozen=True)
class ParsedRow:
    line: int
    request: RetirementRequest


@dataclass
class ParsedImport:
    donor: str
    format: str  # "template" or "glpi"
    encoding: str
    delimiter: str
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})


# Fields read from another column when theirs is absent (sizes in Mio, the year from the purchase date).
_SOURCE_OF = {"ram_gb": "ram_mb", "storage_gb": "storage_mb", "year": "purchase_date"}


def request_id_for(donor: str, inventory_number: str | None, serial: str) -> str:
    """Deterministic: the same device of the same donor always gets the same request id."""
    identity = f"inv:{normalise(inventory_number)}" if inventory_number else f"sn:{serial.strip().upper()}"
    digest = hashlib.sha256(f"{donor}\x1f{identity}".encode()).hexdigest()[:24]
    return f"csv-{digest}"


def parse_import(data: bytes, donor: str) -> ParsedImport:
    """Parse and validate a whole file; raises ImportFileError when the file itself is unusable."""
    decoded = decode(data)
    delimiter = sniff_delimiter(decoded.text)
    header, rows = records(decoded.text, delimiter)
    mapping, unused = map_columns(header)
    if "category" not in mapping and "name" not in mapping and "serial" not in mapping:
        raise ImportFileError("aucune colonne reconnue : utilisez le modèle Seconde Vie ou un export GLPI "
                              "(Nom, Numéro de série, Fabricant, Modèle, Type...)")
    missing = [SHOWN[f] for f in REQUIRED if f not in mapping]
    if missing:
        raise ImportFileError("colonne(s) obligatoire(s) absente(s) : " + ", ".join(missing))
    if not rows:
        raise ImportFileError("le fichier ne contient que la ligne d'en-tête, aucun appareil")
    result = ParsedImport(donor, guess_format(mapping, header), decoded.encoding, delimiter,
                          ignored_columns=unused)
    seen_serials: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    for line, cells in rows:
        errors: list[RowError] = []
        request = _row(donor, line, cells, header, mapping, errors)
        if request is not None:
            _check_duplicates(request, line, header[mapping["serial"]], seen_serials, seen_ids, errors)
        if errors:
            result.errors.extend(errors)
        elif request is not None:
            result.rows.append(ParsedRow(line, request))
    return result


def _row(donor: str, line: int, cells: list[str], header: list[str], mapping: dict[str, int],
         errors: list[RowError]) -> RetirementRequest | None:
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
        errors.append(RowError(line, "", f"{len(cells)} valeurs pour {len(header)} colonnes (séparateur "
                                         "dans une valeur non entre guillemets ?)"))
        return None
    for index, raw in enumerate(cells):
        try:
            values.check_formula(raw.strip())
        except values.CellError as exc:
            errors.append(RowError(line, header[index] if index < len(header) else "", str(exc)))
    if errors:
        return None

    def cell(name: str) -> str:
        index = mapping.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def convert(name: str, fn: Callable[[str], Any]) -> Any:
        text = cell(name)
        if not text:
            return None
        try:
            return fn(text)
        except values.CellError as exc:
            errors.append(RowError(line, header[mapping[name]], str(exc)))
            return None

    fields: dict[str, Any] = {"donor": donor}
    for name in ("brand", "model", "serial"):
        if not cell(name):
            errors.append(RowError(line, header[mapping[name]], "valeur obligatoire manquante"))
        fields[name] = cell(name)
    category = convert("category", values.category)
    if category is None and not cell("category"):
        errors.append(RowError(line, header[mapping["category"]], "valeur obligatoire manquante"))
    fields["category"] = category
    fields["year"] = convert("year", values.year)
    purchased = convert("purchase_date", values.day)  # checked even when a year column is there
    if fields["year"] is None and purchased is not None:
        fields["year"] = purchased.year
    fields["condition"] = values.condition(cell("condition"))
    storage = convert("has_storage", values.boolean)
    fields["has_storage"] = storage if storage is not None else category in values.STORAGE_BY_DEFAULT
    fields["inventory_number"] = cell("inventory_number") or None
    fields["site"] = cell("site") or None
    for name in ("weight_kg", "unit_value_eur"):
        fields[name] = convert(name, values.number)
    system = " ".join(p for p in (values.one_line(cell("os")), values.one_line(cell("os_version"))) if p)
    specs = {"cpu": values.one_line(cell("cpu")) or None, "ram_gb": convert("ram_gb", values.number),
             "storage_gb": convert("storage_gb", values.number), "storage_type": cell("storage_type") or None,
             "screen_in": convert("screen_in", values.number), "os": system or None}
    if (ram_mb := convert("ram_mb", values.mebibytes_total)) is not None and specs["ram_gb"] is None:
        specs["ram_gb"] = values.ram_gb_of_mib(ram_mb)
    if (storage_mb := convert("storage_mb", values.mebibytes_total)) is not None and specs["storage_gb"] is None:
        specs["storage_gb"] = values.storage_gb_of_mib(storage_mb)
    fields["specs"] = {k: v for k, v in specs.items() if v is not None} or None
    notes = [f"Nom dans l'inventaire : {cell('name')}" if cell("name") else "", cell("notes")]
    fields["notes"] = " — ".join(n for n in notes if n) or None
    if errors:
        return None
    fields["request_id"] = request_id_for(donor, fields["inventory_number"], fields["serial"])
    try:
        return RetirementRequest.model_validate(fields)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            name = loc[1] if loc[:1] == ["specs"] and len(loc) > 1 else (loc[0] if loc else "")  # specs.cpu: "cpu"
            name = name if name in mapping else _SOURCE_OF.get(name, name)
            column = header[mapping[name]] if name in mapping else name
            errors.append(RowError(line, column, err["msg"]))
        return None


def _check_duplicates(request: RetirementRequest, line: int, serial_column: str, seen_serials: dict[str, int],
                      seen_ids: dict[str, int], errors: list[RowError]) -> None:
    serial = request.serial.upper()
    if serial in seen_serials:
        errors.append(RowError(line, serial_column, f"numéro de série {request.serial} en double "
                                                    f"(déjà ligne {seen_serials[serial]})"))
    elif request.request_id in seen_ids:
        errors.append(RowError(line, "", f"même numéro d'inventaire que la ligne {seen_ids[request.request_id]}"))
    else:
        seen_serials[serial] = line
        seen_ids[request.request_id] = line
