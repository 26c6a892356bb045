"""Cell values as the intake contract wants them: categories, conditions, years, booleans, numbers. Pure.

Each converter returns the value or raises `CellError` with a reason a user can act on.
"""

from __future__ import annotations

import math
import re
from datetime import date

from marketplace.imports.columns import normalise


class CellError(ValueError):
    """Why one cell cannot be used."""


# Dangerous first characters in a spreadsheet (CSV injection, OWASP): the cell would run as a formula when
# someone opens an export containing it. Plain numbers such as "-1" are not formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def check_formula(cell: str) -> None:
    if cell.startswith(_FORMULA_START) and not _NUMBER.match(cell):
        raise CellError(
            f"commence par « {cell[0]!s} » : ressemble à une formule de tableur, refusée par sécurité "
            "(retirez ce caractère ou mettez la valeur entre guillemets précédée d'une apostrophe dans le tableur)")


CATEGORIES: dict[str, str] = {
    "laptop": "laptop", "portable": "laptop", "ordinateur portable": "laptop", "notebook": "laptop",
    "pc portable": "laptop", "ultraportable": "laptop", "netbook": "laptop",
    "desktop": "desktop", "unite centrale": "desktop", "ordinateur fixe": "desktop", "poste fixe": "desktop",
    "tour": "desktop", "mini tour": "desktop", "minitour": "desktop", "pc fixe": "desktop", "tout en un": "desktop",
    "all in one": "desktop", "station de travail": "desktop", "client leger": "desktop", "mini pc": "desktop",
    "monitor": "monitor", "ecran": "monitor", "moniteur": "monitor",
    "tablet": "tablet", "tablette": "tablet",
    "smartphone": "smartphone", "telephone": "smartphone", "telephone mobile": "smartphone",
    "printer": "printer", "imprimante": "printer", "multifonction": "printer",
    "network": "network", "reseau": "network", "switch": "network", "commutateur": "network", "routeur": "network",
    "borne wifi": "network", "server": "server", "serveur": "server",
    "peripheral": "peripheral", "peripherique": "peripheral", "videoprojecteur": "peripheral",
    "other": "other", "autre": "other",
}
# Device kinds that carry data-bearing storage when the file does not say.
STORAGE_BY_DEFAULT = frozenset({"laptop", "desktop", "tablet", "smartphone", "server"})

CONDITIONS: dict[str, str] = {
    "working": "working", "fonctionnel": "working", "en service": "working", "en stock": "working",
    "bon etat": "working", "ok": "working", "faulty": "faulty", "en panne": "faulty", "defectueux": "faulty",
    "en reparation": "faulty", "a reparer": "faulty", "broken": "broken", "casse": "broken", "hs": "broken",
    "detruit": "broken", "unknown": "unknown", "inconnu": "unknown", "hors service": "unknown",
    "rebut": "unknown", "a reformer": "unknown", "reforme": "unknown", "": "unknown",
}
_TRUE = {"oui", "yes", "true", "vrai", "1", "o", "y", "x"}
_FALSE = {"non", "no", "false", "faux", "0", "n"}


def category(cell: str) -> str:
    found = CATEGORIES.get(normalise(cell))
    if found is None:
        raise CellError(f"type « {cell} » inconnu (attendu : portable, unité centrale, écran, tablette, "
                        "smartphone, imprimante, réseau, serveur, périphérique, autre)")
    return found


def condition(cell: str) -> str:
    return CONDITIONS.get(normalise(cell), "unknown")


def boolean(cell: str) -> bool:
    word = normalise(cell)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise CellError(f"« {cell} » n'est ni oui ni non")


def number(cell: str) -> float:
    text = cell.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError as exc:
        raise CellError(f"« {cell} » n'est pas un nombre") from exc


# A date as GLPI writes it: ISO (its CSV export, sometimes followed by a time) or the French display.
_DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),  # 2018-09-03
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$"),  # 03/09/2018
)
_YEAR_ONLY = re.compile(r"^(?P<y>\d{4})$")  # 2018


def _plausible(found: int) -> int:
    if not 1980 <= found <= date.today().year:
        raise CellError(f"année {found} invraisemblable (entre 1980 et {date.today().year})")
    return found


def day(cell: str) -> date:
    """A whole date (AAAA-MM-JJ or JJ/MM/AAAA); a day that does not exist (31/02/2017) is refused."""
    text = cell.strip()
    for pattern in _DATE_FORMATS:
        if match := pattern.match(text):
            y, m, d = (int(match.group(g)) for g in ("y", "m", "d"))
            try:
                found = date(y, m, d)
            except ValueError:
                raise CellError(f"« {cell} » n'est pas une date qui existe (jour {d}, mois {m}, année {y})") from None
            _plausible(found.year)
            return found
    raise CellError(f"« {cell} » n'est pas une date (AAAA-MM-JJ, JJ/MM/AAAA ou AAAA)")


def year(cell: str) -> int:
    """The year of a date, or a year alone; never the year of an impossible date."""
    if match := _YEAR_ONLY.match(cell.strip()):
        return _plausible(int(match.group("y")))
    return day(cell).year


# Several values in one cell (a computer with two disks): GLPI's export separates them with a line break.
_MANY = re.compile(r"\r?\n|<br\s*/?>|\$\$##\$\$|#LBBR#", re.IGNORECASE)


def mebibytes_total(cell: str) -> float:
    """The sum of the sizes in a cell, in Mio ("8192", "8 192", "244198<br>953869"); refused when one is not a
    number or is negative."""
    parts = [p for p in (part.strip() for part in _MANY.split(cell)) if p]
    total = 0.0
    for part in parts:
        size = number(part)
        if not math.isfinite(size) or size < 0:
            raise CellError(f"« {part} » n'est pas une taille en Mio (nombre positif attendu)")
        total += size
    return total


def ram_gb_of_mib(mib: float) -> float:
    """Memory in Go as it is sold (1 Go = 1024 Mio), to one decimal: 8192 Mio -> 8.0, 3072 -> 3.0."""
    return round(mib / 1024, 1)


def storage_gb_of_mib(mib: float) -> float:
    """Disk capacity in GB as disks are labelled (10^9 bytes; 1 Mio = 1,048,576 bytes), to the nearest whole GB:
    a "256 GB" SSD that GLPI reports as 244198 Mio -> 256."""
    return float(round(mib * 1_048_576 / 1_000_000_000))


def one_line(cell: str) -> str:
    """Several values of a cell on one line, separated by commas ("Windows 10 Éducation", "Ubuntu, Debian")."""
    return ", ".join(p for p in (part.strip() for part in _MANY.split(cell)) if p)
