"""Every (state, action, role, relation to the device) is allowed or refused exactly as LIFECYCLE.md says.

The oracle below is written from the LIFECYCLE.md table, independently of `permissions.py`; the test
generates every combination rather than picking a few.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from marketplace.domain.errors import DomainError, Forbidden, TransitionRefused
from marketplace.domain.lifecycle import State
from marketplace.domain.permissions import Action, ActorFacts, DeviceFacts, allowed_actions, decide

ROLES = ["asset_manager", "refurbisher", "maker", "third_place", "recycler", "auditor"]
RELATIONS = ["custodian", "donor", "claimer", "reserver", "offer_holder", "stranger"]
WORKSHOPS = {"refurbisher", "maker", "recycler"}
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
ALL_NON_TERMINAL = {s for s in State if s not in {State.harvested, State.recycled, State.written_off}}

# action: (from states, roles, who among them)
SPEC: dict[Action, tuple[set[str], set[str], set[str]]] = {
    Action.claim: ({"offered"}, WORKSHOPS, {"offer_holder"}),
    Action.decline: ({"offered"}, WORKSHOPS, {"offer_holder"}),
    Action.collect: ({"claimed"}, WORKSHOPS | {"asset_manager"}, {"donor", "claimer"}),
    Action.diagnose: ({"collected", "returned"}, WORKSHOPS, {"custodian"}),
    Action.wipe: ({"diagnosed"}, WORKSHOPS, {"custodian"}),
    Action.refurbish: ({"diagnosed", "wiped"}, {"refurbisher"}, {"custodian"}),
    Action.reserve: ({"refurbished"}, {"third_place"}, set(RELATIONS)),
    Action.cancel_reservation: ({"reserved"}, {"third_place"}, {"reserver"}),
    Action.deliver: ({"reserved"}, {"refurbisher", "third_place"}, {"custodian", "reserver"}),
    Action.return_: ({"delivered"}, {"third_place"}, {"custodian"}),
    Action.harvest: ({"diagnosed", "wiped"}, {"maker", "refurbisher"}, {"custodian"}),
    Action.recycle: ({"diagnosed", "wiped", "returned", "collected"}, WORKSHOPS, {"custodian"}),
}


def device(state: State, relation: str) -> DeviceFacts:
    """A device with no storage and a refurbishable diagnosis, related to org "me" as given."""
    def who(r: str) -> str:
        return "me" if relation == r else f"other-{r}"

    return DeviceFacts(
        state=state, has_storage=False, donor=who("donor"), custodian=who("custodian"), claimer=who("claimer"),
        diagnosis="refurbishable", reserver=who("reserver"), hold_until=NOW + timedelta(days=3),
        open_offer_orgs=frozenset({who("offer_holder"), "someone-else"}),
    )


def expected(action: Action, state: State, role: str, relation: str, admin: bool) -> bool:
    if action is Action.write_off:
        return admin and state in ALL_NON_TERMINAL
    sources, roles, relations = SPEC[action]
    if action is Action.cancel_reservation and admin and relation != "reserver" and state.value in sources:
        return True  # an admin frees another organisation's reservation (issue 16: no hoarding)
    if state.value not in sources or role not in roles or relation not in relations:
        return False
    # A device routed straight to recycling: only the recycler holding it recycles it from `collected`.
    return not (action is Action.recycle and state is State.collected and role != "recycler")


@pytest.mark.parametrize("action", list(Action))
def test_every_combination_follows_the_lifecycle_table(action: Action) -> None:
    wrong = []
    for state, role, relation, admin in itertools.product(State, ROLES, RELATIONS, (False, True)):
        try:
            decide(action, device(state, relation), ActorFacts(role, "me", admin), NOW)
            allowed = True
        except DomainError:
            allowed = False
        if allowed != expected(action, state, role, relation, admin):
            wrong.append((state.value, role, relation, admin, allowed))
    assert not wrong, f"{len(wrong)} combinations disagree with LIFECYCLE.md, e.g. {wrong[:5]}"


class TestRefusalsSayWhy:
    def test_wrong_state(self) -> None:
        with pytest.raises(TransitionRefused, match="retired"):
            decide(Action.claim, device(State.retired, "offer_holder"), ActorFacts("refurbisher", "me"), NOW)

    def test_wrong_role(self) -> None:
        with pytest.raises(Forbidden, match="third_place"):
            decide(Action.diagnose, device(State.collected, "custodian"), ActorFacts("third_place", "me"), NOW)

    def test_not_the_custodian(self) -> None:
        with pytest.raises(Forbidden, match="other-custodian"):
            decide(Action.diagnose, device(State.collected, "stranger"), ActorFacts("refurbisher", "me"), NOW)

    def test_an_expired_hold_cannot_be_delivered(self) -> None:
        facts = device(State.reserved, "reserver")
        late = NOW + timedelta(days=10)
        with pytest.raises(DomainError) as err:
            decide(Action.deliver, facts, ActorFacts("third_place", "me"), late)
        assert err.value.message_key == "reservation.expired"


class TestDataBearingDevices:
    def data_bearing(self, state: State, wiped: bool = False, destroyed: bool = False) -> DeviceFacts:
        base = device(state, "custodian")
        return DeviceFacts(**{**base.__dict__, "has_storage": True, "wiped": wiped, "storage_destroyed": destroyed})

    @pytest.mark.parametrize("action", [Action.refurbish, Action.harvest, Action.recycle])
    def test_cannot_leave_the_workshop_unwiped(self, action: Action) -> None:
        with pytest.raises(DomainError) as err:
            decide(action, self.data_bearing(State.diagnosed), ActorFacts("refurbisher", "me"), NOW)
        assert err.value.message_key.startswith("wipe.")

    def test_cannot_be_delivered_unwiped(self) -> None:
        facts = self.data_bearing(State.reserved)
        facts = DeviceFacts(**{**facts.__dict__, "custodian": "me"})
        with pytest.raises(DomainError, match="certificat"):
            decide(Action.deliver, facts, ActorFacts("refurbisher", "me"), NOW)

    def test_a_wipe_certificate_opens_refurbishing(self) -> None:
        facts = self.data_bearing(State.wiped, wiped=True)
        assert decide(Action.refurbish, facts, ActorFacts("refurbisher", "me"), NOW) is State.refurbished

    def test_destroyed_storage_allows_harvest_but_not_refurbishing(self) -> None:
        facts = self.data_bearing(State.diagnosed, destroyed=True)
        assert decide(Action.harvest, facts, ActorFacts("maker", "me"), NOW) is State.harvested
        with pytest.raises(DomainError):
            decide(Action.refurbish, facts, ActorFacts("refurbisher", "me"), NOW)

    def test_certified_destruction_at_the_recycler_allows_recycling(self) -> None:
        facts = self.data_bearing(State.diagnosed)
        target = decide(Action.recycle, facts, ActorFacts("refurbisher", "me"), NOW, storage_destruction_certified=True)
        assert target is State.recycled

    def test_refurbishing_needs_a_refurbishable_diagnosis(self) -> None:
        facts = DeviceFacts(**{**device(State.diagnosed, "custodian").__dict__, "diagnosis": "parts_only"})
        with pytest.raises(DomainError, match="parts_only"):
            decide(Action.refurbish, facts, ActorFacts("refurbisher", "me"), NOW)


def test_allowed_actions_lists_what_the_custodian_may_do_next() -> None:
    actions = allowed_actions(device(State.diagnosed, "custodian"), ActorFacts("refurbisher", "me"), NOW)
    assert set(actions) == {Action.wipe, Action.refurbish, Action.harvest, Action.recycle}
