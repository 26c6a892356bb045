"""Avoided emissions of a reused device, from the ADEME/Arcep 2022 factors (`data/emission_factors.csv`).

Assumption, shown with every figure: a reused device replaces the purchase of a new one of the same
category, so reuse avoids that new device's manufacturing and assembly/distribution emissions. Use and
end of life are left out: the reused device is used and disposed of like the new one would have been.
The assumption, stated next to every figure, is the catalogues' `note.impact.assumption`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Devices that ended without a second life avoid nothing by this rule.
NOT_REUSED_STATES = frozenset({"harvested", "recycled", "written_off"})


@dataclass(frozen=True)
class EmissionFactor:
    category: str
    manufacturing_kg: float
    assembly_kg: float
    source: str


@dataclass(frozen=True)
class AvoidedEmissions:
    """The figure for one device; `kg` is None when there is none to give, and `reason` says why."""

    kg: float | None
    factor: EmissionFactor | None
    reason: str  # "reuse" | "no_factor" | "not_reused"


def parse_factors(text: str) -> dict[str, EmissionFactor]:
    """The factors of the CSV text, by category; rows without a manufacturing figure are skipped."""
    factors = {}
    for row in csv.DictReader(io.StringIO(text)):
        if not row.get("manufacturing_kg_co2e"):
            continue
        factors[row["category"]] = EmissionFactor(
            category=row["category"],
            manufacturing_kg=float(row["manufacturing_kg_co2e"]),
            assembly_kg=float(row.get("assembly_distribution_kg_co2e") or 0.0),
            source=row.get("source", ""),
        )
    return factors


@lru_cache(maxsize=1)
def default_factors() -> dict[str, EmissionFactor]:
    """The factors shipped with the package (read once)."""
    text = resources.files("marketplace").joinpath("data/emission_factors.csv").read_text(encoding="utf-8")
    return parse_factors(text)


def avoided_emissions(category: str, state: str, factors: dict[str, EmissionFactor]) -> AvoidedEmissions:
    """kg CO2e avoided by reusing a device of `category` now in `state` (manufacturing + assembly)."""
    factor = factors.get(category)
    if factor is None:
        return AvoidedEmissions(None, None, "no_factor")
    if state in NOT_REUSED_STATES:
        return AvoidedEmissions(None, factor, "not_reused")
    return AvoidedEmissions(round(factor.manufacturing_kg + factor.assembly_kg, 1), factor, "reuse")
