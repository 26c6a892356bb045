"""The router's reasons and eligibility checks in the reader's language.

French comes from the domain (`marketplace.domain.reasons.FRENCH`, the very sentences the `asset.offered`
event carries); English is here, one renderer per code with the same parameters. A reason stored before
reasons had codes (or one this version does not know) has no translation: `reason_text` returns None and
the caller shows the stored French, marked as French.

The eligibility checks of the `asset.offered` event are French sentences with no codes (the event is a
contract); the few the reports quote (legal basis and value ceiling) are recognised by their fixed wording
and translated by `check_text`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from marketplace.domain.reasons import FRENCH, from_json


def _age_en(year: int | None, age: int | None) -> str:
    return "purchase year unknown" if year is None else f"bought in {year} ({age} years old)"


def _condition_en(condition: str) -> str:
    from ui.i18n import label  # ui.i18n merges the other catalogues at import: import late

    return label("condition", condition, "en")


def _channel_en(verdict: Callable[[int], str]) -> Callable[..., str]:
    def render(year: int | None, age: int | None, condition: str, max_age: int) -> str:
        return f"{_age_en(year, age)}, declared condition “{_condition_en(condition)}”; {verdict(max_age)}"
    return render


def _score_en(score: float, territory: float, fairness: float, capacity: float, reliability: float,
              w_territory: float, w_fairness: float, w_capacity: float, w_reliability: float, total: float) -> str:
    return (f"score {score:.2f} = territory {territory:.2f}×{w_territory:g} + fairness {fairness:.2f}×{w_fairness:g}"
            f" + capacity {capacity:.2f}×{w_capacity:g} + reliability {reliability:.2f}×{w_reliability:g}"
            + ("" if total == 1.0 else f", divided by {total:g}"))


# code -> English renderer, with the parameters of its French one (a test checks both cover every code).
ENGLISH: dict[str, Callable[..., str]] = {
    "territory.same_pays": lambda pays: f"same pays: {pays}",
    "territory.same_department": lambda pays, km, town: f"same department: {pays}, {km:.0f} km from {town}",
    "territory.distance": lambda pays, km, town: f"{pays}, {km:.0f} km from {town}",
    "channel.reuse": _channel_en(lambda _: "reuse channel: refurbisher"),
    "channel.reuse_only": _channel_en(
        lambda max_age: f"reusable (under {max_age + 1} years old, in working order): for refurbishers only"),
    "channel.end_of_life": _channel_en(lambda _: "past reuse: fab lab or recycler"),
    "channel.end_of_life_only": _channel_en(
        lambda max_age: f"over {max_age} years old or out of order: for fab labs and recyclers only"),
    "capacity.free": lambda free, capacity: f"free capacity: {free} devices out of {capacity}",
    "fairness.received": lambda received, days, capacity: (
        f"received {received} device(s) in {days} days ({100 * received / capacity:.0f}% of its capacity)"),
    "reliability.no_shows": lambda no_shows, days: f"{no_shows} missed pickup(s) in {days} days: ranked lower",
    "reliability.none": lambda days: f"no missed pickup in {days} days",
    "round.radius": lambda n, radius_km: f"round {n}: same department or within {radius_km:.0f} km",
    "round.region": lambda n: f"round {n}: the whole region",
    "score.formula": _score_en,
}


def reason_text(value: Any, lang: str) -> str | None:
    """One stored reason ({"code", "params"}) in `lang`; None when it cannot be rendered (unknown code,
    parameters of another shape): the caller then falls back to the stored French."""
    reason = from_json(value)
    if reason is None:
        return None
    try:
        return (ENGLISH if lang == "en" else FRENCH)[reason.code](*reason.args)
    except (KeyError, TypeError, ValueError):  # parameters of the wrong type (a hand-edited row): no crash
        return None


def reasons_text(codes: Any, lang: str) -> list[str] | None:
    """All the reasons of one offer in `lang`, or None if any of them cannot be rendered."""
    if not isinstance(codes, list) or not codes:
        return None
    texts = [reason_text(c, lang) for c in codes]
    return None if any(t is None for t in texts) else [t for t in texts if t is not None]


# The eligibility checks' fixed wordings (marketplace/domain/routing_checks.py, marketplace/reports/rules.py).
_NUMBER = r"\d+(?:[.,]\d+)?"
_CHECKS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"don gratuit à un bénéficiaire éligible \((?P<kind>[^)]*)\)"),
     lambda m: f"free donation to an eligible recipient ({m['kind']})"),
    (re.compile(r"reprise par la filière DEEE \(pas un don\)"), lambda m: "take-back by the WEEE channel (not a donation)"),
    (re.compile(r"type d'organisation « (?P<kind>.*) » non éligible au don"),
     lambda m: f"organisation type “{m['kind']}” not eligible for a donation"),
    (re.compile(rf"valeur unitaire non déclarée, présumée sous le plafond de (?P<c>{_NUMBER}) €"),
     lambda m: f"unit value not declared, presumed under the €{m['c']} ceiling"),
    (re.compile(rf"valeur unitaire (?P<v>{_NUMBER}) € (?P<s>[≤>]) plafond (?P<c>{_NUMBER}) €(?P<re> \(recalculé\))?"),
     lambda m: f"unit value €{m['v']} {m['s']} ceiling €{m['c']}" + (" (recomputed)" if m["re"] else "")),
    (re.compile(rf"valeur non déclarée (?P<s>[≤>]) plafond (?P<c>{_NUMBER}) € \(recalculé\)"),
     lambda m: f"value not declared {m['s']} ceiling €{m['c']} (recomputed)"),
    (re.compile(r"bénéficiaire de type (?P<kind>.*) \((?P<ok>éligible|non éligible)\)"),
     lambda m: f"recipient of type {m['kind']} ({'eligible' if m['ok'] == 'éligible' else 'not eligible'})"),
    (re.compile(r"aucune réclamation trouvée dans l'historique"), lambda m: "no claim found in the history"),
]


def check_text(detail: str, lang: str) -> str:
    """An eligibility check's detail (or several, joined by " ; ") in `lang`; a part with an unknown wording
    stays as written."""
    if lang != "en" or not detail:
        return detail
    parts = []
    for part in detail.split(" ; "):
        for pattern, render in _CHECKS:
            match = pattern.fullmatch(part)
            if match:
                parts.append(render(match))
                break
        else:
            parts.append(part)
    return "; ".join(parts)


# System-written reasons in events (not typed by a person), French in the event, and their English.
SYSTEM_TEXTS: dict[str, str] = {
    "enlèvement non confirmé dans le délai": "pickup not confirmed in time",
    "a décliné ou été écarté à un tour précédent": "declined or was set aside in an earlier round",
}


def system_text(text: str, lang: str) -> str:
    return SYSTEM_TEXTS.get(text, text) if lang == "en" else text
