"""The routing policy's parameters. Every threshold is a setting, because decrees change them.

Defaults come from `shared/data/regulation.md` and LIFECYCLE.md ("Routing policy"); each one names the
text it applies, and the same citation appears in the checks recorded on every offer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from marketplace.domain.reasons import Reason

# Citations, quoted in the eligibility checks so an auditor can see which text each rule applies.
CG3P_DONATION = "CG3P art. L3212-2 3° et L3212-3"
DONATION_CEILING_TEXT = "arrêté du 6 mai 2022 (plafond de valeur unitaire)"
REUSE_AGE_TEXT = "loi REEN 2021-1485 art. 16, décret 2023-266"


@dataclass(frozen=True)
class Weights:
    """Relative weights of the score's components; the score is their weighted mean (0 to 1).

    Territory weighs most, so fairness and reliability reorder organisations of a similar distance
    ("among equals", LIFECYCLE.md) rather than sending a device across the region."""

    territory: float = 0.5
    fairness: float = 0.25
    capacity: float = 0.1
    reliability: float = 0.15

    @property
    def total(self) -> float:
        return self.territory + self.fairness + self.capacity + self.reliability


@dataclass(frozen=True)
class RoutingRules:
    k: int = 3
    weights: Weights = field(default_factory=Weights)
    # Devices older than this (in years since purchase) leave the reuse channel: REEN/décret 2023-266
    # only require reuse below 10 years, and older equipment goes to WEEE recycling.
    reuse_max_age_years: int = 10
    # Above this unit value a device cannot be given away for free (arrêté du 6 mai 2022).
    donation_ceiling_eur: float = 300.0
    # Kinds that may receive a donation under CG3P L3212-2 3° (reuse associations; fab labs are
    # associations too). Recyclers receive through the WEEE channel, which is not a donation.
    donation_kinds: frozenset[str] = frozenset({"association", "fablab"})
    weee_kinds: frozenset[str] = frozenset({"recycler"})
    # Who gets a device still fit for reuse, and who gets one past it (old or broken).
    refurbisher_kinds: frozenset[str] = frozenset({"association"})
    end_of_life_kinds: frozenset[str] = frozenset({"fablab", "recycler"})
    # Territory of each round: round n may reach candidates in the device's department or within
    # round_radius_km[n-1] km; past the list, the whole region. See `scope_of_round`.
    round_radius_km: tuple[float, ...] = (120.0, 200.0)
    # Distance over which the territory score halves: readable, and monotonic in distance.
    halving_km: float = 50.0
    fairness_window_days: int = 30


@dataclass(frozen=True)
class Scope:
    """The territory a round may reach: `radius_km` None means the whole region."""

    round: int
    radius_km: float | None

    def describe(self) -> str:
        return _describe(self)

    def reason(self) -> Reason:
        if self.radius_km is None:
            return Reason("round.region", (self.round,))
        return Reason("round.radius", (self.round, self.radius_km))


@lru_cache(maxsize=64)
def _describe(scope: Scope) -> str:
    """Every candidate's territory check quotes its round: written once per round."""
    return scope.reason().french()


def scope_of_round(rules: RoutingRules, round_: int) -> Scope:
    """Round 1 stays close (pickups are by van), each later round reaches further, then the region.

    The department alone is too narrow for round 1: Finistère has two repair associations, so a Brest
    device would get fewer than k offers; a radius around the device's pays town fixes that while
    still keeping the first offers local."""
    if round_ < 1:
        raise ValueError("routing rounds count from 1")
    radii = rules.round_radius_km
    return Scope(round_, radii[round_ - 1] if round_ <= len(radii) else None)
