"""The router's reasons as data: a code and its parameters, rendered to French for the event.

The `asset.offered` event carries the reasons as French sentences (EVENTS.md: a contract other systems
read), so `french` must keep writing exactly what the router always wrote. The offers table also keeps
the structured form (`offers.reason_codes`), which lets the UI render the same reason in the reader's
language (`ui/i18n_reasons.py` holds the English of every code; a test checks that both cover `FRENCH`).

Parameters are JSON values only (they are stored as jsonb): numbers unrounded, names as written.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reason:
    """A code and its arguments, in the order of `PARAMS[code]` (positional: the router makes many)."""

    code: str
    args: tuple[Any, ...] = ()

    @property
    def params(self) -> dict[str, Any]:
        return dict(zip(PARAMS[self.code], self.args, strict=True))

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}

    def french(self) -> str:
        return FRENCH[self.code](*self.args)


def reason(code: str, **params: Any) -> Reason:
    """A reason from named parameters (checked against `PARAMS`): for tests and slow paths."""
    if set(params) != set(PARAMS[code]):
        raise ValueError(f"{code} takes {PARAMS[code]}, not {sorted(params)}")
    return Reason(code, tuple(params[name] for name in PARAMS[code]))


def from_json(value: Any) -> Reason | None:
    """A stored reason back as a `Reason`; None when it is not one this code knows (never raises)."""
    if not isinstance(value, dict) or value.get("code") not in FRENCH:
        return None
    params = value.get("params")
    names = PARAMS[value["code"]]
    if not isinstance(params, dict) or set(params) != set(names):
        return None
    return Reason(value["code"], tuple(params[name] for name in names))


def age_fr(year: int | None, age: int | None) -> str:
    return "année d'achat inconnue" if year is None else f"acheté en {year} ({age} ans)"


def _channel_fr(verdict: Callable[[int], str]) -> Callable[..., str]:
    """The facts, then the verdict; `max_age` is the reuse age limit (years)."""
    def render(year: int | None, age: int | None, condition: str, max_age: int) -> str:
        return f"{age_fr(year, age)}, état déclaré « {condition} » ; {verdict(max_age)}"
    return render


def _score_fr(score: float, territory: float, fairness: float, capacity: float, reliability: float,
              w_territory: float, w_fairness: float, w_capacity: float, w_reliability: float, total: float) -> str:
    return (f"score {score:.2f} = territoire {territory:.2f}×{w_territory:g} + équité {fairness:.2f}×{w_fairness:g}"
            f" + capacité {capacity:.2f}×{w_capacity:g} + fiabilité {reliability:.2f}×{w_reliability:g}"
            + ("" if total == 1.0 else f", divisé par {total:g}"))


# code -> French sentence, exactly as the router wrote it before reasons had codes.
FRENCH: dict[str, Callable[..., str]] = {
    # territory: where the organisation is, seen from the device's pays
    "territory.same_pays": lambda pays: f"même pays : {pays}",
    "territory.same_department": lambda pays, km, town: f"même département : {pays}, à {km:.0f} km de {town}",
    "territory.distance": lambda pays, km, town: f"{pays}, à {km:.0f} km de {town}",
    # channel (the `filiere` check): reuse or end of life, and who may take the device
    "channel.reuse": _channel_fr(lambda _: "filière réemploi : reconditionneur"),
    "channel.reuse_only": _channel_fr(
        lambda max_age: f"réemployable (moins de {max_age + 1} ans, en état) : réservé aux reconditionneurs"),
    "channel.end_of_life": _channel_fr(lambda _: "hors réemploi : fab lab ou recycleur"),
    "channel.end_of_life_only": _channel_fr(
        lambda max_age: f"plus de {max_age} ans ou hors d'usage : réservé aux fab labs et recycleurs"),
    # the score's other components
    "capacity.free": lambda free, capacity: f"capacité libre : {free} appareils sur {capacity}",
    "fairness.received": lambda received, days, capacity: (
        f"reçu {received} appareil(s) en {days} jours ({100 * received / capacity:.0f} % de sa capacité)"),
    "reliability.no_shows": lambda no_shows, days: f"{no_shows} absence(s) au retrait en {days} jours : rang abaissé",
    "reliability.none": lambda days: f"aucune absence au retrait en {days} jours",
    # the round's territory
    "round.radius": lambda n, radius_km: f"tour {n} : même département ou à moins de {radius_km:.0f} km",
    "round.region": lambda n: f"tour {n} : toute la région",
    "score.formula": _score_fr,
}

# code -> the names of its parameters, in the order `Reason.args` holds them (the renderers' own order).
PARAMS: dict[str, tuple[str, ...]] = {code: tuple(inspect.signature(render).parameters)
                                      for code, render in FRENCH.items()}
