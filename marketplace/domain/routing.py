"""The first routing policy: repair associations that accept the category, same pays first, then nearest.

Issue 4 replaces this with the full policy (eligibility, capacity, fairness); the inputs and outputs
already have the shape it needs: a pure function from a device and candidates to scored offers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from marketplace.domain.territory import Pays, distance_km, load_pays


@dataclass(frozen=True)
class Candidate:
    slug: str
    kind: str
    pays_code: str
    accepted_categories: frozenset[str]


@dataclass(frozen=True)
class RoutedOffer:
    org_slug: str
    score: float
    reasons: tuple[str, ...]


REFURBISHER_KINDS = frozenset({"association"})


def route(
    category: str, device_pays: str, candidates: Iterable[Candidate], k: int, exclude: frozenset[str] = frozenset()
) -> list[RoutedOffer]:
    """Up to `k` offers, best first. Deterministic: ties are broken by slug."""
    pays = load_pays()
    origin = pays[device_pays]
    ranked: list[tuple[float, str, RoutedOffer]] = []
    for c in candidates:
        if c.kind not in REFURBISHER_KINDS or c.slug in exclude or category not in c.accepted_categories:
            continue
        where = pays.get(c.pays_code)
        if where is None:
            continue
        km = distance_km(origin, where)
        ranked.append((km, c.slug, RoutedOffer(c.slug, _score(km), _reasons(category, origin, where, km))))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [offer for _, _, offer in ranked[:k]]


def _score(km: float) -> float:
    # 1.0 in the same pays, halving every 50 km: readable, and monotonic in distance.
    return round(0.5 ** (km / 50.0), 4)


def _reasons(category: str, origin: Pays, where: Pays, km: float) -> tuple[str, ...]:
    accepts = f"accepte la catégorie {category}"
    if where.code == origin.code:
        return (accepts, f"même pays : {origin.name}")
    return (accepts, f"{where.name}, à {km:.0f} km de {origin.main_town}")
