"""Bytes to CSV records: size limits, encoding (UTF-8 with or without BOM, else Windows-1252), separator.

Pure: no I/O. Every refusal is an `ImportFileError` whose message says what is wrong with the file and
how to fix it (the users export from GLPI or a spreadsheet, not from a program).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from marketplace.domain.errors import InvalidInput

MAX_BYTES = 5 * 1024 * 1024  # about 25,000 devices: more is several imports, not one
MAX_ROWS = 20_000

# UTF-8 text read as Windows-1252 (and saved again) turns "é" into "Ã©": a file that went through that
# is refused rather than imported with garbled names.
_MOJIBAKE = re.compile("Ã[\u00a0-\u00bf]|Â[\u00a0-\u00bf]|â€")


class ImportFileError(InvalidInput):
    """The whole file is unusable (empty, too big, not text, no known columns)."""

    message_key = "import.file_invalid"

    def __init__(self, detail: str) -> None:
        super().__init__(detail=detail)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-8-sig" or "cp1252"


def too_large() -> ImportFileError:
    """The refusal of a file the door stopped reading at MAX_BYTES (its full size is not known)."""
    return ImportFileError(f"le fichier dépasse la limite de {MAX_BYTES // 1_048_576} Mo : découpez-le en plusieurs "
                           "fichiers")


def decode(data: bytes) -> Decoded:
    """The file's text, or an ImportFileError naming the problem (size, binary, encoding)."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            f"le fichier fait {len(data) / 1_048_576:.1f} Mo, plus que la limite de {MAX_BYTES // 1_048_576} Mo : "
            "découpez-le en plusieurs fichiers")
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError("le fichier est vide")
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ImportFileError("c'est un classeur Excel ou LibreOffice, pas un CSV : enregistrez-le au format CSV")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise ImportFileError("encodage UTF-16 ou fichier binaire : enregistrez le fichier en CSV UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = _strict(data[3:], "utf-8"), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _strict(data, "cp1252"), "cp1252"
    if _MOJIBAKE.search(text):
        raise ImportFileError(
            "mauvais encodage : des accents sont déformés (« Ã© » au lieu de « é »), le fichier a été converti "
            "deux fois ; exportez-le à nouveau en UTF-8")
    return Decoded(text, encoding)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            f"encodage non reconnu (ni UTF-8 ni Windows-1252), octet 0x{data[exc.start]:02x} à la ligne {line} : "
            "enregistrez le fichier en CSV UTF-8") from exc


def sniff_delimiter(text: str) -> str:
    """`;` (French spreadsheets, GLPI) or `,`: whichever splits the header line into more fields."""
    header = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]  # old Mac spreadsheets end lines with a bare CR
    counts = {sep: _fields(header, sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 1 else ";"


def _fields(line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:  # a field over csv's size limit: `records` refuses the file, naming the line
        return 0


def records(text: str, delimiter: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and each non-blank record with the line it starts on (quoted fields may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=True)
    try:
        header = next(reader)
        rows: list[tuple[int, list[str]]] = []
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((start, row))
                if len(rows) > MAX_ROWS:
                    raise ImportFileError(f"plus de {MAX_ROWS} lignes : découpez le fichier")
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(f"CSV mal formé à la ligne {reader.line_num} : {exc}") from exc
    return [h.strip() for h in header], rows
