"""Bretagne's 21 pays and the distances between their main towns."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Pays:
    code: str
    name: str
    department_codes: tuple[str, ...]
    main_town: str
    lat: float
    lon: float


@lru_cache(maxsize=1)
def load_pays() -> dict[str, Pays]:
    """The reference list shipped with the package (source: shared/data/bretagne_pays.csv)."""
    text = resources.files("marketplace").joinpath("data/bretagne_pays.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return {
        r["pays_code"]: Pays(
            r["pays_code"], r["pays_name"], tuple(r["department_codes"].split(";")), r["main_town"],
            float(r["lat"]), float(r["lon"]),
        )
        for r in rows
    }


def distance_km(a: Pays, b: Pays) -> float:
    """Great-circle distance between two pays' main towns."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def share_department(a: Pays, b: Pays) -> bool:
    return bool(set(a.department_codes) & set(b.department_codes))
