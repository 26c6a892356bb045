"""Cell values as the intake contract wants them: categories, conditions, years, booleans, numbers. Pure.

Each converter returns the value or raises `CellError` with a reason a user can act on.
"""

from __future__ import annotations

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


_DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-\d{1,2}-\d{1,2}"),        # 2018-09-03 (GLPI, ISO)
    re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-](?P<y>\d{4})"),  # 03/09/2018, 03-09-2018 (GLPI French display)
    re.compile(r"^(?P<y>\d{4})$"),                        # 2018
)


def year(cell: str) -> int:
    for pattern in _DATE_FORMATS:
        if match := pattern.match(cell.strip()):
            found = int(match.group("y"))
            if not 1980 <= found <= date.today().year:
                raise CellError(f"année {found} invraisemblable (entre 1980 et {date.today().year})")
            return found
    raise CellError(f"« {cell} » n'est pas une date (AAAA-MM-JJ, JJ/MM/AAAA ou AAAA)")
