"""The router's reasons, the eligibility checks and the system's reasons in the reader's language.

The words are the catalogues' (`reason.*`, `check.*`, `system.*` in marketplace/i18n/locale); this module
only knows how to find them. A reason stored before reasons had codes (or one this version does not know)
has no translation: `reason_text` returns None and the caller shows the stored French, marked as French.

The eligibility checks of the `asset.offered` event are French sentences with no codes (the event is a
contract); the few the reports quote (legal basis and value ceiling) are recognised by their French wording,
the catalogue's `check.*` msgids, and shown in the reader's language by `check_text`.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Any

from marketplace.domain.reasons import from_json
from marketplace.i18n import catalogues

_NUMBER = r"\d+(?:[.,]\d+)?"
# What each placeholder of a check's French wording may match (the kind of an organisation: anything).
_PLACEHOLDER = {"kind": ".*", "value": _NUMBER, "ceiling": _NUMBER, "sign": "[≤>]"}


def reason_text(value: Any, lang: str) -> str | None:
    """One stored reason ({"code", "params"}) in `lang`; None when it cannot be rendered (unknown code,
    parameters of another shape): the caller then falls back to the stored French."""
    reason = from_json(value)
    if reason is None:
        return None
    try:
        return reason.text(lang)
    except (KeyError, TypeError, ValueError):  # parameters of the wrong type (a hand-edited row): no crash
        return None


def reasons_text(codes: Any, lang: str) -> list[str] | None:
    """All the reasons of one offer in `lang`, or None if any of them cannot be rendered."""
    if not isinstance(codes, list) or not codes:
        return None
    texts = [reason_text(c, lang) for c in codes]
    return None if any(t is None for t in texts) else [t for t in texts if t is not None]


def _pattern(french: str) -> re.Pattern[str]:
    """A check's French wording as a pattern that captures its placeholders."""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(french):
        parts.append(re.escape(literal))
        if field:
            parts.append(f"(?P<{field}>{_PLACEHOLDER[field]})")
    return re.compile("".join(parts))


@lru_cache(maxsize=4)
def _checks(revision: int) -> list[tuple[str, re.Pattern[str]]]:
    return [(key, _pattern(catalogues.text(key, catalogues.SOURCE_LANGUAGE)))
            for key in catalogues.keys("check.") if key != "check.separator"]


def check_text(detail: str, lang: str) -> str:
    """An eligibility check's detail (or several, joined by " ; ") in `lang`; a part with an unknown wording
    stays as written."""
    if lang == catalogues.SOURCE_LANGUAGE or not detail:
        return detail
    parts = []
    for part in detail.split(catalogues.text("check.separator", catalogues.SOURCE_LANGUAGE)):
        for key, pattern in _checks(catalogues.revision()):
            match = pattern.fullmatch(part)
            if match:
                parts.append(catalogues.formatted(key, lang, **match.groupdict()))
                break
        else:
            parts.append(part)
    return catalogues.text("check.separator", lang).join(parts)


@lru_cache(maxsize=4)
def _system_keys(revision: int) -> dict[str, str]:
    return {catalogues.text(key, catalogues.SOURCE_LANGUAGE): key for key in catalogues.keys("system.")}


def system_text(text: str, lang: str) -> str:
    """A reason the system wrote into an event (in French), in `lang`; text typed by a person stays as is."""
    key = _system_keys(catalogues.revision()).get(text)
    return catalogues.text(key, lang) if key else text
