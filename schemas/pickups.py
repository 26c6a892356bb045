"""Read models of pickups (enlèvements) for the two parties' pages and the API (no I/O)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class PickupDevice(_View):
    code: str  # formatted XXXX-XXXX-XXXX
    category: str
    brand: str
    model: str
    serial: str  # the two parties only ever read a pickup
    status: str  # expected (still to collect), collected, gone (lapsed, or taken by another pickup)


class PickupView(_View):
    id: str
    side: str  # donor or claimer: the reader's side
    donor: str
    donor_name: str
    claimer: str
    claimer_name: str
    site: str
    proposed_on: date
    proposed_by: str  # donor or claimer
    agreed: bool
    lapses_at: datetime
    open: bool
    expected: int
    devices: tuple[PickupDevice, ...] = ()


class PickupCode(_View):
    code: str
    receiver: str
    expires_at: datetime


class PickupCollected(_View):
    collected: tuple[str, ...]  # formatted codes
    missing: tuple[str, ...]


class DeliveryView(_View):
    """The devices one tiers-lieu holds reserved among one workshop's, delivered in one handover."""

    side: str  # giver (the workshop) or receiver (the tiers-lieu): the reader's side
    giver: str
    giver_name: str
    receiver: str
    receiver_name: str
    expected: int
    first_hold_ends: datetime
    devices: tuple[PickupDevice, ...] = ()
