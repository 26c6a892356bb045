"""The routing policy (LIFECYCLE.md, "Routing policy"): a pure function from a device to scored offers.

1. Eligibility first (`routing_checks`): category, reuse or end-of-life channel, legal basis of the
   transfer and value ceiling, free capacity. Excluded organisations (decliners) and organisations
   outside the round's territory (`routing_rules.scope_of_round`) are rejected too.
2. The eligible are scored by a weighted mean of four components, each between 0 and 1:
   territory (same pays 1; same department 0.5-0.9; elsewhere below 0.5, halving every 50 km),
   fairness (1 - devices received over 30 days / capacity), capacity (free / capacity) and
   reliability (halved by each no-show over 30 days).
3. The best k, ties broken by slug: same inputs, same offers, whatever the candidates' order.
No clock and no I/O: "today" and the candidates' loads are inputs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from marketplace.domain.reasons import Reason
from marketplace.domain.routing_checks import Candidate, Check, Device, eligibility_checks
from marketplace.domain.routing_rules import RoutingRules, Scope, scope_of_round
from marketplace.domain.territory import Pays, distance_km, load_pays, share_department

__all__ = ["Candidate", "Check", "Device", "Rejection", "RoutedOffer", "RoutingDecision", "RoutingRules", "route",
           "route_widening"]


@dataclass(frozen=True)
class RoutedOffer:
    org_slug: str
    score: float
    checks: tuple[Check, ...]
    reason_codes: tuple[Reason, ...]

    @cached_property
    def reasons(self) -> tuple[str, ...]:
        """In French, as the event carries them; rendered on first use (only the ranked offers need them)."""
        return tuple(r.french() for r in self.reason_codes)

    @cached_property
    def reason_json(self) -> list[dict[str, object]]:
        """The reasons as stored in `offers.reason_codes` (jsonb): a code and its named parameters each."""
        return [r.as_json() for r in self.reason_codes]


@dataclass(frozen=True)
class Rejection:
    org_slug: str
    failed: tuple[Check, ...]


@dataclass(frozen=True)
class RoutingDecision:
    round: int
    scope: Scope
    offers: tuple[RoutedOffer, ...]
    rejected: tuple[Rejection, ...]

    @property
    def deferred(self) -> bool:
        """No candidate fits this round: the device waits for a wider round or an admin."""
        return not self.offers


def route(device: Device, candidates: Iterable[Candidate], rules: RoutingRules, today: date,
          round_: int = 1, exclude: frozenset[str] = frozenset()) -> RoutingDecision:
    """Up to `rules.k` offers, best first, each with its score, reasons and eligibility checks."""
    pays = load_pays()
    origin = pays[device.pays_code]
    scope = scope_of_round(rules, round_)
    best: dict[str, RoutedOffer] = {}
    rejected: dict[str, Rejection] = {}
    for org in candidates:
        checks = eligibility_checks(device, org, rules, today)
        where = pays.get(org.pays_code)
        checks.append(_territory_check(origin, where, scope))
        if org.slug in exclude:
            checks.append(Check("exclusion", False, "a décliné ou été écarté à un tour précédent"))
        failed = tuple(c for c in checks if not c.passed)
        if failed or where is None:
            rejection = Rejection(org.slug, failed)
            held_rejection = rejected.get(org.slug)
            if held_rejection is None or _key(rejection.failed) < _key(held_rejection.failed):
                rejected[org.slug] = rejection
            continue
        offer = _offer(org, origin, where, scope, rules, tuple(checks))
        # One offer per organisation even when it appears twice in the input: keep the better one,
        # chosen on content alone so that the candidates' order never matters.
        held = best.get(org.slug)
        if held is None or (offer.score, offer.reasons, _key(offer.checks)) > (held.score, held.reasons,
                                                                                 _key(held.checks)):
            best[org.slug] = offer
    ranked = sorted(best.values(), key=lambda o: (-o.score, o.org_slug))[: max(rules.k, 0)]
    still_rejected = tuple(r for slug, r in sorted(rejected.items()) if slug not in best)
    return RoutingDecision(round_, scope, tuple(ranked), still_rejected)


def route_widening(device: Device, candidates: Iterable[Candidate], rules: RoutingRules, today: date,
                   first_round: int, last_round: int, exclude: frozenset[str] = frozenset()) -> RoutingDecision:
    """The first round from `first_round` to `last_round` whose territory has a candidate.

    A round with nobody in reach would only wait for its offers to "expire" before widening; skipping
    it at once routes, say, a broken server from Brest to the only recycler without days of delay.
    A deferral from this function means no round up to `last_round` fits: the unclaimed list."""
    candidates = list(candidates)
    decision = route(device, candidates, rules, today, first_round, exclude)
    for round_ in range(first_round + 1, last_round + 1):
        if not decision.deferred:
            break
        decision = route(device, candidates, rules, today, round_, exclude)
    return decision


def _key(checks: tuple[Check, ...]) -> tuple[tuple[str, bool, str, str], ...]:
    return tuple((c.rule, c.passed, c.detail, c.reference or "") for c in checks)


def _territory_check(origin: Pays, where: Pays | None, scope: Scope) -> Check:
    if where is None:
        return Check("territoire", False, "pays inconnu")
    km = distance_km(origin, where)
    inside = scope.radius_km is None or share_department(origin, where) or km <= scope.radius_km
    verdict = "dans" if inside else "hors"
    return Check("territoire", inside, f"{where.name}, à {km:.0f} km : {verdict} le territoire du {scope.describe()}")


def territory_score(origin: Pays, where: Pays, halving_km: float) -> tuple[float, Reason]:
    """Same pays first, then same department, then distance (three bands that never overlap)."""
    km = distance_km(origin, where)
    decay = 0.5 ** (km / halving_km)
    if where.code == origin.code:
        return 1.0, Reason("territory.same_pays", (origin.name,))
    if share_department(origin, where):
        return 0.5 + 0.4 * decay, Reason("territory.same_department", (where.name, km, origin.main_town))
    return 0.5 * decay, Reason("territory.distance", (where.name, km, origin.main_town))


def _offer(org: Candidate, origin: Pays, where: Pays, scope: Scope, rules: RoutingRules,
           checks: tuple[Check, ...]) -> RoutedOffer:
    w = rules.weights
    territory, where_reason = territory_score(origin, where, rules.halving_km)
    fairness = 1.0 - min(1.0, org.received / org.capacity)
    capacity = org.free / org.capacity
    reliability = 0.5 ** org.no_shows
    total = w.total or 1.0
    score = round((w.territory * territory + w.fairness * fairness + w.capacity * capacity
                   + w.reliability * reliability) / total, 4)
    days = rules.fairness_window_days
    channel = next(c.reason for c in checks if c.rule == "filiere")
    assert channel is not None  # the channel check always records its reason
    codes = (  # the parameters in `reasons.PARAMS` order
        where_reason,
        channel,
        Reason("capacity.free", (org.free, org.capacity)),
        Reason("fairness.received", (org.received, days, org.capacity)),
        (Reason("reliability.no_shows", (org.no_shows, days)) if org.no_shows
         else Reason("reliability.none", (days,))),
        scope.reason(),
        Reason("score.formula", (score, territory, fairness, capacity, reliability, w.territory, w.fairness,
                                 w.capacity, w.reliability, total)),
    )
    return RoutedOffer(org.slug, score, checks, codes)
