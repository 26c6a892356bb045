"""`smartctl --json -a /dev/X`: one medium's model, serial, capacity, kind, health and power-on hours."""

from __future__ import annotations

from typing import Any

from marketplace.bench.reading import Medium, MediumKind, Reading
from marketplace.bench.values import gigabytes, items, number, obj, safe, text

SOURCE = "smartctl"


def looks_like(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("smartctl"), dict)


def _kind(data: dict[str, Any]) -> MediumKind | None:
    device: dict[str, Any] = data["device"] if isinstance(data.get("device"), dict) else {}
    if str(device.get("protocol", "")).lower() == "nvme" or str(device.get("type", "")).lower() == "nvme":
        return "nvme"
    rate = data.get("rotation_rate")
    if isinstance(rate, int) and not isinstance(rate, bool):
        return "ssd" if rate == 0 else "hdd"
    return None


def read(data: Any) -> Reading:
    data = obj(data, SOURCE, "racine")
    tool = obj(data.get("smartctl"), SOURCE, "smartctl")
    notes = tuple(safe(str(obj(m, SOURCE, "smartctl.messages").get("string", "")))[:200]
                  for m in items(tool.get("messages"), SOURCE, "smartctl.messages"))
    device: dict[str, Any] = data["device"] if isinstance(data.get("device"), dict) else {}
    model = text(data.get("model_name") or data.get("model_family"), SOURCE, "model_name")
    serial = text(data.get("serial_number"), SOURCE, "serial_number")
    capacity = data.get("user_capacity")
    size = (number(obj(capacity, SOURCE, "user_capacity").get("bytes"), SOURCE, "user_capacity.bytes")
            if capacity is not None else number(data.get("nvme_total_capacity"), SOURCE, "nvme_total_capacity"))
    status = data.get("smart_status")
    passed = obj(status, SOURCE, "smart_status").get("passed") if status is not None else None
    hours = data.get("power_on_time")
    on = number(obj(hours, SOURCE, "power_on_time").get("hours"), SOURCE, "power_on_time.hours") if hours else None
    if not (model or serial or size):
        return Reading(sources=(SOURCE,), notes=notes)
    medium = Medium(device=text(device.get("name"), SOURCE, "device.name"), model=model, serial=serial,
                    capacity_gb=gigabytes(size), kind=_kind(data),
                    smart_passed=passed if isinstance(passed, bool) else None,
                    power_on_hours=int(on) if on is not None else None)
    return Reading(sources=(SOURCE,), media=(medium,), notes=notes)
