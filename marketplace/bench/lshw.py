"""`lshw -json`: the system's identity, CPU, memory and disks, from its tree of nodes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from marketplace.bench.reading import Medium, MediumKind, Reading
from marketplace.bench.values import gigabytes, items, number, obj, ram_gigabytes, text

SOURCE = "lshw"
MAX_DEPTH = 40


def looks_like(data: Any) -> bool:
    node = data[0] if isinstance(data, list) and data else data
    return isinstance(node, dict) and "class" in node and ("id" in node or "children" in node)


def _walk(node: dict[str, Any], path: str, depth: int = 0) -> Iterator[tuple[dict[str, Any], str]]:
    yield node, path
    if depth >= MAX_DEPTH:
        return
    for i, child in enumerate(items(node.get("children"), SOURCE, f"{path}.children")):
        yield from _walk(obj(child, SOURCE, f"{path}.children[{i}]"), f"{path}.children[{i}]", depth + 1)


def _memory_bytes(node: dict[str, Any], path: str) -> float | None:
    size = number(node.get("size"), SOURCE, f"{path}.size")
    if size:
        return size
    banks = [number(obj(b, SOURCE, path).get("size"), SOURCE, f"{path}.bank.size")
             for b in items(node.get("children"), SOURCE, f"{path}.children")]
    return sum(b for b in banks if b) or None


def _disk(node: dict[str, Any], path: str) -> Medium:
    names = node.get("logicalname")
    first = names[0] if isinstance(names, list) and names else names
    device = text(first, SOURCE, f"{path}.logicalname")
    caps: dict[str, Any] = node["capabilities"] if isinstance(node.get("capabilities"), dict) else {}
    nvme = "nvme" in (device or "") or "nvme" in str(node.get("businfo", ""))
    kind: MediumKind | None = "nvme" if nvme else "ssd" if "ssd" in caps else None
    return Medium(device=device, model=text(node.get("product"), SOURCE, f"{path}.product"),
                  serial=text(node.get("serial"), SOURCE, f"{path}.serial"),
                  capacity_gb=gigabytes(number(node.get("size"), SOURCE, f"{path}.size")), kind=kind)


def read(data: Any) -> Reading:
    root = obj(data[0] if isinstance(data, list) and data else data, SOURCE, "racine")
    system = root if root.get("class") == "system" else {}
    cpu = ram = None
    media: list[Medium] = []
    for node, path in _walk(root, "racine"):
        cls, ident = node.get("class"), str(node.get("id", ""))
        if cls == "processor" and cpu is None and node.get("disabled") is not True:
            cpu = text(node.get("product"), SOURCE, f"{path}.product")
        elif cls == "memory" and ident == "memory" and ram is None:
            ram = ram_gigabytes(_memory_bytes(node, path))
        elif cls == "disk" and node.get("size") is not None and "cdrom" not in ident:
            media.append(_disk(node, path))
    return Reading(sources=(SOURCE,), manufacturer=text(system.get("vendor"), SOURCE, "racine.vendor"),
                   model=text(system.get("product"), SOURCE, "racine.product"),
                   serial=text(system.get("serial"), SOURCE, "racine.serial"), cpu=cpu, ram_gb=ram,
                   media=tuple(media))
