"""The UI's texts, read from the gettext catalogues of `marketplace.i18n` (French first, English available).

Static text is rendered with `t(key)` (a reactive value that follows the reader's language); text computed on
the server (dates, vocabulary, error messages) goes through `text`, `label` and `error_message`. The words
themselves live in `marketplace/i18n/locale/` (docs/translating.md), under the same keys as before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import reflex as rx

from marketplace.domain.errors import DomainError
from marketplace.i18n import catalogues
from ui.language import LanguageState

# The values of each vocabulary, in the order forms offer them (the catalogue holds their words, under
# `vocab.<vocabulary>.<value>`; a test checks both hold the same values).
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "outcome": ("refurbishable", "parts_only", "end_of_life"),
    "grade": ("A", "B", "C"),
    "wipe_method": ("Clear", "Purge", "Destroy"),
    "verification": ("full", "sampled"),
    "destination": ("reuse", "recycling", "storage"),
    "beneficiary": ("students", "job_seekers", "seniors", "families", "associations", "digital_mediation", "other"),
    "org_kind": ("region", "lycee", "association", "fablab", "tiers_lieu", "recycler", "auditor"),
    "category": ("laptop", "desktop", "monitor", "tablet", "smartphone", "printer", "network", "server",
                 "peripheral", "other"),
    "offer_status": ("open", "claimed", "withdrawn", "expired", "declined", "no_show"),
    "condition": ("working", "faulty", "broken", "unknown"),
    "state": ("retired", "offered", "claimed", "collected", "diagnosed", "wiped", "refurbished", "reserved",
              "delivered", "returned", "harvested", "recycled", "written_off"),
    "event": ("asset.retired", "asset.offered", "asset.claimed", "asset.offers_expired", "asset.offer_declined",
              "asset.collected", "asset.diagnosed", "asset.wiped", "asset.refurbished", "asset.reserved",
              "asset.reservation_released", "asset.delivered", "asset.returned", "asset.harvested",
              "asset.recycled", "asset.written_off", "asset.inspected", "asset.lent",
              "asset.loan_returned"),
    "label_format": ("a4-3x7", "roll-62"),
    "role": ("asset_manager", "refurbisher", "maker", "third_place", "recycler", "auditor"),
    "letter_status": ("new", "replayed", "discarded"),
    "letter_filter": ("new", "replayed", "discarded", "all"),
}


def languages() -> tuple[str, ...]:
    """The languages the UI can be read in (those with a compiled catalogue), French first."""
    return catalogues.languages()


def text(key: str, lang: str) -> str:
    """The string for `key` in `lang` (server side)."""
    return catalogues.text(key, lang)


def label(vocabulary: str, value: str | None, lang: str) -> str:
    """A vocabulary value (category, state, event type, role...) as users read it."""
    if value is None:
        return ""
    key = f"vocab.{vocabulary}.{value}"
    return catalogues.text(key, lang) if catalogues.has(key) else value


def options(vocabulary: str, lang: str) -> list[tuple[str, str]]:
    """(value, label) pairs of a vocabulary, in its declared order."""
    return [(value, label(vocabulary, value, lang)) for value in VOCABULARIES[vocabulary]]


def option_pairs(vocabulary: str, lang: str) -> list[list[str]]:
    """`options` as the [value, label] lists a select's state var holds."""
    return [[value, text] for value, text in options(vocabulary, lang)]


# Parameters of refusals that are vocabulary codes (a state, a role...): shown as words of the reader's language.
_PARAM_VOCABULARY = {"state": "state", "target": "state", "role": "role", "kind": "org_kind", "outcome": "outcome"}
_STATUS_VOCABULARY = {"offer.closed": "offer_status", "deadletter.already_resolved": "letter_status"}


# Fields a refusal names by their key (`field`), shown by their form label.
FIELD_LABELS = {key: f"rs.{key}" for key in (
    "routing_k", "offer_ttl_hours", "routing_max_rounds", "pickup_deadline_hours", "routing_weight_territory",
    "routing_weight_fairness", "routing_weight_capacity", "routing_weight_reliability")} | {"weight_kg": "act.weight", "capacity": "admin.capacity"}


def error_message(err: DomainError, lang: str) -> str:
    """A refused command as a sentence for the user (never a stack trace), its codes in words."""
    params = dict(err.params)
    if isinstance(params.get("field"), str) and params["field"] in FIELD_LABELS:
        params["field"] = text(FIELD_LABELS[params["field"]], lang)
    for name, vocabulary in _PARAM_VOCABULARY.items():
        if isinstance(params.get(name), str):
            params[name] = label(vocabulary, params[name], lang)
    if isinstance(params.get("needed"), str):
        params["needed"] = " / ".join(label("role", role, lang) for role in params["needed"].split(" / "))
    if (vocabulary := _STATUS_VOCABULARY.get(err.message_key)) and isinstance(params.get("status"), str):
        params["status"] = label(vocabulary, params["status"], lang)
    return err.render(lang, params)


def _number(digits: str, lang: str) -> str:
    """Python's "1,234.5" with the language's thousands separator and decimal mark."""
    thousands, decimal = text("format.thousands_separator", lang), text("format.decimal_mark", lang)
    return digits.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def kg(value: float, lang: str) -> str:
    """A mass in kg with one decimal (French: 1 234,5)."""
    return _number(f"{value:,.1f}", lang)


def count(value: int, lang: str) -> str:
    """A whole number with the language's thousands separator (narrow no-break space in French)."""
    return _number(f"{value:,}", lang)


def when(moment: datetime | None, lang: str) -> str:
    """A date and time, written the way each language writes it."""
    if moment is None:
        return ""
    return moment.astimezone().strftime(text("format.datetime", lang))


def title(key: str) -> Any:
    """A page's `<title>`, following the language (Reflex 0.10 takes a Var as a page title)."""
    return t(key)


def t(key: str) -> Any:
    """Static text that follows the reader's language: a reactive value over every catalogue present, compiled
    into the page (an unknown key fails the page's compilation, not a reader)."""
    if not catalogues.has(key):
        raise KeyError(key)
    french, *others = [(lang, catalogues.text(key, lang)) for lang in catalogues.languages()]
    if not others:
        return rx.Var.create(french[1])
    if len(others) == 1:
        lang, translation = others[0]
        return rx.cond(LanguageState.lang == lang, translation, french[1])
    return rx.match(LanguageState.lang, *others, french[1])
