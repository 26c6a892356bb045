"""The router's plan for a device: the event payload it writes is the contract's, offer by offer, even when a
batch decides once for many identical devices."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from marketplace.domain.hashchain import canonical_json
from marketplace.domain.routing import RoutingRules
from marketplace.handlers.route import plan_route
from schemas.payloads import OfferedPayload
from tests.unit.test_routing import CANDIDATES

AT = datetime(2026, 5, 4, 9, 30, 0, 123000, tzinfo=UTC)
TTL = timedelta(hours=72)


def asset(**change: object) -> dict[str, Any]:
    return {"routing_round": 0, "category": "laptop", "pays_code": "BREST", "year": 2019, "condition": "working",
            "unit_value_eur": None, "has_storage": True, **change}


def test_the_payload_is_the_contract_dump_of_the_planned_offers() -> None:
    plan = plan_route(asset(), CANDIDATES, RoutingRules(), AT, TTL, 3, frozenset())
    assert plan is not None and plan.round == 1
    payload = OfferedPayload.model_validate(plan.payload)
    assert payload.model_dump(mode="json") == plan.payload
    assert [(o.offer_id, o.org, o.score, o.reasons, o.expires_at) for o in payload.offers] == [
        (o.offer_id, o.org, o.score, o.reasons, o.expires_at) for o in plan.offers]
    assert all(o.expires_at == AT + TTL for o in plan.offers)
    assert all(o.eligibility and all(c.passed for c in o.eligibility) for o in payload.offers)
    assert all(o.reason_codes and len(o.reason_codes) == len(o.reasons) for o in plan.offers)


def test_what_the_batch_writes_as_text_is_the_plan_encoded() -> None:
    """The payload's JSON and each offer's reasons are encoded once per decision, with each device's offer
    ids put in: the text must be what encoding this device's plan gives."""
    memo: dict[tuple[Any, ...], Any] = {}
    for _ in range(3):
        plan = plan_route(asset(), CANDIDATES, RoutingRules(), AT, TTL, 3, frozenset(), memo)
        assert plan is not None
        assert plan.payload_json == canonical_json(plan.payload)
        assert [json.loads(o.reasons_json) for o in plan.offers] == [o.reasons for o in plan.offers]
        assert [json.loads(o.reason_codes_json) for o in plan.offers] == [o.reason_codes for o in plan.offers]
    assert len(memo) == 1


def test_a_dozen_offers_each_get_their_own_id_in_the_text() -> None:
    """Placeholder 1 must not be found inside placeholder 10 (k can be set up to the number of candidates)."""
    many = [replace(c, slug=f"{c.slug}-{n}") for n in range(4) for c in CANDIDATES]
    plan = plan_route(asset(), many, RoutingRules(k=12), AT, TTL, 3, frozenset())
    assert plan is not None and len(plan.offers) == 12
    assert plan.payload_json == canonical_json(plan.payload)


def test_identical_devices_in_one_batch_share_the_decision_but_not_the_offer_ids() -> None:
    memo: dict[tuple[Any, ...], Any] = {}
    first = plan_route(asset(), CANDIDATES, RoutingRules(), AT, TTL, 3, frozenset(), memo)
    second = plan_route(asset(), CANDIDATES, RoutingRules(), AT, TTL, 3, frozenset(), memo)
    assert first is not None and second is not None and len(memo) == 1
    assert [o.org for o in first.offers] == [o.org for o in second.offers]
    ids = [o.offer_id for o in first.offers + second.offers]
    assert len(set(ids)) == len(ids)
    assert [o["offer_id"] for o in second.payload["offers"]] == [o.offer_id for o in second.offers]
    assert [o["offer_id"] for o in first.payload["offers"]] == [o.offer_id for o in first.offers]  # not overwritten


def test_different_facts_or_an_exclusion_are_decided_on_their_own() -> None:
    memo: dict[tuple[Any, ...], Any] = {}
    brest = plan_route(asset(), CANDIDATES, RoutingRules(), AT, TTL, 3, frozenset(), memo)
    excluded = plan_route(asset(), CANDIDATES, RoutingRules(), AT, TTL, 3, frozenset({"brest"}), memo)
    assert brest is not None and excluded is not None and len(memo) == 2
    assert "brest" in [o.org for o in brest.offers] and "brest" not in [o.org for o in excluded.offers]


def test_nobody_in_reach_up_to_the_last_round_plans_nothing() -> None:
    lone = [c for c in CANDIDATES if c.slug == "rennes"]  # 210 km from Brest: only round 3 reaches it
    assert plan_route(asset(), lone, RoutingRules(), AT, TTL, 2, frozenset()) is None
    plan = plan_route(asset(), lone, RoutingRules(), AT, TTL, 3, frozenset())
    assert plan is not None and plan.round == 3
