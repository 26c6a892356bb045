"""Hardware snapshots (issue 20) as the API and the UI show them to the device's donor, custodian and auditors."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class SnapshotWarning(_View):
    """A declared value the snapshot contradicts. The declared value stays on the device."""

    field: Literal["serial", "model"]
    declared: str = Field(description="What the donor declared (kept).")
    read: str = Field(description="What the snapshot read.")


class MediumView(_View):
    device: str | None = None
    model: str | None = None
    serial: str | None = None
    capacity_gb: float | None = None
    kind: Literal["hdd", "ssd", "nvme"] | None = None
    smart_passed: bool | None = None
    power_on_hours: int | None = None


class BatteryView(_View):
    model: str | None = None
    serial: str | None = None
    full_wh: float | None = None
    design_wh: float | None = None
    health_pct: float | None = None


class SnapshotReading(_View):
    """What Seconde Vie read from the snapshot."""

    sources: list[str] = Field(default_factory=list)
    manufacturer: str | None = None
    model: str | None = None
    serial: str | None = None
    cpu: str | None = None
    ram_gb: float | None = None
    screen_in: float | None = None
    media: list[MediumView] = Field(default_factory=list)
    batteries: list[BatteryView] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class SnapshotView(_View):
    id: str
    code: str = Field(description="The device code (XXXX-XXXX-XXXX).")
    sha256: str = Field(description="SHA-256 of the raw snapshot: the same as in the `asset.inspected` event.")
    byte_size: int
    posted_by_org: str
    created_at: datetime
    specs: dict[str, Any] = Field(default_factory=dict, description="The specs it filled in on the device.")
    reading: SnapshotReading
    warnings: list[SnapshotWarning] = Field(default_factory=list)


class SnapshotPanel(_View):
    """The device page's part: the specs (everyone), whether the reader may post, the latest snapshot and its
    warnings (only for those who read snapshots)."""

    specs: dict[str, Any] = Field(default_factory=dict)
    may_post: bool = False
    latest: SnapshotView | None = None


class SnapshotList(_View):
    items: list[SnapshotView]
