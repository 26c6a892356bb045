"""The routing policy (LIFECYCLE.md, "Routing policy"), example by example."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from marketplace.domain.routing import Candidate, Device, RoutingRules, route, route_widening
from marketplace.domain.routing_rules import Weights, scope_of_round

TODAY = date(2026, 5, 4)
RULES = RoutingRules()
LAPTOPS = frozenset({"laptop"})
ALL = frozenset({"laptop", "desktop", "server"})


def org(slug: str, pays: str, kind: str = "association", cats: frozenset[str] = LAPTOPS, capacity: int = 40,
        load: int = 0, received: int = 0, no_shows: int = 0) -> Candidate:
    return Candidate(slug, kind, pays, cats, capacity, load, received, no_shows)


def laptop(pays: str = "BREST", **change: object) -> Device:
    return replace(Device("laptop", pays, year=2019, condition="working"), **change)  # type: ignore[arg-type]


CANDIDATES = [
    org("brest", "BREST"), org("quimper", "CORNOUAILLE"), org("morlaix", "MORLAIX"), org("lorient", "LORIENT"),
    org("rennes", "RENNES"), org("vannes", "VANNES"),
    org("fablab-brest", "BREST", kind="fablab", cats=ALL), org("fablab-morlaix", "MORLAIX", kind="fablab", cats=ALL),
    org("recycler-vitre", "VITRE", kind="recycler", cats=ALL, capacity=500),
    org("printers-brest", "BREST", cats=frozenset({"printer"})),
    org("tiers-lieu-brest", "BREST", kind="tiers_lieu", cats=ALL),
]


def slugs(device: Device, candidates: list[Candidate] = CANDIDATES, **kw: object) -> list[str]:
    return [o.org_slug for o in route(device, candidates, RULES, TODAY, **kw).offers]  # type: ignore[arg-type]


class TestTerritory:
    def test_same_pays_first_then_same_department_then_distance(self) -> None:
        assert slugs(laptop()) == ["brest", "quimper", "morlaix"]  # Quimper 52 km, Morlaix 53 km, both in 29

    def test_the_same_department_outranks_a_nearer_town_across_the_border(self) -> None:
        # From Saint-Malo (35), Dinan (22) is 24 km away and Rennes (35) 64 km: Rennes comes first.
        assert slugs(laptop("SAINT_MALO"), [org("dinan", "DINAN"), org("rennes", "RENNES")]) == ["rennes", "dinan"]

    def test_round_one_stays_near_and_later_rounds_reach_the_whole_region(self) -> None:
        far = [org("rennes", "RENNES")]  # 210 km from Brest
        assert slugs(laptop(), far, round_=1) == []
        assert slugs(laptop(), far, round_=2) == []
        assert slugs(laptop(), far, round_=3) == ["rennes"]

    def test_a_round_with_nobody_in_reach_widens_at_once(self) -> None:
        server = Device("server", "BREST", 2020, "broken")
        no_fablab = [c for c in CANDIDATES if c.kind != "fablab"]  # only the recycler in Vitré, 244 km away
        decision = route_widening(server, no_fablab, RULES, TODAY, first_round=1, last_round=3)
        assert decision.round == 3 and [o.org_slug for o in decision.offers] == ["recycler-vitre"]
        assert route_widening(server, no_fablab, RULES, TODAY, first_round=1, last_round=2).deferred

    def test_widening_stops_at_the_first_round_with_offers(self) -> None:
        assert route_widening(laptop(), CANDIDATES, RULES, TODAY, first_round=1, last_round=3).round == 1

    def test_each_round_describes_its_territory(self) -> None:
        assert "120 km" in scope_of_round(RULES, 1).describe()
        assert "toute la région" in scope_of_round(RULES, 3).describe()
        with pytest.raises(ValueError):
            scope_of_round(RULES, 0)


class TestEligibility:
    def test_only_organisations_accepting_the_category(self) -> None:
        decision = route(laptop(), CANDIDATES, replace(RULES, k=20), TODAY)
        assert "printers-brest" in {r.org_slug for r in decision.rejected}
        assert "printers-brest" not in {o.org_slug for o in decision.offers}

    def test_a_working_device_under_ten_years_goes_to_refurbishers_only(self) -> None:
        decision = route(laptop(), CANDIDATES, replace(RULES, k=20), TODAY, round_=3)
        kinds = {o.org_slug for o in decision.offers}
        assert kinds and not kinds & {"fablab-brest", "fablab-morlaix", "recycler-vitre", "tiers-lieu-brest"}

    @pytest.mark.parametrize("device", [laptop(year=2014), laptop(condition="broken")])
    def test_an_old_or_broken_device_goes_to_fab_labs_and_recyclers(self, device: Device) -> None:
        decision = route(device, CANDIDATES, replace(RULES, k=20), TODAY, round_=3)
        assert {o.org_slug for o in decision.offers} == {"fablab-brest", "fablab-morlaix", "recycler-vitre"}

    def test_exactly_ten_years_old_is_still_reuse(self) -> None:
        assert slugs(laptop(year=2016))[0] == "brest"

    def test_unknown_age_stays_in_reuse(self) -> None:
        assert slugs(laptop(year=None))[0] == "brest"

    def test_a_third_place_is_never_a_routing_recipient(self) -> None:
        decision = route(laptop(condition="broken"), CANDIDATES, replace(RULES, k=20), TODAY)
        rejected = {r.org_slug: {c.rule for c in r.failed} for r in decision.rejected}
        assert "cession" in rejected["tiers-lieu-brest"]

    def test_a_donation_over_the_value_ceiling_is_refused_but_a_recycler_may_take_it(self) -> None:
        pricey = laptop(year=2012, unit_value_eur=450.0)
        decision = route(pricey, CANDIDATES, replace(RULES, k=20), TODAY, round_=3)
        assert [o.org_slug for o in decision.offers] == ["recycler-vitre"]
        fablab = next(r for r in decision.rejected if r.org_slug == "fablab-brest")
        assert [c.rule for c in fablab.failed] == ["plafond_valeur"]
        assert "arrêté du 6 mai 2022" in (fablab.failed[0].reference or "")

    def test_the_ceiling_is_a_setting(self) -> None:
        decision = route(laptop(unit_value_eur=450.0), CANDIDATES, replace(RULES, donation_ceiling_eur=500), TODAY)
        assert decision.offers

    def test_excluded_organisations_get_no_offer(self) -> None:
        assert "brest" not in slugs(laptop(), exclude=frozenset({"brest"}))

    def test_each_offer_records_its_checks_with_the_texts_they_apply(self) -> None:
        offer = route(laptop(), CANDIDATES, RULES, TODAY).offers[0]
        by_rule = {c.rule: c for c in offer.checks}
        assert set(by_rule) == {"categorie", "filiere", "cession", "plafond_valeur", "capacite", "territoire"}
        assert all(c.passed for c in offer.checks)
        assert "L3212-2" in (by_rule["cession"].reference or "")
        assert "présumée sous le plafond de 300 €" in by_rule["plafond_valeur"].detail

    def test_no_candidate_defers_the_device(self) -> None:
        decision = route(Device("server", "BREST", 2020, "working"), CANDIDATES, RULES, TODAY)
        assert decision.deferred and decision.offers == ()


class TestCapacityAndFairness:
    def test_a_full_organisation_gets_nothing(self) -> None:
        full = [org("brest", "BREST", capacity=10, load=10), org("quimper", "CORNOUAILLE")]
        assert slugs(laptop(), full) == ["quimper"]

    def test_among_equals_the_one_that_received_least_for_its_capacity_goes_first(self) -> None:
        twins = [org("a-busy", "BREST", capacity=20, received=15), org("b-quiet", "BREST", capacity=60, received=15)]
        assert slugs(laptop(), twins) == ["b-quiet", "a-busy"]

    def test_no_shows_lower_the_rank(self) -> None:
        twins = [org("a-absent", "BREST", no_shows=2), org("b-present", "BREST")]
        offers = route(laptop(), twins, RULES, TODAY).offers
        assert [o.org_slug for o in offers] == ["b-present", "a-absent"]
        assert any("2 absence(s)" in r for r in offers[1].reasons)

    def test_fairness_does_not_send_a_device_across_the_region(self) -> None:
        local_but_busy = org("brest", "BREST", capacity=60, load=50, received=40, no_shows=1)
        assert slugs(laptop(), [local_but_busy, org("lorient", "LORIENT")])[0] == "brest"

    def test_weights_are_settings(self) -> None:
        only_fairness = replace(RULES, weights=Weights(territory=0, fairness=1, capacity=0, reliability=0))
        two = [org("brest", "BREST", received=30), org("quimper", "CORNOUAILLE")]
        assert [o.org_slug for o in route(laptop(), two, only_fairness, TODAY).offers] == ["quimper", "brest"]


class TestOffers:
    def test_at_most_k_offers_best_first(self) -> None:
        offers = route(laptop(), CANDIDATES, replace(RULES, k=2), TODAY).offers
        assert len(offers) == 2 and offers[0].score >= offers[1].score

    def test_each_offer_explains_its_score_in_french(self) -> None:
        first, second = route(laptop(), CANDIDATES, RULES, TODAY).offers[:2]
        assert first.score == 1.0 and "même pays : Pays de Brest" in first.reasons
        assert any(r.startswith("même département") and "52 km" in r for r in second.reasons)
        assert any(r.startswith("score 0.") and "territoire" in r for r in second.reasons)

    def test_ties_are_broken_by_slug_whatever_the_input_order(self) -> None:
        twins = [org("b", "BREST"), org("a", "BREST"), org("c", "BREST")]
        assert slugs(laptop(), twins) == ["a", "b", "c"] == slugs(laptop(), list(reversed(twins)))

    def test_an_organisation_listed_twice_gets_one_offer(self) -> None:
        assert slugs(laptop(), [org("brest", "BREST"), org("brest", "BREST", load=5)]) == ["brest"]
