"""Battery capacity against design: `upower -d` (text) or the files of /sys/class/power_supply/BAT*."""

from __future__ import annotations

import re
from typing import Any

from marketplace.bench.reading import Battery, Reading
from marketplace.bench.values import number, obj, text

_DEVICE = re.compile(r"^Device:\s*(\S+)", re.MULTILINE)
_WH = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*Wh\s*$")


def looks_like_upower(raw: str) -> bool:
    return bool(_DEVICE.search(raw[:5000])) and "UPower" in raw[:5000]


def _wh(value: str | None, where: str) -> float | None:
    if not value:
        return None
    match = _WH.match(value)
    return number(match.group(1), "upower", where) if match else None


def read_upower(raw: str) -> Reading:
    batteries = []
    for block in re.split(r"\n(?=Device:)", raw):
        head = _DEVICE.search(block)
        if head is None or "battery_" not in head.group(1):
            continue
        fields: dict[str, str] = {}
        for line in block.splitlines()[1:]:
            key, sep, value = line.strip().partition(":")
            if sep:
                fields.setdefault(key.strip(), value.strip())
        if fields.get("power supply") == "no":  # a mouse's or a phone's battery, not the device's
            continue
        batteries.append(Battery(model=text(fields.get("model"), "upower", "model"),
                                 serial=text(fields.get("serial"), "upower", "serial"),
                                 full_wh=_wh(fields.get("energy-full"), "energy-full"),
                                 design_wh=_wh(fields.get("energy-full-design"), "energy-full-design")))
    return Reading(sources=("upower",), batteries=tuple(batteries))


def _sys_wh(supply: dict[str, Any], energy: str, charge: str, where: str) -> float | None:
    """µWh files, or µAh times the design voltage (µV)."""
    value = number(supply.get(energy), "power_supply", f"{where}.{energy}")
    if value is not None:
        return round(value / 1e6, 2)
    amps = number(supply.get(charge), "power_supply", f"{where}.{charge}")
    volts = number(supply.get("voltage_min_design"), "power_supply", f"{where}.voltage_min_design")
    return round(amps * volts / 1e12, 2) if amps is not None and volts else None


def read_power_supply(data: Any) -> Reading:
    """`{"BAT0": {"type": "Battery", "energy_full": "...", ...}}`: each supply's files, as text."""
    batteries = []
    for name, raw in sorted(obj(data, "power_supply", "racine").items()):
        supply = obj(raw, "power_supply", name)
        if supply.get("type") != "Battery" or supply.get("scope") == "Device":
            continue
        batteries.append(Battery(model=text(supply.get("model_name"), "power_supply", f"{name}.model_name"),
                                 serial=text(supply.get("serial_number"), "power_supply", f"{name}.serial_number"),
                                 full_wh=_sys_wh(supply, "energy_full", "charge_full", name),
                                 design_wh=_sys_wh(supply, "energy_full_design", "charge_full_design", name)))
    return Reading(sources=("power_supply",), batteries=tuple(batteries))

