"""The reports' notes (period, method, regulation, factors), in any catalogue language, by key.

A report carries them in French (`Report.notes`) and in English (`Report.notes_en`); the page shows the
reader's language. Downloads: the JSON file carries both (`notes` as before, in French, and `notes_en`);
CSV files hold one table each and no notes. The words are the catalogues' `note.*` entries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from marketplace.domain.categories import category_name
from marketplace.domain.impact import EmissionFactor
from marketplace.i18n import catalogues

Note = Callable[[str], str]  # language -> the note's text
Notes = dict[str, Note]


def _note(key: str, **params: object) -> Note:
    return lambda lang: catalogues.formatted(f"note.{key}", lang, **params)


def flows_notes() -> Notes:
    return {"period": _note("flows.period"), "time_in_state": _note("flows.time_in_state")}


def compliance_notes(reuse_max_age_years: int) -> Notes:
    return {
        "regulation": _note("compliance.regulation"),
        "donation": _note("compliance.donation"),
        "rule": _note("compliance.rule", max_age=reuse_max_age_years),
        "period": _note("compliance.period"),
    }


def impact_notes(factors: Mapping[str, EmissionFactor]) -> Notes:
    def kg(value: float, lang: str) -> str:
        return f"{value:g}".replace(".", catalogues.text("format.decimal_mark", lang))

    def factor_lines(lang: str) -> str:
        return catalogues.text("note.impact.separator", lang).join(
            catalogues.formatted("note.impact.factor", lang, category=category_name(c, lang),
                                 manufacturing=kg(x.manufacturing_kg, lang), assembly=kg(x.assembly_kg, lang),
                                 source=x.source)
            for c, x in sorted(factors.items()))

    return {"assumption": _note("impact.assumption"), "factors": factor_lines, "period": _note("impact.period")}


def in_language(notes: Notes, lang: str) -> dict[str, str]:
    return {key: note(lang) for key, note in notes.items()}


def french(notes: Notes) -> dict[str, str]:
    return in_language(notes, catalogues.SOURCE_LANGUAGE)


def english(notes: Notes) -> dict[str, str]:
    return in_language(notes, "en")
