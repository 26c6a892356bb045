"""Route a retired device: offer it to the best candidates (policy in `domain/routing.py`)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from marketplace.adapters import repositories as repo
from marketplace.adapters import routing_queries as rq
from marketplace.adapters.event_log import advance_head, append_events
from marketplace.commands import RouteDevice
from marketplace.domain.chain import ChainHead, build_sealed_event, now_ms
from marketplace.domain.hashchain import canonical_json
from marketplace.domain.ids import new_id
from marketplace.domain.lifecycle import State, next_state
from marketplace.domain.routing import Candidate, Device, RoutingDecision, RoutingRules, route_widening
from marketplace.domain.routing_rules import Weights
from marketplace.settings import Settings
from marketplace.unit_of_work import UnitOfWork
from schemas.payloads import EligibilityCheck, OfferedPayload, OfferMade


@dataclass(frozen=True)
class Routed:
    asset_id: str
    offers: int  # 0 when the device was not in `retired` (already routed) or no candidate fits
    deferred: bool = False  # no candidate fits this round: the device stays `retired`


def rules_from_settings(s: Settings) -> RoutingRules:
    """The routing policy's parameters, as the operator set them."""
    return RoutingRules(
        k=s.routing_k,
        weights=Weights(s.routing_weight_territory, s.routing_weight_fairness, s.routing_weight_capacity,
                        s.routing_weight_reliability),
        reuse_max_age_years=s.reuse_max_age_years, donation_ceiling_eur=s.donation_ceiling_eur,
        donation_kinds=frozenset(s.donation_recipient_kinds), weee_kinds=frozenset(s.weee_kinds),
        refurbisher_kinds=frozenset(s.refurbisher_kinds), end_of_life_kinds=frozenset(s.end_of_life_kinds),
        round_radius_km=tuple(s.routing_round_radius_km), fairness_window_days=s.routing_fairness_days,
    )


async def route_device(cmd: RouteDevice, uow: UnitOfWork, k: int, offer_ttl: timedelta,
                       candidates: list[Candidate] | None = None, rules: RoutingRules | None = None,
                       settings: Settings | None = None, last_round: int | None = None) -> Routed:
    """Offer a `retired` device to up to k organisations. Does nothing for a device in any other state,
    which makes a redelivered `asset.retired` harmless even without the inbox.

    `candidates` lets a batch load them once; their load is read in the same transaction, so it is
    as fresh as the batch. With `last_round`, a round with nobody in reach is skipped at once (up to that
    round), instead of the device waiting for nothing."""
    if rules is None and settings is not None:
        rules = rules_from_settings(settings)
    rules = replace(rules or RoutingRules(), k=k)
    asset = await rq.lock_device_for_routing(uow.conn, cmd.asset_id)
    if asset is None or asset["state"] != State.retired.value:
        return Routed(cmd.asset_id, 0)
    if candidates is None:
        candidates = await load_candidates(uow, rules)
    at = now_ms()
    plan = plan_route(asset, candidates, rules, at, offer_ttl, last_round, cmd.exclude)
    if plan is None:
        return Routed(cmd.asset_id, 0, deferred=True)
    await repo.insert_offers(uow.conn, [
        (o.offer_id, cmd.asset_id, o.org, plan.round, o.score, o.reasons, at, o.expires_at, o.reason_codes)
        for o in plan.offers
    ])
    await repo.set_routing_round(uow.conn, cmd.asset_id, plan.round)
    head = ChainHead(cmd.asset_id, asset["version"], asset["last_hash"])
    actor = {"org": None, "user": None, "system": cmd.actor_system}
    event = build_sealed_event(head, "asset.offered", plan.payload, actor, cmd.correlation_id, cmd.causation_id,
                               at, plan.payload_json).event
    await append_events(uow.conn, [event])
    await advance_head(uow.conn, event, next_state(State(asset["state"]), "asset.offered").value)
    return Routed(cmd.asset_id, len(plan.offers))


@dataclass(frozen=True)
class PlannedOffer:
    offer_id: str
    org: str
    score: float
    reasons: list[str]  # French, as in the event
    reason_codes: list[dict[str, object]]  # the same reasons, structured (`offers.reason_codes`)
    expires_at: datetime
    reasons_json: str = "[]"  # `reasons` and `reason_codes` as JSON text, encoded once per decision
    reason_codes_json: str = "[]"


@dataclass(frozen=True)
class RoutePlan:
    round: int
    offers: list[PlannedOffer]
    payload: dict[str, Any]  # the `asset.offered` payload (OfferedPayload, JSON mode) with these offers' ids
    payload_json: str  # the same payload in canonical JSON


@dataclass(frozen=True)
class _Template:
    """What a routing decision writes for every device it applies to, encoded once: the payload (validated by
    the contract) and its canonical JSON with a placeholder where each offer id goes, and each offer's reasons
    as JSON."""

    payload: dict[str, Any]
    payload_json: str
    placeholders: list[str]  # the JSON strings standing for the offer ids, in offer order
    reasons_json: list[tuple[str, str]]


# A decision and its template (None when the decision defers the device).
_Decided = tuple[RoutingDecision, _Template | None]

# Offer-id placeholders: text no payload member can hold by chance (a random token of this process).
_PLACEHOLDER = f"offer-id-{uuid.uuid4().hex}-"


def plan_route(asset: Any, candidates: list[Candidate], rules: RoutingRules, at: datetime, offer_ttl: timedelta,
               last_round: int | None, exclude: frozenset[str],
               memo: dict[tuple[Any, ...], _Decided] | None = None) -> RoutePlan | None:
    """The round, the offers and the event payload for a locked `retired` device, or None when no round up
    to `last_round` fits.

    `memo` lets a batch decide once for devices with identical routing facts (a donor's batch of the
    same model): the policy is a pure function of those facts, the candidates and the rules, and the
    payload differs between those devices only by the offer ids."""
    first = asset["routing_round"] + 1
    expires_at = at + offer_ttl
    key = (_device(asset), first, last_round, exclude, expires_at)
    decided = memo.get(key) if memo is not None else None
    if decided is None:
        decision = route_widening(key[0], candidates, rules, at.date(), first, max(first, last_round or first), exclude)
        decided = (decision, None if decision.deferred else _template(decision, expires_at))
        if memo is not None:
            memo[key] = decided
    decision, template = decided
    if template is None:
        return None
    ids = [new_id() for _ in decision.offers]
    payload = {**template.payload,
               "offers": [{**o, "offer_id": i} for o, i in zip(template.payload["offers"], ids, strict=True)]}
    payload_json = template.payload_json
    for placeholder, offer_id in zip(template.placeholders, ids, strict=True):
        payload_json = payload_json.replace(placeholder, f'"{offer_id}"', 1)
    offers = [PlannedOffer(i, o.org_slug, o.score, list(o.reasons), o.reason_json, expires_at, *texts)
              for i, o, texts in zip(ids, decision.offers, template.reasons_json, strict=True)]
    return RoutePlan(decision.round, offers, payload, payload_json)


def _template(decision: RoutingDecision, expires_at: datetime) -> _Template:
    made = [
        OfferMade(offer_id="", org=o.org_slug, score=o.score, reasons=list(o.reasons), expires_at=expires_at,
                  eligibility=[EligibilityCheck(rule=c.rule, passed=c.passed, detail=c.detail, reference=c.reference)
                               for c in o.checks])
        for o in decision.offers
    ]
    payload = OfferedPayload(round=decision.round, offers=made).model_dump(mode="json")
    ids = [f"{_PLACEHOLDER}{n}" for n in range(len(made))]
    payload_json = canonical_json(
        {**payload, "offers": [{**o, "offer_id": i} for o, i in zip(payload["offers"], ids, strict=True)]})
    placeholders = [f'"{i}"' for i in ids]  # as JSON strings, quotes included: "…-1" is not found in "…-10"
    if any(payload_json.count(p) != 1 for p in placeholders):
        raise RuntimeError("an offer-id placeholder is not where the offer id goes")
    reasons = [(json.dumps(list(o.reasons)), json.dumps(o.reason_json)) for o in decision.offers]
    return _Template(payload, payload_json, placeholders, reasons)


def _device(a: Any) -> Device:
    """The routing facts of a locked asset row (a numeric unit value arrives as Decimal)."""
    value = a["unit_value_eur"]
    return Device(category=a["category"], pays_code=a["pays_code"], year=a["year"], condition=a["condition"],
                  unit_value_eur=float(value) if value is not None else None, has_storage=a["has_storage"])


device_facts = _device  # public: the settings preview reads the same facts from unlocked rows


async def load_candidates(uow: UnitOfWork, rules: RoutingRules | None = None) -> list[Candidate]:
    """Every organisation that could receive a device, with its load and 30-day record."""
    rules = rules or RoutingRules()
    kinds = sorted(rules.refurbisher_kinds | rules.end_of_life_kinds)
    since = now_ms() - timedelta(days=rules.fairness_window_days)
    return [
        Candidate(r["slug"], r["kind"], r["pays_code"], frozenset(r["accepted_categories"]), r["capacity"],
                  r["load"], r["received"], r["no_shows"])
        for r in await rq.routing_candidates(uow.conn, kinds, since)
    ]
