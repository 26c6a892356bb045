"""Who may do what to a device, and when (LIFECYCLE.md "Transitions"). Pure.

`decide(action, device, actor)` either returns the state the device moves to or raises a DomainError
that says why: wrong state, wrong role, not the custodian, missing wipe certificate...
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from marketplace.domain.errors import DomainError, Forbidden, TransitionRefused
from marketplace.domain.lifecycle import TRANSITIONS, State


class Action(StrEnum):
    claim = "claim"
    decline = "decline"
    collect = "collect"
    diagnose = "diagnose"
    wipe = "wipe"
    refurbish = "refurbish"
    reserve = "reserve"
    cancel_reservation = "cancel_reservation"
    deliver = "deliver"
    return_ = "return"
    harvest = "harvest"
    recycle = "recycle"
    write_off = "write_off"


EVENT_OF_ACTION: dict[Action, str] = {
    Action.claim: "asset.claimed", Action.decline: "asset.offer_declined", Action.collect: "asset.collected",
    Action.diagnose: "asset.diagnosed", Action.wipe: "asset.wiped", Action.refurbish: "asset.refurbished",
    Action.reserve: "asset.reserved", Action.cancel_reservation: "asset.reservation_released",
    Action.deliver: "asset.delivered", Action.return_: "asset.returned", Action.harvest: "asset.harvested",
    Action.recycle: "asset.recycled", Action.write_off: "asset.written_off",
}

RECIPIENTS = frozenset({"refurbisher", "maker", "recycler"})
WORKSHOPS = frozenset({"refurbisher", "maker", "recycler"})

# action -> roles allowed to ask for it at all (custody and state are checked after).
ROLES: dict[Action, frozenset[str]] = {
    Action.claim: RECIPIENTS,
    Action.decline: RECIPIENTS,
    Action.collect: RECIPIENTS | {"asset_manager"},
    Action.diagnose: WORKSHOPS,
    Action.wipe: WORKSHOPS,
    Action.refurbish: frozenset({"refurbisher"}),
    Action.reserve: frozenset({"third_place"}),
    Action.cancel_reservation: frozenset({"third_place"}),
    Action.deliver: frozenset({"refurbisher", "third_place"}),
    Action.return_: frozenset({"third_place"}),
    Action.harvest: frozenset({"maker", "refurbisher"}),
    Action.recycle: WORKSHOPS,
    Action.write_off: frozenset(),  # admins only, whatever their role
}


@dataclass(frozen=True)
class DeviceFacts:
    """What the rules need to know about a device (read under its row lock)."""

    state: State
    has_storage: bool
    donor: str
    custodian: str | None
    claimer: str | None = None
    diagnosis: str | None = None
    wiped: bool = False
    storage_destroyed: bool = False
    reserver: str | None = None
    hold_until: datetime | None = None
    open_offer_orgs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ActorFacts:
    role: str
    org: str
    is_admin: bool = False


def decide(action: Action, device: DeviceFacts, actor: ActorFacts, now: datetime | None = None,
           storage_destruction_certified: bool = False) -> State:
    """The target state, or the first rule that refuses (state, then role, then custody, then data)."""
    transition = TRANSITIONS[EVENT_OF_ACTION[action]]
    if device.state not in transition.sources:
        raise TransitionRefused(state=device.state.value, target=transition.target.value)
    if action is Action.write_off:
        if not actor.is_admin:
            raise Forbidden("auth.admin_only")
        return transition.target
    if action is Action.cancel_reservation and actor.is_admin and actor.org != device.reserver:
        # An admin frees a device a third place holds (hoarding, a place that closed); the reason is required.
        return transition.target
    if actor.role not in ROLES[action]:
        raise Forbidden(needed=" / ".join(sorted(ROLES[action])), role=actor.role)
    _check_custody(action, device, actor, now)
    _check_data(action, device, actor, storage_destruction_certified)
    return transition.target


def _check_custody(action: Action, device: DeviceFacts, actor: ActorFacts, now: datetime | None) -> None:
    org = actor.org
    if action in (Action.claim, Action.decline):
        if org not in device.open_offer_orgs:
            raise Forbidden("offer.not_yours")
    elif action is Action.collect:
        if org not in (device.donor, device.claimer):
            raise Forbidden("custody.not_party", donor=device.donor, claimer=device.claimer or "-")
    elif action is Action.reserve:
        return
    elif action is Action.cancel_reservation:
        if org != device.reserver:
            raise Forbidden("reservation.not_yours")
    elif action is Action.deliver:
        if org not in (device.custodian, device.reserver):
            raise Forbidden("custody.not_party", donor=device.custodian or "-", claimer=device.reserver or "-")
        if now is not None and device.hold_until is not None and device.hold_until < now:
            raise DomainError("reservation.expired")
    elif action is Action.recycle and device.state is State.collected:
        if actor.role != "recycler" or org != device.custodian:
            raise Forbidden("custody.recycler_only")
    elif org != device.custodian:
        raise Forbidden("custody.not_custodian", custodian=device.custodian or "-")


def _check_data(action: Action, device: DeviceFacts, actor: ActorFacts, destruction_certified: bool) -> None:
    if action is Action.refurbish and device.diagnosis != "refurbishable":
        raise DomainError("refurbish.not_refurbishable", outcome=device.diagnosis or "-")
    if not device.has_storage:
        return
    sanitised = device.wiped or device.storage_destroyed
    if action in (Action.refurbish, Action.deliver) and not device.wiped:
        raise DomainError("wipe.certificate_required")
    if action is Action.harvest and not sanitised:
        raise DomainError("wipe.certificate_or_destruction_required")
    if action is Action.recycle and not (sanitised or destruction_certified):
        raise DomainError("wipe.certificate_or_destruction_required")


def allowed_actions(device: DeviceFacts, actor: ActorFacts, now: datetime | None = None) -> list[Action]:
    """What this actor may do to this device now (for the device page and the API)."""
    allowed = []
    for action in Action:
        try:
            decide(action, device, actor, now, storage_destruction_certified=action is Action.recycle)
        except DomainError:
            continue
        allowed.append(action)
    return allowed
