"""Numbers as people type them in French or English: a decimal comma or point, never a silent misreading.

"0,4" and "0.4" both read 0.4; "1 000" (groups of three, spaces or no-break spaces) reads 1000. What could
be a misreading is refused with the reason, never guessed: "04" (a lost comma? four?), "1,500" (one and a
half in French, fifteen hundred in English), "0,4,5", "1.000,5", "4 5", "abc". A refusal names the field it was for; the caller says which field that is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from marketplace.domain.errors import InvalidInput

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_PLAIN = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?: [0-9]{3})+(?:[.,][0-9]+)?")
# "1,500" is 1.5 in French and 1500 in English: which one was meant cannot be read from the text.
_THOUSANDS_OR_DECIMALS = re.compile(r"[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}")


def _refuse(reason: str, field: str, value: str, **params: object) -> InvalidInput:
    return InvalidInput(f"number.{reason}", field=field, value=value, **params)


def parse_decimal(raw: object, field: str) -> float:
    """The number in `raw` (text, or a number already); `field` names it in a refusal."""
    if isinstance(raw, bool):
        raise _refuse("not_a_number", field, str(raw))
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            raise _refuse("not_a_number", field, str(raw))
        return float(raw)
    text = str(raw).strip()
    if not text:
        raise _refuse("empty", field, text)
    shown = text[:40]
    spaced = _SPACES.sub(" ", text)
    if _GROUPED.fullmatch(spaced):
        text = spaced.replace(" ", "")
    elif not _PLAIN.fullmatch(text):
        raise _refuse("not_a_number", field, shown)
    elif _THOUSANDS_OR_DECIMALS.fullmatch(text):
        mark = "," if "," in text else "."
        one, rest = text.split(mark)
        raise _refuse("thousands_or_decimals", field, shown, decimals=f"{one},{rest.rstrip('0')}".rstrip(","),
                      thousands=f"{one} {rest}")
    whole = text.lstrip("+-").split(".")[0].split(",")[0]
    if whole.startswith("0") and whole.lstrip("0") and not any(c in text for c in ".,"):
        # "04" is most often "0,4" whose comma a number field dropped: ask rather than read 4.
        raise _refuse("leading_zero", field, shown, digits=whole.lstrip("0"), whole=whole.lstrip("0"))
    return float(text.replace(",", ".")) + 0.0  # -0 reads 0


def parse_whole(raw: object, field: str) -> int:
    """A whole number ("3", "3,0" is refused: a count has no decimals)."""
    value = parse_decimal(raw, field)
    if not value.is_integer() or (isinstance(raw, str) and any(c in raw for c in ".,")):
        raise _refuse("not_whole", field, str(raw).strip()[:40])
    return int(value)


def written(value: float, decimal_mark: str = ",") -> str:
    """A number as the form shows it: 72.0 reads 72, 0.25 reads 0,25 in French."""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return repr(value).replace(".", decimal_mark)


@dataclass(frozen=True)
class Bounds:
    """The values a setting may take: `low` included unless `above`, `high` included."""

    low: float
    high: float
    whole: bool = False
    above: bool = False  # strictly above `low` (a deadline of 0 hours is no deadline)

    def read(self, raw: object, field: str) -> float | int:
        value: float | int = parse_whole(raw, field) if self.whole else parse_decimal(raw, field)
        too_low = value <= self.low if self.above else value < self.low
        if too_low or value > self.high:
            reason = "above_range" if self.above else "out_of_range"
            raise _refuse(reason, field, str(raw).strip()[:40], low=written(self.low), high=written(self.high))
        return value
