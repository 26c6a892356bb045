"""Read models that the UI and the API show (no I/O)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class UserView(_View):
    id: str
    email: str
    display_name: str
    role: str  # asset_manager, refurbisher, maker, third_place, recycler, auditor
    org_slug: str
    org_name: str
    org_kind: str  # region, lycee, association, fablab, tiers_lieu, recycler, auditor
    is_admin: bool
    lang: str = "fr"  # the language the person chose (/mon-compte), for the UI at sign-in and their e-mails


class DeviceSummary(_View):
    id: str
    code: str  # formatted XXXX-XXXX-XXXX
    category: str
    brand: str
    model: str
    year: int | None
    condition: str
    state: str
    donor_slug: str
    donor_name: str
    pays_code: str
    custodian_slug: str | None
    retired_at: datetime
    updated_at: datetime
    grade: str | None = None
    ram_gb: float | None = None
    # The rest of the declared (or read) specs, for the lists people choose from (offers, catalogue).
    cpu: str | None = None
    storage_gb: float | None = None
    screen_in: float | None = None


class OfferView(_View):
    id: str
    device: DeviceSummary
    org_slug: str
    score: float
    reasons: list[str]  # in French, as the router wrote them (and the `asset.offered` event carries them)
    # The same reasons as data ({"code", "params"} each, marketplace/domain/reasons.py), to render in the
    # reader's language; None for offers made before they were recorded.
    reason_codes: list[dict[str, Any]] | None = None
    round: int
    status: str  # open, claimed, withdrawn, expired, declined
    expires_at: datetime


class EventView(_View):
    sequence: int
    type: str
    occurred_at: datetime
    actor_org: str | None
    actor_user: str | None
    actor_system: str | None
    summary: dict[str, object]
    hash: str


class DevicePage(_View):
    device: DeviceSummary
    events: list[EventView]
    chain_ok: bool
    qr_url: str  # the URL the QR label encodes


class ReservationView(_View):
    device: DeviceSummary
    hold_until: datetime


class OrganisationView(_View):
    slug: str
    name: str
    kind: str
    pays_code: str
    town: str
    accepted_categories: list[str]
    capacity: int
    contact_email: str | None
    disabled: bool


class AccountView(_View):
    id: str
    email: str
    display_name: str
    org_slug: str
    is_admin: bool
    disabled: bool
    locked: bool


class DeadLetterView(_View):
    id: int
    topic: str
    partition: int
    offset: int
    key: str | None
    original: str  # UTF-8 text, or base64 when the bytes are not UTF-8
    original_encoding: str
    error: str
    consumer: str
    failed_at: datetime
    status: str


class SettingChangeView(_View):
    key: str
    old_value: object
    new_value: object
    changed_at: datetime
    changed_by: str | None


class AttentionView(_View):
    """What needs the user's attention now (None: does not concern the user's role)."""

    offers_expiring: int | None = None  # offers to this organisation closing within 24 h
    devices_waiting: int | None = None  # devices in its custody (or claimed by it) waiting for the next step
    reservations_to_collect: int | None = None  # active reservations of this tiers-lieu
    donations_awaiting_pickup: int | None = None  # its donated devices claimed, not yet collected
    pickups_to_collect: int | None = None  # workshops: open pickups (enlèvements) with devices still to collect
    dead_letters: int | None = None  # admins: messages that failed, not yet replayed or discarded
    unclaimed_devices: int | None = None  # admins: devices no one claimed after every routing round


class SessionInfo(_View):
    """One live session of the signed-in person, as /mon-compte lists it (`id` is no token: it only names it)."""

    id: str
    current: bool
    created_at: datetime
    last_seen_at: datetime
    client_address: str


class MyAccountView(_View):
    display_name: str
    email: str
    lang: str
    org_name: str
    sessions: list[SessionInfo]


class RoutingPreviewRow(_View):
    """One device whose offers a proposed routing change would alter: the organisations' names, best first."""

    code: str
    brand: str
    model: str
    before: list[str]
    after: list[str]


class RoutingPreviewView(_View):
    """What a proposed change of the routing settings would do to the latest retired devices, routed now."""

    sampled: int
    changed: list[RoutingPreviewRow]
