"""`dmidecode` (text): the manufacturer's serial and model, CPU, memory modules, battery design capacity."""

from __future__ import annotations

import re

from marketplace.bench.reading import Battery, Reading
from marketplace.bench.values import safe, text

SOURCE = "dmidecode"
_HANDLE = re.compile(r"^Handle 0x[0-9A-Fa-f]+, DMI type (\d+)", re.MULTILINE)
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*(kB|MB|GB|TB)$")
_UNITS = {"kB": 2**10, "MB": 2**20, "GB": 2**30, "TB": 2**40}
_MWH = re.compile(r"^(\d+)\s*mWh$")


def looks_like(raw: str) -> bool:
    head = raw.lstrip()[:200]
    return head.startswith("# dmidecode") or bool(_HANDLE.search(raw[:2000]))


def _sections(raw: str) -> list[tuple[int, dict[str, str]]]:
    out: list[tuple[int, dict[str, str]]] = []
    for block in re.split(r"\n\s*\n", raw):
        match = _HANDLE.search(block)
        if match is None:
            continue
        fields: dict[str, str] = {}
        for line in block.splitlines()[1:]:
            key, sep, value = line.strip().partition(":")
            if sep and key and key not in fields:
                fields[key.strip()] = value.strip()
        out.append((int(match.group(1)), fields))
    return out


def _module_bytes(size: str) -> float | None:
    match = _SIZE.match(size)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else None


def read(raw: str) -> Reading:
    sections = _sections(raw)
    notes = tuple(safe(line.strip("# ").strip())[:200] for line in raw.splitlines()[:5]
                  if line.startswith("#") and not line.startswith("# dmidecode"))
    system = next((f for t, f in sections if t == 1), {})
    cpu = next((text(f.get("Version"), SOURCE, "Processor Information.Version")
                for t, f in sections if t == 4 and f.get("Status", "").startswith("Populated")), None)
    modules = [_module_bytes(f.get("Size", "")) for t, f in sections if t == 17]
    ram = sum(m for m in modules if m)
    batteries = []
    for t, f in sections:
        if t == 22:
            design = _MWH.match(f.get("Design Capacity", ""))
            design_wh = int(design.group(1)) / 1000 if design else None
            batteries.append(Battery(model=text(f.get("Name"), SOURCE, "Portable Battery.Name"),
                                     serial=text(f.get("Serial Number") or f.get("SBDS Serial Number"),
                                                 SOURCE, "Portable Battery.Serial Number"),
                                     design_wh=design_wh))
    return Reading(sources=(SOURCE,), manufacturer=text(system.get("Manufacturer"), SOURCE, "System Information"),
                   model=text(system.get("Product Name"), SOURCE, "System Information.Product Name"),
                   serial=text(system.get("Serial Number"), SOURCE, "System Information.Serial Number"),
                   cpu=cpu, ram_gb=round(ram / 2**30, 1) if ram else None, batteries=tuple(batteries), notes=notes)
