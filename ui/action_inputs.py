"""From the fields of a device-page form to the `data` of one lifecycle action (`schemas/actions.py`). Pure.

The browser sends strings; this turns them into the shapes the action inputs expect (lists of media and
parts, numbers with a French decimal comma, a hold date at the end of its day). It does not decide
whether the action is allowed: the services validate the data and check role, custody and state again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from marketplace.domain.errors import InvalidInput
from marketplace.domain.numbers import parse_decimal
from ui import i18n

MAX_MEDIA = 3
_PART_LINE = re.compile(r"^\s*(\d{1,4})\s*[x×*]\s*(.+?)\s*$", re.IGNORECASE)


# The fields each form cannot go without, and their labels: the forms turn the browser's own checks off (its
# bubbles speak the browser's language, not the page's), so the handler names what is missing instead.
REQUIRED: dict[str, tuple[tuple[str, str], ...]] = {
    "decline": (("reason", "act.reason"),),
    "return": (("reason", "act.reason"),),
    "write_off": (("reason", "act.reason"),),
    "wipe": (("technique", "act.technique"), ("tool", "act.tool"), ("tool_version", "act.tool_version"),
             ("operator", "act.operator"), ("sanitised_on", "act.sanitised_on"), ("media_0_make", "act.medium_make"),
             ("media_0_model", "act.medium_model"), ("media_0_serial", "act.medium_serial"),
             ("signature", "act.signature")),
    "harvest": (("parts", "act.parts"),),
    "recycle": (("weight_kg", "act.weight"), ("slip_number", "act.slip")),
}


def require_filled(form: Mapping[str, Any], fields: tuple[tuple[str, str], ...], lang: str) -> None:
    """Refuse, naming every empty one by its label, when a field the form needs is empty."""
    missing = [i18n.text(label, lang) for name, label in fields if not _str(form, name)]
    if missing:
        raise InvalidInput("form.missing", fields=", ".join(missing))


def _str(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else str(value if value is not None else "").strip()


def _ticked(form: Mapping[str, Any], name: str) -> bool:
    return form.get(name) in ("on", True, "true")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_weight(text: str, lang: str) -> float:
    """A mass in kg, "12,5" or "12.5"; "012" or "1,500" (a kilo and a half, or 1,500 kg?) are refused."""
    return parse_decimal(text, "weight_kg")


def parse_parts(text: str) -> list[dict[str, Any]]:
    """One part a line: "2 x RAM module", "2 × RAM module" or just "RAM module" (one)."""
    parts = []
    for line in _lines(text):
        match = _PART_LINE.match(line)
        if match:
            parts.append({"name": match.group(2), "quantity": int(match.group(1))})
        else:
            parts.append({"name": line, "quantity": 1})
    return parts


def _media(form: Mapping[str, Any]) -> list[dict[str, str]]:
    media = []
    for i in range(MAX_MEDIA):
        row = {key: _str(form, f"media_{i}_{key}") for key in ("make", "model", "serial")}
        if any(row.values()):
            media.append(row)
    return media


def _hold_until(text: str, lang: str) -> str | None:
    """A date from the form as the end of that day, local time (the hold lasts the whole day)."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
        # A day at the edge of the calendar (0001-01-01) has no local time: as invalid as a malformed one.
        return datetime.combine(day, time(23, 59)).astimezone().isoformat()
    except (ValueError, OverflowError):
        raise InvalidInput(detail=i18n.text("act.date_invalid", lang)) from None


def action_data(action: str, form: Mapping[str, Any], lang: str, *, is_recycler: bool = False) -> dict[str, Any]:
    """The `data` for `Marketplace.perform(token, code, action, data)`, built from a submitted form."""
    def s(name: str) -> str:
        return _str(form, name)

    require_filled(form, REQUIRED.get(action, ()), lang)
    if action == "claim":
        return {}
    if action == "cancel_reservation":  # a reason is required when an admin frees another organisation's hold
        return {"reason": s("reason")} if s("reason") else {}
    if action in ("decline", "return", "write_off"):
        return {"reason": s("reason")}
    if action in ("collect", "deliver"):
        # The handing party types the device code, the receiving party the handover code its form asks for.
        data: dict[str, Any] = {name: s(name) for name in ("confirm_code", "handover_code") if s(name)}
        if action == "deliver":
            data["beneficiary_category"] = s("beneficiary_category")
        return data
    if action == "diagnose":
        return {"outcome": s("outcome"), "findings": s("findings")}
    if action == "wipe":
        return {
            "method": s("method"), "technique": s("technique"), "tool": s("tool"),
            "tool_version": s("tool_version"), "verification": s("verification"), "operator": s("operator"),
            "sanitised_on": s("sanitised_on"), "media": _media(form), "destination": s("destination") or "reuse",
            "signature": s("signature"),
        }
    if action == "refurbish":
        return {"grade": s("grade"), "os_installed": s("os_installed") or "Linux Mint",
                "tests_passed": _lines(s("tests_passed"))}
    if action == "reserve":
        hold = _hold_until(s("hold_until"), lang)
        return {"hold_until": hold} if hold else {}
    if action == "harvest":
        parts = parse_parts(s("parts"))
        if not parts:
            raise InvalidInput(detail=i18n.text("act.parts_invalid", lang))
        return {"parts": parts}
    if action == "recycle":
        data = {
            "weight_kg": parse_weight(s("weight_kg"), lang), "slip_number": s("slip_number"),
            "storage_destruction_certified": _ticked(form, "storage_destruction_certified"),
        }
        if not is_recycler:
            data["recycler"] = s("recycler")
        return data
    # An unknown action goes to the services as it is: they refuse it with a clear message.
    return {key: value for key, value in form.items() if key != "action"}
