"""The first routing policy: accepting repair associations, same pays first, then the nearest."""

from __future__ import annotations

from marketplace.domain.routing import Candidate, route

LAPTOPS = frozenset({"laptop"})


def c(slug: str, pays: str, kind: str = "association", cats: frozenset[str] = LAPTOPS) -> Candidate:
    return Candidate(slug, kind, pays, cats)


CANDIDATES = [
    c("vannes", "VANNES"), c("brest", "BREST"), c("morlaix", "MORLAIX"), c("rennes", "RENNES"),
    c("quimper", "CORNOUAILLE"), c("fablab-brest", "BREST", kind="fablab"),
    c("printers-brest", "BREST", cats=frozenset({"printer"})),
]


class TestFirstRouter:
    def test_same_pays_first_then_the_nearest(self) -> None:
        offers = route("laptop", "BREST", CANDIDATES, k=3)
        assert [o.org_slug for o in offers] == ["brest", "quimper", "morlaix"]  # Quimper 52 km, Morlaix 53 km

    def test_only_repair_associations_accepting_the_category(self) -> None:
        slugs = {o.org_slug for o in route("laptop", "BREST", CANDIDATES, k=10)}
        assert "fablab-brest" not in slugs and "printers-brest" not in slugs

    def test_at_most_k_offers_and_one_per_organisation(self) -> None:
        offers = route("laptop", "RENNES", CANDIDATES, k=2)
        assert len(offers) == 2 and len({o.org_slug for o in offers}) == 2

    def test_excluded_organisations_get_no_offer(self) -> None:
        offers = route("laptop", "BREST", CANDIDATES, k=3, exclude=frozenset({"brest"}))
        assert "brest" not in [o.org_slug for o in offers]

    def test_each_offer_explains_itself_and_scores_fall_with_distance(self) -> None:
        offers = route("laptop", "BREST", CANDIDATES, k=3)
        assert offers[0].score == 1.0 and "même pays" in " ".join(offers[0].reasons)
        assert offers[0].score > offers[1].score > offers[2].score
        assert any("km" in r for r in offers[1].reasons)

    def test_same_inputs_give_the_same_offers(self) -> None:
        assert route("laptop", "VANNES", CANDIDATES, 3) == route("laptop", "VANNES", list(reversed(CANDIDATES)), 3)

    def test_no_candidate_gives_no_offer(self) -> None:
        assert route("server", "BREST", CANDIDATES, k=3) == []
