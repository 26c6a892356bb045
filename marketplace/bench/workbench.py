"""eReuse Workbench's snapshot JSON, and the bench agent's own (the same shape, with more tools in `data`).

Workbench (2022 and later, `schema_api` 1.0.0): `{"type": "Snapshot", "uuid", "sid", "software", "version",
"timestamp", "data": {"lshw": {...}, "dmidecode": "text", "lspci": "text", "hwinfo": "text", "smart": [{...}]}}`
(some versions name `data` `hwmd`, with `smart` under `tests`). The bench agent adds `lsblk`, `upower`,
`power_supply` and `edid` to `data`. Older Workbench snapshots (`"@type": "Snapshot"`, `device` and
`components` already read) are taken too.
"""

from __future__ import annotations

import json
from typing import Any

from marketplace.bench import battery, dmidecode, edid, lsblk, lshw, smart
from marketplace.bench.reading import Battery, Medium, Reading, merge
from marketplace.bench.values import items, number, obj, text

SOURCE = "workbench"


def looks_like(data: Any) -> bool:
    return isinstance(data, dict) and (data.get("type") == "Snapshot" or data.get("@type") == "Snapshot")


def _json(value: Any, where: str) -> Any:
    """Some versions store a tool's JSON output as a string."""
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            from marketplace.domain.errors import InvalidInput

            raise InvalidInput("bench.bad_object", source=SOURCE, field=where) from exc
    return value


def read(data: dict[str, Any]) -> Reading:
    if data.get("@type") == "Snapshot":
        return _read_legacy(data)
    body = obj(data.get("data", data.get("hwmd")), SOURCE, "data")
    tests: dict[str, Any] = data["tests"] if isinstance(data.get("tests"), dict) else {}
    parts: list[Reading] = []
    if isinstance(body.get("dmidecode"), str) and body["dmidecode"].strip():
        parts.append(dmidecode.read(body["dmidecode"]))
    if body.get("lshw"):
        parts.append(lshw.read(_json(body["lshw"], "data.lshw")))
    for i, disk in enumerate(items(body.get("smart", tests.get("smart")), SOURCE, "data.smart")):
        disk = _json(disk, f"data.smart[{i}]")
        if smart.looks_like(disk):
            parts.append(smart.read(disk))
    if body.get("lsblk"):
        parts.append(lsblk.read(_json(body["lsblk"], "data.lsblk")))
    if isinstance(body.get("upower"), str) and battery.looks_like_upower(body["upower"]):
        parts.append(battery.read_upower(body["upower"]))
    if body.get("power_supply"):
        parts.append(battery.read_power_supply(body["power_supply"]))
    if body.get("edid"):
        parts.append(edid.read(body["edid"]))
    out = merge(parts)
    return Reading(**{**out.__dict__, "sources": (SOURCE, *out.sources)})


def _read_legacy(data: dict[str, Any]) -> Reading:
    device = obj(data.get("device", {}), SOURCE, "device")
    cpu = ram = screen = None
    media: list[Medium] = []
    batteries: list[Battery] = []
    for i, raw in enumerate(items(data.get("components"), SOURCE, "components")):
        c = obj(raw, SOURCE, f"components[{i}]")
        kind, where = c.get("@type"), f"components[{i}]"
        if kind == "Processor" and cpu is None:
            cpu = text(c.get("model"), SOURCE, f"{where}.model")
        elif kind == "RamModule":
            ram = (ram or 0) + (number(c.get("size"), SOURCE, f"{where}.size") or 0) / 1024  # MB
        elif kind in ("HardDrive", "SolidStateDrive"):
            size = number(c.get("size"), SOURCE, f"{where}.size")  # MB
            media.append(Medium(model=text(c.get("model"), SOURCE, f"{where}.model"),
                                serial=text(c.get("serialNumber"), SOURCE, f"{where}.serialNumber"),
                                capacity_gb=round(size / 1000, 1) if size else None,
                                kind="hdd" if kind == "HardDrive" else "ssd"))
        elif kind == "Display" and screen is None:
            screen = number(c.get("size"), SOURCE, f"{where}.size")
        elif kind == "Battery":
            batteries.append(Battery(model=text(c.get("model"), SOURCE, f"{where}.model"),
                                     serial=text(c.get("serialNumber"), SOURCE, f"{where}.serialNumber")))
    return Reading(sources=(SOURCE,), manufacturer=text(device.get("manufacturer"), SOURCE, "device.manufacturer"),
                   model=text(device.get("model"), SOURCE, "device.model"),
                   serial=text(device.get("serialNumber"), SOURCE, "device.serialNumber"), cpu=cpu,
                   ram_gb=round(ram, 1) if ram else None, screen_in=screen, media=tuple(media),
                   batteries=tuple(batteries))
