"""The matching policy (docs/routing-policy.md, "Matching"): which open need a refurbished device is proposed to.

Pure. A device goes to one need at a time: the nearest first (in distance bands, so that a few kilometres do
not outweigh everything else), then the Région's priority (by pays or by organisation), then the need that
has waited longest. The reasons say why, like an offer's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from marketplace.domain.needs import Adaptation, OpenNeed, Supply, fits
from marketplace.domain.reasons import Reason
from marketplace.domain.territory import distance_km, load_pays


@dataclass(frozen=True)
class MatchPolicy:
    band_km: float = 30.0
    max_km: float | None = None  # None: the whole region
    priority_pays: dict[str, int] = field(default_factory=dict)
    priority_orgs: dict[str, int] = field(default_factory=dict)
    adaptation: Adaptation = field(default_factory=Adaptation)

    def priority(self, need: OpenNeed) -> int:
        return max(self.priority_pays.get(need.pays_code, 0), self.priority_orgs.get(need.org, 0))


@dataclass(frozen=True)
class Match:
    need: OpenNeed
    km: float
    reasons: tuple[Reason, ...]


def _km(a: str, b: str) -> float:
    pays = load_pays()
    if a == b or a not in pays or b not in pays:
        return 0.0 if a == b else float("inf")
    return distance_km(pays[a], pays[b])


def rank(device: Supply, needs: list[OpenNeed], policy: MatchPolicy, now: datetime) -> list[Match]:
    """The needs this device fits, best first (the matcher proposes it to the first)."""
    scored = []
    for need in needs:
        if need.remaining <= 0 or not fits(device, need.spec, policy.adaptation):
            continue
        km = _km(device.pays_code, need.pays_code)
        if policy.max_km is not None and km > policy.max_km:
            continue
        band = 0 if device.pays_code == need.pays_code else 1 + int(km // policy.band_km)
        scored.append(((band, -policy.priority(need), need.created_at, need.id), need, km))
    scored.sort(key=lambda item: item[0])
    return [Match(need, km, explain(device, need, km, policy, now)) for _, need, km in scored]


def explain(device: Supply, need: OpenNeed, km: float, policy: MatchPolicy, now: datetime) -> tuple[Reason, ...]:
    """Why this device goes to this need: where, what fits, how long it waited, its priority."""
    spec = need.spec
    pays = load_pays().get(need.pays_code)
    where = pays.name if pays else need.pays_code
    reasons = [Reason("need.same_pays", (where,)) if km == 0.0 else Reason("need.distance", (where, round(km, 1)))]
    if spec.min_ram_gb is not None:
        reasons.append(Reason("need.ram", (device.ram_gb, spec.min_ram_gb)))
    if spec.min_storage_gb is not None:
        reasons.append(Reason("need.storage", (device.storage_gb, spec.min_storage_gb)))
    if spec.min_screen_in is not None or "large_screen" in spec.adapted:
        reasons.append(Reason("need.screen", (device.screen_in, spec.min_screen_in or policy.adaptation.large_screen_in)))
    reasons.append(Reason("need.grade", (device.grade,)))
    if "lightweight" in spec.adapted:
        reasons.append(Reason("need.lightweight", (device.weight_kg, policy.adaptation.lightweight_kg)))
    if "screen_reader_os" in spec.adapted:
        reasons.append(Reason("need.screen_reader_os", (device.os_installed,)))
    if "accessible_keyboard" in spec.adapted:
        reasons.append(Reason("need.keyboard_to_check", ()))
    reasons.append(Reason("need.waiting", (max(0, (now - need.created_at).days),)))
    if priority := policy.priority(need):
        reasons.append(Reason("need.priority", (priority,)))
    reasons.append(Reason("need.remaining", (need.remaining, spec.quantity)))
    return tuple(reasons)
