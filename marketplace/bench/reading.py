"""What a snapshot says about a device, whatever tool wrote it, and how several readings add up."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

MediumKind = Literal["hdd", "ssd", "nvme"]


@dataclass(frozen=True)
class Medium:
    """One storage medium: identified by its serial when the tool gives one, else by its device path."""

    device: str | None = None
    model: str | None = None
    serial: str | None = None
    capacity_gb: float | None = None
    kind: MediumKind | None = None
    smart_passed: bool | None = None
    power_on_hours: int | None = None

    def same_as(self, other: Medium) -> bool:
        if self.serial and other.serial:
            return self.serial == other.serial
        return bool(self.device and self.device == other.device)


@dataclass(frozen=True)
class Battery:
    model: str | None = None
    serial: str | None = None
    full_wh: float | None = None
    design_wh: float | None = None

    @property
    def health_pct(self) -> float | None:
        """Full-charge capacity against design capacity, in percent (one decimal)."""
        if self.full_wh is None or not self.design_wh:
            return None
        return round(100 * self.full_wh / self.design_wh, 1)


@dataclass(frozen=True)
class Reading:
    sources: tuple[str, ...] = ()
    manufacturer: str | None = None
    model: str | None = None
    serial: str | None = None
    cpu: str | None = None
    ram_gb: float | None = None
    screen_in: float | None = None
    media: tuple[Medium, ...] = ()
    batteries: tuple[Battery, ...] = ()
    notes: tuple[str, ...] = field(default=())  # what a tool said instead of data (e.g. smartctl's messages)

    def is_empty(self) -> bool:
        return not (self.manufacturer or self.model or self.serial or self.cpu or self.ram_gb or self.screen_in
                    or self.media or self.batteries)

    def storage_gb(self) -> float | None:
        sizes = [m.capacity_gb for m in self.media if m.capacity_gb]
        return round(sum(sizes), 1) if sizes else None

    def storage_type(self) -> str | None:
        """The kind of the largest medium (the one a buyer means by "storage")."""
        known = [m for m in self.media if m.kind]
        return max(known, key=lambda m: m.capacity_gb or 0).kind if known else None

    def specs(self) -> dict[str, Any]:
        """The device's specs as the intake's `Specs` names them, only what was read."""
        out = {"cpu": self.cpu, "ram_gb": self.ram_gb, "storage_gb": self.storage_gb(),
               "storage_type": self.storage_type(), "screen_in": self.screen_in}
        return {k: v for k, v in out.items() if v is not None}

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the evidence row and the device page."""
        return {"sources": list(self.sources), "manufacturer": self.manufacturer, "model": self.model,
                "serial": self.serial, "cpu": self.cpu, "ram_gb": self.ram_gb, "screen_in": self.screen_in,
                "media": [m.__dict__ for m in self.media],
                "batteries": [b.__dict__ | {"health_pct": b.health_pct} for b in self.batteries],
                "notes": list(self.notes)}


def _merge_media(ours: tuple[Medium, ...], theirs: tuple[Medium, ...]) -> tuple[Medium, ...]:
    out = list(ours)
    for medium in theirs:
        at = next((i for i, m in enumerate(out) if m.same_as(medium)), None)
        if at is None:
            out.append(medium)
        else:
            out[at] = _fill(out[at], medium)
    return tuple(out)


def _fill(first: Any, second: Any) -> Any:
    """`first` with its empty fields taken from `second` (same dataclass)."""
    return replace(first, **{f.name: getattr(second, f.name) for f in fields(first)
                             if getattr(first, f.name) in (None, "") and getattr(second, f.name) not in (None, "")})


def merge(readings: list[Reading]) -> Reading:
    """One reading from several tools: the first that says a thing wins (order them most trusted first);
    media are matched by serial (else device path) and completed from each other."""
    out = Reading()
    for r in readings:
        media = _merge_media(out.media, r.media)
        batteries = out.batteries or r.batteries
        out = _fill(replace(out, media=(), batteries=()), replace(r, media=(), batteries=()))
        out = replace(out, media=media, batteries=batteries, sources=out.sources + r.sources,
                      notes=out.notes + r.notes)
    return out
