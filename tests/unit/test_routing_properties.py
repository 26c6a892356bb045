"""Properties of the routing policy that must hold for any device and any set of candidates."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from marketplace.domain.routing import Candidate, Device, RoutingDecision, RoutingRules, route
from marketplace.domain.routing_checks import eligibility_checks
from marketplace.domain.territory import load_pays

PAYS = sorted(load_pays())
CATEGORIES = ["laptop", "desktop", "monitor", "printer", "server"]
KINDS = ["association", "fablab", "recycler", "tiers_lieu", "lycee"]
TODAY = date(2026, 5, 4)

devices = st.builds(
    Device,
    category=st.sampled_from(CATEGORIES),
    pays_code=st.sampled_from(PAYS),
    year=st.one_of(st.none(), st.integers(2000, 2026)),
    condition=st.sampled_from(["working", "faulty", "broken", "unknown"]),
    unit_value_eur=st.one_of(st.none(), st.floats(0, 1000, allow_nan=False)),
    has_storage=st.booleans(),
)
candidates = st.builds(
    Candidate,
    # A small slug alphabet makes duplicate organisations likely, which the policy must survive.
    slug=st.sampled_from([f"org-{n}" for n in range(12)]),
    kind=st.sampled_from(KINDS),
    pays_code=st.sampled_from(PAYS),
    accepted_categories=st.frozensets(st.sampled_from(CATEGORIES)),
    capacity=st.integers(0, 50),
    load=st.integers(0, 60),
    received=st.integers(0, 80),
    no_shows=st.integers(0, 5),
)
rules = st.builds(RoutingRules, k=st.integers(0, 6))
rounds = st.integers(1, 4)
excluded = st.frozensets(st.sampled_from([f"org-{n}" for n in range(12)]), max_size=4)


def decide(device: Device, orgs: list[Candidate], r: RoutingRules, round_: int, exclude: frozenset[str]
           ) -> RoutingDecision:
    return route(device, orgs, r, TODAY, round_=round_, exclude=exclude)


@settings(max_examples=300, deadline=None)
@given(devices, st.lists(candidates, max_size=15), rules, rounds, excluded)
def test_never_an_offer_to_an_ineligible_full_or_excluded_organisation(
    device: Device, orgs: list[Candidate], r: RoutingRules, round_: int, exclude: frozenset[str]
) -> None:
    for offer in decide(device, orgs, r, round_, exclude).offers:
        assert offer.org_slug not in exclude
        assert all(c.passed for c in offer.checks)
        # Some version of this organisation passed every rule on its own facts, full ones included.
        assert any(o.slug == offer.org_slug and o.free > 0
                   and all(c.passed for c in eligibility_checks(device, o, r, TODAY)) for o in orgs)


@settings(max_examples=300, deadline=None)
@given(devices, st.lists(candidates, max_size=15), rules, rounds, excluded)
def test_at_most_k_offers_and_never_two_to_one_organisation(
    device: Device, orgs: list[Candidate], r: RoutingRules, round_: int, exclude: frozenset[str]
) -> None:
    offers = decide(device, orgs, r, round_, exclude).offers
    assert len(offers) <= r.k
    assert len({o.org_slug for o in offers}) == len(offers)
    assert [o.score for o in offers] == sorted((o.score for o in offers), reverse=True)


@settings(max_examples=200, deadline=None)
@given(devices, st.lists(candidates, max_size=15), rules, rounds, excluded, st.randoms(use_true_random=False))
def test_same_inputs_give_the_same_offers_in_any_order(
    device: Device, orgs: list[Candidate], r: RoutingRules, round_: int, exclude: frozenset[str],
    rng: random.Random,
) -> None:
    shuffled = list(orgs)
    rng.shuffle(shuffled)
    first = decide(device, orgs, r, round_, exclude)
    assert first == decide(device, orgs, r, round_, exclude)
    assert first.offers == decide(device, shuffled, r, round_, exclude).offers


@settings(max_examples=200, deadline=None)
@given(devices, st.lists(candidates, max_size=15), rounds)
def test_a_wider_round_never_loses_an_eligible_organisation(
    device: Device, orgs: list[Candidate], round_: int
) -> None:
    wide = RoutingRules(k=100)
    now = {o.org_slug for o in decide(device, orgs, wide, round_, frozenset()).offers}
    later = {o.org_slug for o in decide(device, orgs, wide, round_ + 1, frozenset()).offers}
    assert now <= later
