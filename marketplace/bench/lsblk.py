"""`lsblk --json -b -O`: each disk's model, serial, size and whether it spins."""

from __future__ import annotations

from typing import Any

from marketplace.bench.reading import Medium, MediumKind, Reading
from marketplace.bench.values import gigabytes, items, number, obj, text

SOURCE = "lsblk"
# Not media of the device: RAM disks, loop files, the bench station's own USB key is kept (it is a disk).
_VIRTUAL = ("zram", "loop", "ram", "sr", "dm-", "md")


def looks_like(data: Any) -> bool:
    return isinstance(data, dict) and "blockdevices" in data


def _kind(dev: dict[str, Any], name: str) -> MediumKind | None:
    if name.startswith("nvme") or dev.get("tran") == "nvme":
        return "nvme"
    rota = dev.get("rota")
    if isinstance(rota, bool):
        return "hdd" if rota else "ssd"
    return None


def read(data: Any) -> Reading:
    media = []
    for i, raw in enumerate(items(obj(data, SOURCE, "racine").get("blockdevices"), SOURCE, "blockdevices")):
        where = f"blockdevices[{i}]"
        dev = obj(raw, SOURCE, where)
        name = text(dev.get("name") or dev.get("kname"), SOURCE, f"{where}.name") or ""
        if dev.get("type") != "disk" or name.startswith(_VIRTUAL):
            continue
        size = number(dev.get("size"), SOURCE, f"{where}.size (octets : lsblk -b)")
        if not size:
            continue
        media.append(Medium(device=text(dev.get("path"), SOURCE, f"{where}.path") or f"/dev/{name}",
                            model=text(dev.get("model"), SOURCE, f"{where}.model"),
                            serial=text(dev.get("serial"), SOURCE, f"{where}.serial"),
                            capacity_gb=gigabytes(size), kind=_kind(dev, name)))
    return Reading(sources=(SOURCE,), media=tuple(media))
