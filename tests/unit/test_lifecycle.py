"""The state machine allows exactly the transitions of its table, for every state."""

from __future__ import annotations

import itertools

import pytest

from marketplace.domain.errors import TransitionRefused
from marketplace.domain.lifecycle import TRANSITIONS, State, next_state

EVENT_TYPES = ["asset.retired", *TRANSITIONS]
STATES: list[State | None] = [None, *State]


@pytest.mark.parametrize(("state", "event_type"), list(itertools.product(STATES, EVENT_TYPES)))
def test_every_state_and_event_is_allowed_or_refused_as_the_table_says(state: State | None, event_type: str) -> None:
    if event_type == "asset.retired":
        allowed = state is None
    else:
        allowed = state in TRANSITIONS[event_type].sources
    if allowed:
        assert isinstance(next_state(state, event_type), State)
    else:
        with pytest.raises(TransitionRefused):
            next_state(state, event_type)


class TestSkeletonPath:
    def test_retired_then_offered_then_claimed(self) -> None:
        state = next_state(None, "asset.retired")
        state = next_state(state, "asset.offered")
        assert next_state(state, "asset.claimed") is State.claimed

    def test_a_claimed_device_cannot_be_claimed_again_and_the_error_names_both_states(self) -> None:
        with pytest.raises(TransitionRefused) as err:
            next_state(State.claimed, "asset.claimed")
        assert "claimed" in str(err.value)

    def test_an_unknown_event_type_is_refused(self) -> None:
        with pytest.raises(TransitionRefused):
            next_state(State.retired, "asset.teleported")
