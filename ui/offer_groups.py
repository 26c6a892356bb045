"""The offers inbox as people decide on it: grouped by donor site (one pickup trip), filtered, sorted. Pure.

Each offer becomes a card's text in the reader's language: what the device is (category, model, year,
declared condition), its specs, how far it is, when the offer ends, the router's reasons in one short line
and in full on demand. Nothing here decides anything: claiming is checked again by the services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from marketplace.domain.territory import load_pays
from schemas.views import OfferView
from ui import i18n
from ui.i18n_reasons import reasons_text

SORTS = ("expiry", "distance", "score", "newest")
EXPIRY_WINDOWS = {"": None, "24h": timedelta(hours=24), "3d": timedelta(days=3), "7d": timedelta(days=7)}
_DISTANCE_CODES = ("territory.distance", "territory.same_department")
_SHORT_REASONS = 2  # the card's line: the first reasons (territory, then the channel); the rest on demand


@dataclass(frozen=True)
class OfferFilters:
    category: str = ""
    donor: str = ""  # a donor organisation's slug, chosen by its name
    max_km: float | None = None
    expiring: str = ""  # a key of EXPIRY_WINDOWS
    sort: str = "expiry"


@dataclass
class OfferCard:
    id: str
    code: str
    href: str
    title: str  # "ordinateur portable Dell Latitude 5490"
    facts: str  # "2019 · état déclaré : fonctionne"
    specs: str  # "Intel Core i5 · 8 Go de RAM · 256 Go de stockage"
    where: str  # "à 12 km · jusqu'au 3 déc. 2026 14:00"
    short_reasons: str
    reasons: list[str]
    reasons_lang: str
    score: str  # "Score : 0,87"
    select_label: str
    claim_label: str
    reason_label: str


@dataclass
class OfferGroup:
    donor: str  # slug, the group's key
    heading: str  # "Lycée des Embruns (Pays de Brest)"
    summary: str  # "3 appareils · à 12 km"
    claim_all_label: str
    offers: list[OfferCard] = field(default_factory=list)


def distance_km(offer: OfferView) -> float | None:
    for reason in offer.reason_codes or []:
        if isinstance(reason, dict) and reason.get("code") in _DISTANCE_CODES:
            km = (reason.get("params") or {}).get("km")
            if isinstance(km, int | float):
                return float(km)
    return None


def _number(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "fr" else text


def specs_line(offer: OfferView, lang: str) -> str:
    d = offer.device
    parts = []
    if d.cpu:
        parts.append(d.cpu)
    if d.ram_gb is not None:
        parts.append(i18n.text("offers.spec_ram", lang).format(gb=_number(d.ram_gb, lang)))
    if d.storage_gb is not None:
        parts.append(i18n.text("offers.spec_storage", lang).format(gb=_number(d.storage_gb, lang)))
    if d.screen_in is not None:
        parts.append(i18n.text("offers.spec_screen", lang).format(inches=_number(d.screen_in, lang)))
    return " · ".join(parts) or i18n.text("offers.spec_none", lang)


def card(offer: OfferView, lang: str) -> OfferCard:
    d = offer.device
    title = f"{i18n.label('category', d.category, lang)} {d.brand} {d.model}"
    facts = [str(d.year)] if d.year else []
    facts.append(i18n.text("offers.condition", lang).format(condition=i18n.label("condition", d.condition, lang)))
    km = distance_km(offer)
    where = [i18n.text("offers.at_km", lang).format(km=_number(round(km), lang))] if km is not None else []
    where.append(i18n.text("offers.until", lang).format(when=i18n.when(offer.expires_at, lang)))
    translated = reasons_text(offer.reason_codes, lang)
    reasons = offer.reasons if translated is None else translated
    return OfferCard(
        id=offer.id, code=d.code, href=f"/d/{d.code}", title=title, facts=" · ".join(facts),
        specs=specs_line(offer, lang), where=" · ".join(where),
        short_reasons=" ; ".join(reasons[:_SHORT_REASONS]), reasons=list(reasons),
        reasons_lang="fr" if translated is None else lang,
        score=i18n.text("offers.score", lang).format(score=_number(round(offer.score, 2), lang)),
        select_label=f"{i18n.text('offers.select', lang)} {title} ({d.code})",
        claim_label=f"{i18n.text('offers.claim_label', lang)} {title} ({d.code})",
        reason_label=f"{i18n.text('offers.decline_reason', lang)} {title} ({d.code})",
    )


def _kept(offer: OfferView, filters: OfferFilters, now: datetime) -> bool:
    if filters.category and offer.device.category != filters.category:
        return False
    if filters.donor and offer.device.donor_slug != filters.donor:
        return False
    if filters.max_km is not None:
        km = distance_km(offer)
        if km is None or km > filters.max_km:
            return False
    window = EXPIRY_WINDOWS.get(filters.expiring)
    return window is None or offer.expires_at <= now + window


def _order(offers: list[OfferView], sort: str) -> list[OfferView]:
    far = float("inf")
    if sort == "distance":
        return sorted(offers, key=lambda o: (distance_km(o) if distance_km(o) is not None else far, o.expires_at))
    if sort == "score":
        return sorted(offers, key=lambda o: (-o.score, o.expires_at))
    if sort == "newest":
        return sorted(offers, key=lambda o: o.device.retired_at, reverse=True)
    return sorted(offers, key=lambda o: (o.expires_at, o.id))


def groups(offers: list[OfferView], filters: OfferFilters, lang: str,
           now: datetime | None = None) -> list[OfferGroup]:
    """The kept offers by donor site, the sites in the order of their first offer under the chosen sort."""
    moment = now or datetime.now(UTC)
    kept = _order([o for o in offers if _kept(o, filters, moment)], filters.sort if filters.sort in SORTS else "expiry")
    by_donor: dict[str, OfferGroup] = {}
    for offer in kept:
        d = offer.device
        group = by_donor.get(d.donor_slug)
        if group is None:
            pays = load_pays().get(d.pays_code)
            heading = f"{d.donor_name} ({pays.name if pays else d.pays_code})"
            group = by_donor[d.donor_slug] = OfferGroup(
                donor=d.donor_slug, heading=heading, summary="",
                claim_all_label=f"{i18n.text('offers.claim_site', lang)} {d.donor_name}")
        group.offers.append(card(offer, lang))
    for group in by_donor.values():
        km = [distance_km(o) for o in kept if o.device.donor_slug == group.donor]
        near = min((k for k in km if k is not None), default=None)
        parts = [i18n.text("offers.count", lang).format(n=i18n.count(len(group.offers), lang))]
        if near is not None:
            parts.append(i18n.text("offers.at_km", lang).format(km=_number(round(near), lang)))
        group.summary = " · ".join(parts)
    return list(by_donor.values())


def donor_choices(offers: list[OfferView]) -> list[list[str]]:
    """[slug, name] of the donors with an open offer, by name: the donor filter's options."""
    names = {o.device.donor_slug: o.device.donor_name for o in offers}
    return [[slug, name] for slug, name in sorted(names.items(), key=lambda kv: kv[1].casefold())]


def parse_max_km(text: Any) -> float | None:
    """The distance filter: a whole or decimal number of km ("25", "12,5"); None when empty."""
    cleaned = str(text or "").strip().replace(",", ".")
    if not cleaned:
        return None
    value = float(cleaned)  # ValueError for anything else: the page says so
    if not 0 <= value <= 2000:
        raise ValueError(cleaned)
    return value
