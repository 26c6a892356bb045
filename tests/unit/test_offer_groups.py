"""The offers inbox by donor site, filtered and sorted, in the reader's words (ui/offer_groups.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas.views import DeviceSummary, OfferView
from ui.offer_groups import OfferFilters, card, donor_choices, groups, parse_max_km

NOW = datetime(2026, 12, 2, 9, tzinfo=UTC)


def offer(n: int, donor: str, km: float | None, hours: int, *, category: str = "laptop", score: float = 0.5,
          ram: float | None = 8) -> OfferView:
    device = DeviceSummary(
        id=f"id{n}", code=f"AAAA-BBBB-{n:04d}", category=category, brand="Dell", model="Latitude 5490", year=2019,
        condition="faulty", state="offered", donor_slug=donor, donor_name=donor.title(), pays_code="SAINT_MALO",
        custodian_slug=None, retired_at=NOW - timedelta(days=n), updated_at=NOW, ram_gb=ram, storage_gb=256,
        cpu="Intel Core i5-8350U")
    reasons = [{"code": "territory.distance", "params": {"pays": "Pays de Saint-Malo", "km": km, "town": "Dinan"}}]
    return OfferView(id=f"o{n}", device=device, org_slug="me", score=score, reasons=["(français)"],
                     reason_codes=reasons if km is not None else None, round=1, status="open",
                     expires_at=NOW + timedelta(hours=hours))


OFFERS = [offer(1, "lycee-b", 30, 10), offer(2, "lycee-a", 5, 50, score=0.9), offer(3, "lycee-b", 31, 70),
          offer(4, "lycee-a", 6, 5, category="screen", ram=None)]


def test_offers_are_grouped_by_donor_site_in_the_order_of_the_sort() -> None:
    by_expiry = groups(OFFERS, OfferFilters(), "fr", NOW)
    assert [g.donor for g in by_expiry] == ["lycee-a", "lycee-b"]  # lycee-a has the offer that ends first
    assert [c.code for c in by_expiry[0].offers] == ["AAAA-BBBB-0004", "AAAA-BBBB-0002"]
    assert by_expiry[0].heading == "Lycee-A (Pays de Saint-Malo)"  # the pays by its name, never SAINT_MALO
    assert by_expiry[0].summary == "2 appareil(s) · à 5 km"
    by_distance = groups(OFFERS, OfferFilters(sort="distance"), "fr", NOW)
    assert [c.code for c in by_distance[0].offers] == ["AAAA-BBBB-0002", "AAAA-BBBB-0004"]


def test_filters_keep_what_was_asked() -> None:
    assert [c.code for g in groups(OFFERS, OfferFilters(category="screen"), "fr", NOW) for c in g.offers] == [
        "AAAA-BBBB-0004"]
    assert [g.donor for g in groups(OFFERS, OfferFilters(donor="lycee-b"), "fr", NOW)] == ["lycee-b"]
    near = groups(OFFERS, OfferFilters(max_km=10), "fr", NOW)
    assert {c.code for g in near for c in g.offers} == {"AAAA-BBBB-0002", "AAAA-BBBB-0004"}
    soon = groups(OFFERS, OfferFilters(expiring="24h"), "fr", NOW)
    assert {c.code for g in soon for c in g.offers} == {"AAAA-BBBB-0001", "AAAA-BBBB-0004"}


def test_a_card_speaks_the_readers_language() -> None:
    fr, en = card(OFFERS[0], "fr"), card(OFFERS[0], "en")
    assert fr.facts == "2019 · état déclaré : défaillant"  # the word, never the code `faulty`
    assert en.facts == "2019 · declared condition: faulty"
    assert fr.specs == "Intel Core i5-8350U · 8 Go de RAM · 256 Go de stockage"
    assert en.specs == "Intel Core i5-8350U · 8 GB RAM · 256 GB storage"
    assert fr.where.startswith("à 30 km · offre valable jusqu’au 02/12/2026")
    assert (fr.short_reasons, en.short_reasons) == ("Pays de Saint-Malo, à 30 km de Dinan",
                                                    "Pays de Saint-Malo, 30 km from Dinan")
    assert fr.reasons_lang == "fr" and en.reasons_lang == "en"
    stored_french_only = card(OFFERS[1].model_copy(update={"reason_codes": None}), "en")
    assert stored_french_only.short_reasons == "(français)" and stored_french_only.reasons_lang == "fr"


def test_donor_choices_and_distance_input() -> None:
    assert donor_choices(OFFERS) == [["lycee-a", "Lycee-A"], ["lycee-b", "Lycee-B"]]
    assert parse_max_km("12,5") == 12.5 and parse_max_km("") is None
    for wrong in ("douze", "-3", "5000"):
        try:
            parse_max_km(wrong)
        except ValueError:
            continue
        raise AssertionError(wrong)
