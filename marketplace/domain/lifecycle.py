"""The device lifecycle state machine (LIFECYCLE.md). Pure: decides, never performs."""

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


@dataclass(frozen=True)
class Transition:
    event_type: str
    sources: frozenset[State]
    target: State


def _t(event_type: str, sources: set[State], target: State) -> Transition:
    return Transition(event_type, frozenset(sources), target)


# The transitions of the walking skeleton; later issues extend this table (and only this table).
TRANSITIONS: dict[str, Transition] = {
    t.event_type: t
    for t in (
        _t("asset.offered", {State.retired}, State.offered),
        _t("asset.claimed", {State.offered}, State.claimed),
    )
}


def next_state(current: State | None, event_type: str) -> State:
    """The state after `event_type`, or TransitionRefused naming the state and the target."""
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
