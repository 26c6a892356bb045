"""Small readers of the tools' values, each refusing with the field it could not read."""

from __future__ import annotations

import math
import re
from typing import Any

from marketplace.domain.errors import InvalidInput

MAX_TEXT = 120
# What firmware writes when nobody filled a field in.
_PLACEHOLDERS = {"", "none", "n/a", "na", "unknown", "not specified", "not available", "not applicable",
                 "to be filled by o.e.m.", "default string", "system serial number", "system product name",
                 "system manufacturer", "chassis serial number", "0", "00000000", "0123456789", "123456789"}


def safe(value: str) -> str:
    """Text a database stores: no NUL, no lone surrogate (JSON escapes allow both)."""
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def bad_value(source: str, where: str, value: Any) -> InvalidInput:
    return InvalidInput("bench.bad_value", source=source, field=where, value=str(value)[:60])


def text(value: Any, source: str, where: str) -> str | None:
    """A one-line text, or None for empty and placeholder values; a non-text value is refused."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise bad_value(source, where, value)
    clean = " ".join(safe(str(value)).split())
    if clean.lower() in _PLACEHOLDERS:
        return None
    return clean[:MAX_TEXT]


def number(value: Any, source: str, where: str) -> float | None:
    """A finite, non-negative number (JSON number or text such as "40,2"), or None when absent."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise bad_value(source, where, value)
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*", value)
        if match is None:
            raise bad_value(source, where, value)
        value = float(match.group(1).replace(",", "."))
    if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise bad_value(source, where, value)
    return float(value)


def gigabytes(size_bytes: float | None) -> float | None:
    """Bytes as decimal gigabytes (what disk labels and shops say), one decimal."""
    return None if not size_bytes else round(size_bytes / 1e9, 1)


def ram_gigabytes(size_bytes: float | None) -> float | None:
    """Installed memory in GiB as people say it (8 GB for 8 GiB), one decimal."""
    return None if not size_bytes else round(size_bytes / 2**30, 1)


def obj(value: Any, source: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput("bench.bad_object", source=source, field=where)
    return value


def items(value: Any, source: str, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput("bench.bad_list", source=source, field=where)
    return value
