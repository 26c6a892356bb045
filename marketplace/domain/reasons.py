"""The router's reasons as data: a code and its parameters, rendered to French for the event.

The `asset.offered` event carries the reasons as French sentences (EVENTS.md: a contract other systems
read), so `french` must keep writing exactly what the router always wrote. The offers table also keeps
the structured form (`offers.reason_codes`), which lets the UI render the same reason in the reader's
language. The sentences are the catalogues' `reason.<code>` entries (marketplace/i18n/locale); a test
checks every code has one in every language, with the same placeholders.

Parameters are JSON values only (they are stored as jsonb): numbers unrounded, names as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from marketplace.i18n import catalogues


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
        """The sentence the `asset.offered` event carries."""
        if self.code in _UNCACHED:
            return render(self.code, self.args, catalogues.SOURCE_LANGUAGE)
        return _french(self.code, self.args, catalogues.revision())

    def text(self, lang: str) -> str:
        """The sentence in the reader's language, every value in words (the declared condition too)."""
        return render(self.code, self.args, lang, words=True)


def reason(code: str, **params: Any) -> Reason:
    """A reason from named parameters (checked against `PARAMS`): for tests and slow paths."""
    if set(params) != set(PARAMS[code]):
        raise ValueError(f"{code} takes {PARAMS[code]}, not {sorted(params)}")
    return Reason(code, tuple(params[name] for name in PARAMS[code]))


def from_json(value: Any) -> Reason | None:
    """A stored reason back as a `Reason`; None when it is not one this code knows (never raises)."""
    if not isinstance(value, dict) or value.get("code") not in PARAMS:
        return None
    params = value.get("params")
    names = PARAMS[value["code"]]
    if not isinstance(params, dict) or set(params) != set(names):
        return None
    return Reason(value["code"], tuple(params[name] for name in names))


# code -> the names of its parameters, in the order `Reason.args` holds them (positional: the router makes many).
PARAMS: dict[str, tuple[str, ...]] = {
    # territory: where the organisation is, seen from the device's pays
    "territory.same_pays": ("pays",),
    "territory.same_department": ("pays", "km", "town"),
    "territory.distance": ("pays", "km", "town"),
    # channel (the `filiere` check): reuse or end of life, and who may take the device
    "channel.reuse": ("year", "age", "condition", "max_age"),
    "channel.reuse_only": ("year", "age", "condition", "max_age"),
    "channel.end_of_life": ("year", "age", "condition", "max_age"),
    "channel.end_of_life_only": ("year", "age", "condition", "max_age"),
    # the score's other components
    "capacity.free": ("free", "capacity"),
    "fairness.received": ("received", "days", "capacity"),
    "reliability.no_shows": ("no_shows", "days"),
    "reliability.none": ("days",),
    # the round's territory
    "round.radius": ("n", "radius_km"),
    "round.region": ("n",),
    "score.formula": ("score", "territory", "fairness", "capacity", "reliability",
                      "w_territory", "w_fairness", "w_capacity", "w_reliability", "total"),
    # the matcher's proposals of refurbished devices to needs (domain/matching.py)
    "need.same_pays": ("pays",),
    "need.distance": ("pays", "km"),
    "need.ram": ("ram_gb", "min_ram_gb"),
    "need.storage": ("storage_gb", "min_storage_gb"),
    "need.screen": ("screen_in", "min_screen_in"),
    "need.grade": ("grade",),
    "need.lightweight": ("weight_kg", "max_kg"),
    "need.screen_reader_os": ("os",),
    "need.keyboard_to_check": (),
    "need.waiting": ("days",),
    "need.priority": ("priority",),
    "need.remaining": ("remaining", "quantity"),
}


@lru_cache(maxsize=16)
def _templates(lang: str, revision: int) -> dict[str, str]:
    """The catalogue's sentences of every code in `lang` (the router renders thousands a second)."""
    parts = ("part.age_known", "part.age_unknown", "part.divided")
    return {code: catalogues.text(f"reason.{code}", lang) for code in (*PARAMS, *parts)}


# The router renders the same few sentences over and over (one device's channel for every candidate, an
# organisation's capacity and record for every device): kept, bar the score, which differs every time.
_UNCACHED = frozenset({"score.formula"})


@lru_cache(maxsize=4096)
def _french(code: str, args: tuple[Any, ...], revision: int) -> str:
    return render(code, args, catalogues.SOURCE_LANGUAGE)


def render(code: str, args: tuple[Any, ...], lang: str, *, words: bool = False) -> str:
    """A reason's sentence in `lang`. The French the router writes into events (a contract, hashed in the chain)
    names the declared condition by its code; what people read (`words`, and every other language) names it
    in words. Raises on arguments of the wrong type."""
    templates = _templates(lang, catalogues.revision())
    params = dict(zip(PARAMS[code], args, strict=True))
    if code.startswith("channel."):
        year, age = params["year"], params["age"]
        params["purchase"] = (templates["part.age_unknown"] if year is None
                              else templates["part.age_known"].format(year=year, age=age))
        params["age_limit"] = params["max_age"] + 1
        if words or lang != catalogues.SOURCE_LANGUAGE:
            params["condition"] = catalogues.text(f"vocab.condition.{params['condition']}", lang) \
                if catalogues.has(f"vocab.condition.{params['condition']}") else params["condition"]
    elif code == "fairness.received":
        params["share"] = 100 * params["received"] / params["capacity"]
    elif code == "score.formula":
        total = params["total"]
        params["divided"] = "" if total == 1.0 else templates["part.divided"].format(total=total)
    return templates[code].format(**params)

