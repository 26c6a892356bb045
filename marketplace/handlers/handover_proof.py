"""Proving a handover before it is recorded (`domain/handover.py`): the handing party's own confirmation,
or the one-time code it showed, typed by the receiving party. Runs under the device's row lock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from marketplace.adapters import handover_codes as codes
from marketplace.domain.errors import CountedRefusal, DomainError
from marketplace.domain.handover import Proof, Verdict, judge, parties, proof_of, tries_left
from marketplace.domain.permissions import Action, ActorFacts, DeviceFacts


@dataclass(frozen=True)
class Proven:
    proof: Proof
    code_shown_by: str | None = None  # with a handover code: the handing party's user who showed it


async def prove_handover(conn: asyncpg.Connection, asset_id: str, action: Action, facts: DeviceFacts,
                         actor: ActorFacts, typed: str | None, at: datetime) -> Proven | None:
    """None for an action that is not a handover; otherwise how it is proven, or a refusal.

    A wrong code is counted and refused with `CountedRefusal`: nothing but the count has been written when it
    is raised, and the caller commits that count. Every other refusal writes nothing."""
    proof = proof_of(action, facts, actor)
    if proof is None:
        return None
    if proof is Proof.handing_party:
        return Proven(proof)
    if not typed:
        raise DomainError("handover.code_required")
    found = await codes.live(conn, asset_id, action.value)
    verdict = judge(found[0] if found else None, parties(action, facts), asset_id, typed, at)
    if verdict is Verdict.wrong:
        left = tries_left(await codes.count_wrong(conn, asset_id, action.value))
        raise CountedRefusal("handover.code_wrong" if left else "handover.code_wrong_void", left=left)
    if verdict is not Verdict.accepted:
        raise DomainError(verdict.value)
    assert found is not None
    await codes.use(conn, asset_id, action.value, at)
    return Proven(proof, found[1])
