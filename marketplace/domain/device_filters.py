"""What the device lists (the catalogue, /appareils) may be filtered by, checked on the server. Pure.

Each field is checked on its own and refused with its own sentence (`refusal.filter.<field>`), naming the
value that was typed: "RAM minimale : huit" says the RAM must be a number of GB. Numbers accept the French
decimal comma as well as the point. A refused filter reads nothing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from marketplace.domain.errors import InvalidInput
from marketplace.domain.lifecycle import State
from marketplace.domain.territory import load_pays
from schemas.common import Category

GRADES = ("A", "B", "C")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The upper bound of each minimum: the same as the device record's (schemas.intake.Specs).
MAXIMA = {"min_ram_gb": 4096.0, "min_storage_gb": 1_000_000.0, "min_screen_in": 120.0}
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class CatalogueFilter:
    category: str | None = None
    grade: str | None = None
    pays: str | None = None
    min_ram_gb: float | None = None
    min_storage_gb: float | None = None
    min_screen_in: float | None = None


@dataclass(frozen=True)
class DeviceListFilter:
    state: str | None = None
    donor: str | None = None
    pays: str | None = None
    retired_from: date | None = None
    retired_to: date | None = None


def _shown(value: object) -> str:
    return str(value)[:40]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def choice(name: str, value: str | None, allowed: frozenset[str] | tuple[str, ...]) -> str | None:
    """One of `allowed`, or None when empty; refused with `refusal.filter.<name>` otherwise."""
    if _blank(value):
        return None
    assert value is not None
    if value.strip() not in allowed:
        raise InvalidInput(f"filter.{name}", value=_shown(value))
    return value.strip()


def minimum(name: str, value: float | str | None) -> float | None:
    """A minimum ("8", "1,5", 2.5) between 0 and its field's maximum, or None when empty."""
    if _blank(value):
        return None
    if isinstance(value, str):
        text = value.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
        if not _NUMBER.match(text):
            raise InvalidInput(f"filter.{name}", value=_shown(value), max=f"{MAXIMA[name]:g}")
        number = float(text)
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"filter.{name}", value=_shown(value), max=f"{MAXIMA[name]:g}")
    else:
        number = float(value)
    if not math.isfinite(number) or not 0 <= number <= MAXIMA[name]:
        raise InvalidInput(f"filter.{name}", value=_shown(value), max=f"{MAXIMA[name]:g}")
    return number


def day(name: str, value: date | str | None) -> date | None:
    """A day (AAAA-MM-JJ, as a date field sends it, or JJ/MM/AAAA), or None when empty."""
    if _blank(value):
        return None
    if isinstance(value, date):
        return value
    assert isinstance(value, str)
    text = value.strip()
    french = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text)
    try:
        if french:
            return date(int(french.group(3)), int(french.group(2)), int(french.group(1)))
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise InvalidInput(f"filter.{name}", value=_shown(value))


def catalogue_filter(category: str | None = None, grade: str | None = None, pays: str | None = None,
                     min_ram_gb: float | str | None = None, min_storage_gb: float | str | None = None,
                     min_screen_in: float | str | None = None) -> CatalogueFilter:
    return CatalogueFilter(
        category=choice("category", category, frozenset(Category)),
        grade=choice("grade", grade, GRADES),
        pays=choice("pays", pays, frozenset(load_pays())),
        min_ram_gb=minimum("min_ram_gb", min_ram_gb),
        min_storage_gb=minimum("min_storage_gb", min_storage_gb),
        min_screen_in=minimum("min_screen_in", min_screen_in),
    )


def device_list_filter(state: str | None = None, donor: str | None = None, pays: str | None = None,
                       retired_from: date | str | None = None,
                       retired_to: date | str | None = None) -> DeviceListFilter:
    if not _blank(donor) and not SLUG.match(str(donor).strip()):
        raise InvalidInput("filter.donor", value=_shown(donor))
    found = DeviceListFilter(
        state=choice("state", state, frozenset(State)),
        donor=None if _blank(donor) else str(donor).strip(),
        pays=choice("pays", pays, frozenset(load_pays())),
        retired_from=day("retired_from", retired_from),
        retired_to=day("retired_to", retired_to),
    )
    if found.retired_from and found.retired_to and found.retired_from > found.retired_to:
        raise InvalidInput("filter.dates_order", start=found.retired_from.isoformat(),
                           end=found.retired_to.isoformat())
    return found


def pays_choices() -> list[tuple[str, str]]:
    """The 21 pays as (code, name), by name: what a filter offers to choose from (names, never codes)."""
    return sorted(((p.code, p.name) for p in load_pays().values()), key=lambda pair: pair[1])
