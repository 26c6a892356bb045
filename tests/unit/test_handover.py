"""Handover proof, the pure rules (`domain/handover.py`): who hands over and who receives, which proof each
side's confirmation needs, and how a typed one-time code is judged."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from marketplace.domain.handover import (
    CODE_TTL,
    MAX_WRONG_TRIES,
    LiveCode,
    Parties,
    Proof,
    Verdict,
    digest,
    judge,
    new_code,
    normalise,
    parties,
    pending_handover,
    proof_of,
    tries_left,
)
from marketplace.domain.lifecycle import State
from marketplace.domain.permissions import Action, ActorFacts, DeviceFacts

NOW = datetime(2026, 12, 2, 10, tzinfo=UTC)
ASSET = "0193a0b0-0000-7000-8000-000000000001"
DEVICE = DeviceFacts(state=State.claimed, has_storage=False, donor="lycee", custodian="lycee", claimer="atelier",
                     reserver=None)
RESERVED = DeviceFacts(state=State.reserved, has_storage=False, donor="lycee", custodian="atelier",
                       claimer="atelier", reserver="tiers-lieu")


def live(code: str = "482913", **changes: object) -> LiveCode:
    fields: dict[str, object] = {"digest": digest(ASSET, code), "giver": "lycee", "receiver": "atelier",
                                 "expires_at": NOW + CODE_TTL, "wrong_tries": 0, "used": False}
    return LiveCode(**(fields | changes))  # type: ignore[arg-type]


class TestParties:
    def test_the_donor_hands_over_to_the_claimer_and_the_custodian_to_the_reserver(self) -> None:
        assert parties(Action.collect, DEVICE) == Parties("lycee", "atelier")
        assert parties(Action.deliver, RESERVED) == Parties("atelier", "tiers-lieu")

    def test_only_claimed_and_reserved_devices_wait_for_a_handover(self) -> None:
        assert {s: pending_handover(s) for s in State if pending_handover(s)} == {
            State.claimed: Action.collect, State.reserved: Action.deliver}

    def test_the_handing_party_proves_by_itself_and_the_receiving_party_needs_a_code(self) -> None:
        assert proof_of(Action.collect, DEVICE, ActorFacts("asset_manager", "lycee")) is Proof.handing_party
        assert proof_of(Action.collect, DEVICE, ActorFacts("refurbisher", "atelier")) is Proof.handover_code
        assert proof_of(Action.deliver, RESERVED, ActorFacts("refurbisher", "atelier")) is Proof.handing_party
        assert proof_of(Action.deliver, RESERVED, ActorFacts("third_place", "tiers-lieu")) is Proof.handover_code
        assert proof_of(Action.diagnose, DEVICE, ActorFacts("refurbisher", "atelier")) is None


class TestCodes:
    def test_codes_are_six_digits_and_vary(self) -> None:
        codes = {new_code() for _ in range(2000)}
        assert all(re.fullmatch(r"\d{6}", c) for c in codes)
        assert len(codes) > 1900

    @pytest.mark.parametrize(("typed", "read"), [("482913", "482913"), ("482 913", "482913"), (" 482-913 ", "482913"),
                                                 ("004213", "004213"), ("48291", None), ("4829134", None),
                                                 ("ABCDEF", None), ("４８２９１３", None), ("", None)])
    def test_what_people_type_is_read_as_six_digits_or_not_at_all(self, typed: str, read: str | None) -> None:
        assert normalise(typed) == read

    def test_the_stored_digest_depends_on_the_device(self) -> None:
        assert digest(ASSET, "482913") != digest(ASSET.replace("1", "2"), "482913")
        assert "482913" not in digest(ASSET, "482913")


class TestJudge:
    who = Parties("lycee", "atelier")

    def test_the_right_code_in_time_is_accepted_however_it_is_spaced(self) -> None:
        assert judge(live(), self.who, ASSET, "482 913", NOW) is Verdict.accepted

    def test_a_wrong_code_is_the_only_refusal_that_counts(self) -> None:
        assert judge(live(), self.who, ASSET, "482914", NOW) is Verdict.wrong
        assert judge(live(), self.who, ASSET, "4829", NOW) is Verdict.malformed

    def test_no_code_or_a_code_shown_for_other_parties_is_no_code(self) -> None:
        assert judge(None, self.who, ASSET, "482913", NOW) is Verdict.none
        assert judge(live(receiver="autre-atelier"), self.who, ASSET, "482913", NOW) is Verdict.none
        assert judge(live(giver="autre-lycee"), self.who, ASSET, "482913", NOW) is Verdict.none

    def test_a_used_an_expired_and_a_void_code_are_refused_even_when_right(self) -> None:
        assert judge(live(used=True), self.who, ASSET, "482913", NOW) is Verdict.used
        assert judge(live(expires_at=NOW), self.who, ASSET, "482913", NOW) is Verdict.expired
        assert judge(live(wrong_tries=MAX_WRONG_TRIES), self.who, ASSET, "482913", NOW) is Verdict.void
        assert judge(live(wrong_tries=MAX_WRONG_TRIES - 1), self.who, ASSET, "482913", NOW) is Verdict.accepted

    def test_a_code_of_another_device_does_not_fit(self) -> None:
        other = live(digest=digest(ASSET.replace("1", "2"), "482913"))
        assert judge(other, self.who, ASSET, "482913", NOW) is Verdict.wrong

    def test_tries_left(self) -> None:
        assert [tries_left(n) for n in range(7)] == [5, 4, 3, 2, 1, 0, 0]
        assert NOW + timedelta(minutes=15) == NOW + CODE_TTL
