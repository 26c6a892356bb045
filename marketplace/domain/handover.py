"""Handover proof (LIFECYCLE.md "Handover proof"): the receiving side alone cannot confirm a handover. Pure.

The device code is printed on the label, in the catalogue and in the open data, so typing it proves only
that someone saw the device once. A handover (`collect`: the donor hands the device to the claimer;
`deliver`: the custodian refurbisher hands it to the reserving third place) is therefore proven either
by the handing party itself, which confirms with the device in hand, or by a one-time code that the
handing party's signed-in user shows on their own screen and the receiving party types.

Only the code's SHA-256 (with the device id, so that one digest says nothing about another device's code)
is stored. Six digits are a million possibilities, but a code lives 15 minutes, serves once and is void
after five wrong tries, and only the handing party can ask for a new one.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from marketplace.domain.lifecycle import State
from marketplace.domain.permissions import Action, ActorFacts, DeviceFacts

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=15)
MAX_WRONG_TRIES = 5
HANDOVER_OF_STATE: dict[State, Action] = {State.claimed: Action.collect, State.reserved: Action.deliver}
HANDOVERS = frozenset(HANDOVER_OF_STATE.values())
_SEPARATORS = re.compile(r"[\s\-.]")


class Proof(StrEnum):
    """How a handover was proven; recorded in the `asset.collected` / `asset.delivered` payload."""

    handing_party = "handing_party"
    handover_code = "handover_code"


@dataclass(frozen=True)
class Parties:
    giver: str | None
    receiver: str | None


def pending_handover(state: State) -> Action | None:
    """The handover a device in `state` waits for, if any."""
    return HANDOVER_OF_STATE.get(state)


def parties(action: Action, device: DeviceFacts) -> Parties:
    """Who hands the device over and who receives it in this handover."""
    if action is Action.collect:
        return Parties(device.donor, device.claimer)
    if action is Action.deliver:
        return Parties(device.custodian, device.reserver)
    raise ValueError(f"{action.value} is not a handover")


def proof_of(action: Action, device: DeviceFacts, actor: ActorFacts) -> Proof | None:
    """The proof this actor's confirmation needs (None for an action that is not a handover). Called once
    `permissions.decide` accepted the action, so the actor is one of the two parties."""
    if action not in HANDOVERS:
        return None
    return Proof.handing_party if actor.org == parties(action, device).giver else Proof.handover_code


def new_code() -> str:
    """Six digits from the OS's randomness, leading zeros kept."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def normalise(typed: str) -> str | None:
    """The digits people type (spaces, dashes or dots between groups allowed); None when not six digits."""
    cleaned = _SEPARATORS.sub("", typed)
    return cleaned if len(cleaned) == CODE_DIGITS and cleaned.isascii() and cleaned.isdigit() else None


def digest(asset_id: str, code: str) -> str:
    """What is stored instead of the code."""
    return hashlib.sha256(f"{asset_id}:{code}".encode()).hexdigest()


@dataclass(frozen=True)
class LiveCode:
    """The stored code of one device and handover, as read under the device's lock."""

    digest: str
    giver: str
    receiver: str
    expires_at: datetime
    wrong_tries: int
    used: bool


class Verdict(StrEnum):
    """The outcome of a typed code; each refusal is `refusal.<value>` in the catalogues."""

    accepted = "accepted"
    none = "handover.code_none"
    used = "handover.code_used"
    void = "handover.code_void"
    expired = "handover.code_expired"
    malformed = "handover.code_malformed"
    wrong = "handover.code_wrong"  # the only one that counts a try


def judge(live: LiveCode | None, expected: Parties, asset_id: str, typed: str, now: datetime) -> Verdict:
    """Check a typed code against the device's live one. A code shown for other parties (the claim lapsed and
    another organisation claimed since) is no code for this handover."""
    if live is None or (live.giver, live.receiver) != (expected.giver, expected.receiver):
        return Verdict.none
    if live.used:
        return Verdict.used
    if live.wrong_tries >= MAX_WRONG_TRIES:
        return Verdict.void
    if live.expires_at <= now:
        return Verdict.expired
    code = normalise(typed)
    if code is None:
        return Verdict.malformed
    return Verdict.accepted if hmac.compare_digest(digest(asset_id, code), live.digest) else Verdict.wrong


def tries_left(wrong_tries: int) -> int:
    return max(MAX_WRONG_TRIES - wrong_tries, 0)
