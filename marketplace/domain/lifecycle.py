"""The device lifecycle state machine (LIFECYCLE.md): which event moves a device from which states to which.

Pure: it decides, never performs. Who may trigger each transition is in `domain/permissions.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from marketplace.domain.errors import TransitionRefused


class State(StrEnum):
    retired = "retired"
    offered = "offered"
    claimed = "claimed"
    collected = "collected"
    diagnosed = "diagnosed"
    wiped = "wiped"
    refurbished = "refurbished"
    reserved = "reserved"
    delivered = "delivered"
    returned = "returned"
    harvested = "harvested"
    recycled = "recycled"
    written_off = "written_off"


TERMINAL = frozenset({State.harvested, State.recycled, State.written_off})
NON_TERMINAL = frozenset(State) - TERMINAL


@dataclass(frozen=True)
class Transition:
    event_type: str
    sources: frozenset[State]
    target: State


def _t(event_type: str, sources: set[State] | frozenset[State], target: State) -> Transition:
    return Transition(event_type, frozenset(sources), target)


S = State
# One row per event type; `asset.offer_declined` keeps the device `offered` (other offers may still be open).
TRANSITIONS: dict[str, Transition] = {
    t.event_type: t
    for t in (
        _t("asset.offered", {S.retired}, S.offered),
        _t("asset.offer_declined", {S.offered}, S.offered),
        _t("asset.offers_expired", {S.offered}, S.retired),
        _t("asset.claimed", {S.offered}, S.claimed),
        _t("asset.claim_lapsed", {S.claimed}, S.offered),
        _t("asset.collected", {S.claimed}, S.collected),
        _t("asset.diagnosed", {S.collected, S.returned}, S.diagnosed),
        _t("asset.wiped", {S.diagnosed}, S.wiped),
        _t("asset.refurbished", {S.diagnosed, S.wiped}, S.refurbished),
        _t("asset.reserved", {S.refurbished}, S.reserved),
        _t("asset.reservation_released", {S.reserved}, S.refurbished),
        _t("asset.delivered", {S.reserved}, S.delivered),
        _t("asset.returned", {S.delivered}, S.returned),
        # A loan and its return leave the device `delivered` (its second life goes on at the tiers-lieu).
        _t("asset.lent", {S.delivered}, S.delivered),
        _t("asset.loan_returned", {S.delivered}, S.delivered),
        _t("asset.harvested", {S.diagnosed, S.wiped}, S.harvested),
        _t("asset.recycled", {S.diagnosed, S.wiped, S.returned, S.collected}, S.recycled),
        _t("asset.written_off", NON_TERMINAL, S.written_off),
    )
}


# Events that record a fact about the device without moving it, and the states they may be recorded in:
# `asset.inspected` (a hardware snapshot, issue 20) while the device is on a workshop's bench.
STAYING: dict[str, frozenset[State]] = {
    "asset.inspected": frozenset({S.collected, S.diagnosed, S.wiped, S.refurbished, S.reserved, S.returned}),
}


def next_state(current: State | None, event_type: str) -> State:
    """The state after `event_type`, or TransitionRefused naming the state and the target."""
    if event_type in STAYING:
        if current is None or current not in STAYING[event_type]:
            raise TransitionRefused(state=current.value if current else "-", target=event_type)
        return current
    if event_type == "asset.retired":
        if current is not None:
            raise TransitionRefused(state=current.value, target=State.retired.value)
        return State.retired
    transition = TRANSITIONS.get(event_type)
    if transition is None:
        raise TransitionRefused(state=current.value if current else "-", target=event_type)
    if current not in transition.sources:
        raise TransitionRefused(state=current.value if current else "-", target=transition.target.value)
    return transition.target
