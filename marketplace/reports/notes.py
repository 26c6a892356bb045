"""The reports' notes (period, method, regulation, factors) in French and in English, by key.

A report carries both (`Report.notes`, French, and `Report.notes_en`); the page shows the reader's language.
Downloads: the JSON file carries both (`notes` as before, in French, and `notes_en`); CSV files hold one
table each and no notes.
"""

from __future__ import annotations

from collections.abc import Mapping

from marketplace.domain.categories import CATEGORY_FR
from marketplace.domain.impact import IMPACT_ASSUMPTION, IMPACT_ASSUMPTION_EN, EmissionFactor
from marketplace.reports.rules import DONATION_RULES, DONATION_RULES_EN, REGULATION, REGULATION_EN

Notes = dict[str, tuple[str, str]]  # key -> (français, English)


def flows_notes() -> Notes:
    return {
        "period": ("appareils réformés dans la période ; offres créées dans la période",
                   "devices retired in the period; offers made in the period"),
        "time_in_state": ("durée des séjours terminés dans chaque état (heures) ; « current » : séjours en cours",
                          "length of the finished stays in each state (hours); “current”: stays under way"),
    }


def compliance_notes(reuse_max_age_years: int) -> Notes:
    n = reuse_max_age_years
    return {
        "regulation": (REGULATION, REGULATION_EN),
        "donation": (DONATION_RULES, DONATION_RULES_EN),
        "rule": ((f"appareils de moins de {n} ans à la réforme (année d'achat connue) ; réemploi prouvé par une "
                  "livraison à un tiers-lieu dans l'historique ; reconditionnés ou réservés : en cours"),
                 (f"devices under {n} years old when retired (purchase year known); reuse proven by a delivery to "
                  "a third place in the trail; refurbished or reserved: in progress")),
        "period": ("année de réforme ; livraisons : date de livraison",
                   "year of retirement; deliveries: date of delivery"),
    }


def impact_notes(factors: Mapping[str, EmissionFactor]) -> Notes:
    def kg(value: float, lang: str) -> str:
        return f"{value:g}".replace(".", ",") if lang == "fr" else f"{value:g}"

    return {
        "assumption": (IMPACT_ASSUMPTION, IMPACT_ASSUMPTION_EN),
        "factors": (
            " ; ".join(f"{CATEGORY_FR.get(c, c)} : {kg(x.manufacturing_kg, 'fr')} + {kg(x.assembly_kg, 'fr')} kg CO2e ({x.source})"
                       for c, x in sorted(factors.items())),
            "; ".join(f"{c}: {kg(x.manufacturing_kg, 'en')} + {kg(x.assembly_kg, 'en')} kg CO2e ({x.source})"
                      for c, x in sorted(factors.items())),
        ),
        "period": ("réemploi compté à la première livraison dans la période ; DEEE : date du recyclage",
                   "reuse counted at the first delivery in the period; WEEE: date of recycling"),
    }


def french(notes: Notes) -> dict[str, str]:
    return {key: fr for key, (fr, _) in notes.items()}


def english(notes: Notes) -> dict[str, str]:
    return {key: en for key, (_, en) in notes.items()}
