"""A display's EDID (hex): its physical size, hence its diagonal in inches."""

from __future__ import annotations

import math
import re
from typing import Any

from marketplace.bench.reading import Reading
from marketplace.bench.values import items, obj, text
from marketplace.domain.errors import InvalidInput

_HEADER = bytes.fromhex("00ffffffffffff00")


def diagonal_in(value: Any, where: str) -> float | None:
    """The diagonal from the first detailed timing descriptor (mm), else the basic size (cm); None when the
    EDID gives no size (projectors, some panels). Anything but a 128-byte-or-more EDID in hex is refused."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not re.fullmatch(r"(?:[0-9a-fA-F]{2})+", value.strip()):
        raise InvalidInput("bench.bad_value", source="edid", field=where, value=str(value)[:60])
    data = bytes.fromhex(value.strip())
    if len(data) < 128 or data[:8] != _HEADER:
        raise InvalidInput("bench.bad_value", source="edid", field=where, value=value[:60])
    width_mm = data[66] | (data[68] >> 4) << 8
    height_mm = data[67] | (data[68] & 0x0F) << 8
    if not (width_mm and height_mm) or data[54:56] == b"\x00\x00":
        width_mm, height_mm = data[21] * 10, data[22] * 10
    if not (width_mm and height_mm):
        return None
    return round(math.hypot(width_mm, height_mm) / 25.4, 1)


def read(data: Any) -> Reading:
    """`[{"connector": "card0-eDP-1", "edid": "00ffffffffffff00..."}]`: the built-in panel's diagonal."""
    screens = []
    for i, raw in enumerate(items(data, "edid", "racine")):
        entry = obj(raw, "edid", f"[{i}]")
        connector = text(entry.get("connector"), "edid", f"[{i}].connector") or ""
        size = diagonal_in(entry.get("edid"), f"[{i}].edid")
        if size is not None:
            screens.append((any(k in connector for k in ("eDP", "LVDS", "DSI")), size))
    built_in = [s for internal, s in screens if internal]
    chosen = built_in[0] if built_in else (screens[0][1] if len(screens) == 1 else None)
    return Reading(sources=("edid",), screen_in=chosen)
