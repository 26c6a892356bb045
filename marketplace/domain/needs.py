"""Needs (LIFECYCLE.md "Demand, pickups and loans"): what a tiers-lieu or an association asks for, and which
devices fit it. Pure: the service stores, the matcher ranks (`domain/matching.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from marketplace.domain.errors import DomainError, Forbidden


class NeedStatus(StrEnum):
    open = "open"
    paused = "paused"
    met = "met"
    cancelled = "cancelled"
    expired = "expired"  # derived: an open or paused need past its date (never stored)


class NeedAction(StrEnum):
    edit = "edit"
    pause = "pause"
    resume = "resume"
    cancel = "cancel"


# action -> the stored statuses it applies to, and the status it leaves.
_MOVES: dict[NeedAction, tuple[frozenset[NeedStatus], NeedStatus | None]] = {
    NeedAction.edit: (frozenset({NeedStatus.open, NeedStatus.paused}), None),
    NeedAction.pause: (frozenset({NeedStatus.open}), NeedStatus.paused),
    NeedAction.resume: (frozenset({NeedStatus.paused}), NeedStatus.open),
    NeedAction.cancel: (frozenset({NeedStatus.open, NeedStatus.paused}), NeedStatus.cancelled),
}
# Who posts needs: tiers-lieux for the people they serve, associations for their own beneficiaries.
POSTING_KINDS = frozenset({"tiers_lieu", "association"})
ADAPTED = ("large_screen", "accessible_keyboard", "screen_reader_os", "lightweight")


@dataclass(frozen=True)
class NeedSpec:
    category: str
    quantity: int
    grades: frozenset[str]
    beneficiary_category: str
    min_ram_gb: int | None = None
    min_storage_gb: int | None = None
    min_screen_in: float | None = None
    needed_by: date | None = None
    adapted: frozenset[str] = frozenset()


def may_post(org_kind: str) -> None:
    if org_kind not in POSTING_KINDS:
        raise Forbidden("need.not_a_poster")


def status_of(stored: str, needed_by: date | None, today: date) -> NeedStatus:
    """The status people read: an open or paused need past its date reads as expired."""
    status = NeedStatus(stored)
    if status in (NeedStatus.open, NeedStatus.paused) and needed_by is not None and needed_by < today:
        return NeedStatus.expired
    return status


def next_status(action: NeedAction, stored: str, needed_by: date | None, today: date) -> NeedStatus:
    """The stored status after `action`, or a refusal naming the status the need is in."""
    sources, target = _MOVES[action]
    current = status_of(stored, needed_by, today)
    # A need past its date may still be given a new date (edit) or cancelled.
    allowed = action in (NeedAction.edit, NeedAction.cancel) if current is NeedStatus.expired else current in sources
    if not allowed:
        raise DomainError("need.not_now", status=current.value)
    return target or NeedStatus(stored)


def check_spec(spec: NeedSpec, today: date, already_met: int = 0) -> None:
    """What a need must say to be posted or edited (the schema checks each field's own shape)."""
    if spec.needed_by is not None and spec.needed_by < today:
        raise DomainError("need.date_past")
    if spec.quantity < already_met:
        raise DomainError("need.quantity_below_met", met=already_met)


@dataclass(frozen=True)
class Supply:
    """What the matcher knows of a refurbished device (from its read row)."""

    category: str
    grade: str | None
    ram_gb: float | None
    storage_gb: float | None
    screen_in: float | None
    weight_kg: float | None
    os_installed: str | None
    pays_code: str  # where the device is: its custodian's pays


@dataclass(frozen=True)
class Adaptation:
    """How the record shows an adapted-equipment requirement (settings of the matching policy)."""

    large_screen_in: float = 15.0
    lightweight_kg: float = 1.6
    # Free operating systems that ship a screen reader (Orca) ready to turn on.
    screen_reader_systems: tuple[str, ...] = ("debian", "ubuntu", "mint", "fedora", "emmabuntu", "primtux",
                                              "zorin", "elementary")


def fits(device: Supply, spec: NeedSpec, adaptation: Adaptation = Adaptation()) -> bool:
    """Whether the device meets every requirement its record can show (an unknown spec never meets a minimum).
    An accessible keyboard is not in the record: it is checked at handover, and the proposal says so."""
    if device.category != spec.category or device.grade not in spec.grades:
        return False
    for have, want in ((device.ram_gb, spec.min_ram_gb), (device.storage_gb, spec.min_storage_gb),
                       (device.screen_in, spec.min_screen_in)):
        if want is not None and (have is None or have < want):
            return False
    if "large_screen" in spec.adapted and (device.screen_in or 0) < adaptation.large_screen_in:
        return False
    if "lightweight" in spec.adapted and (device.weight_kg is None or device.weight_kg > adaptation.lightweight_kg):
        return False
    os_name = (device.os_installed or "").lower()
    return "screen_reader_os" not in spec.adapted or any(s in os_name for s in adaptation.screen_reader_systems)


@dataclass(frozen=True)
class OpenNeed:
    id: str
    org: str
    pays_code: str
    spec: NeedSpec
    created_at: datetime
    remaining: int  # quantity less the devices accepted and those proposed now
