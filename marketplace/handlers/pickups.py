"""Pickups (`domain/pickups.py`): the date the two parties agree on, the handing party's one-time code for the
whole pickup, and the handover that collects every scanned device in one transaction, one event each.

Only the two parties see a pickup, and only with their lifecycle role (the donor's asset managers, the
claimer's workshop people): anyone else is told it does not exist. The handover is proven as a device's
(`domain/handover.py`): by the handing party itself (the donor confirms with the devices in hand), or by
the one-time code its signed-in user shows, typed by the receiving party.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import asyncpg

from marketplace.adapters import lifecycle_store as store
from marketplace.adapters import pickup_queries as q
from marketplace.domain import handover as ho
from marketplace.domain.chain import now_ms
from marketplace.domain.codes import format_code, normalise_code
from marketplace.domain.errors import CountedRefusal, DomainError, Forbidden, InvalidInput, NotFound
from marketplace.domain.handover import LiveCode, Parties, Proof, Verdict
from marketplace.domain.permissions import Action, ActorFacts, decide
from marketplace.domain.pickups import PickupFacts, Side, accept, propose, side_of
from marketplace.handlers.actions import load_facts
from marketplace.handlers.chain_writer import write_events
from marketplace.unit_of_work import UnitOfWork
from schemas import payloads as pl

ROLES_OF_SIDE = {Side.donor: frozenset({"asset_manager"}),
                 Side.claimer: frozenset({"refurbisher", "maker", "recycler"})}
MAX_SCANNED = 500


def facts_of(row: asyncpg.Record) -> PickupFacts:
    return PickupFacts(donor=row["donor"], claimer=row["claimer"], proposed_on=row["proposed_on"],
                       proposed_by=Side(row["proposed_by"]), agreed=row["agreed"], last_claim_at=row["last_claim_at"],
                       agreed_until=row["agreed_until"], open=row["status"] == "open")


async def open_pickup(conn: asyncpg.Connection, pickup_id: str, actor: ActorFacts,
                      lock: bool = False) -> tuple[asyncpg.Record, PickupFacts, Side]:
    """The pickup, its facts and the caller's side. Another organisation, or someone of a party without the
    side's lifecycle role, is told the pickup does not exist (its existence is none of their business)."""
    row = await q.pickup(conn, pickup_id, lock=lock) if _is_uuid(pickup_id) else None
    if row is None:
        raise NotFound("pickup.not_found")
    facts = facts_of(row)
    side = side_of(facts, actor.org)
    if side is None or actor.role not in ROLES_OF_SIDE[side]:
        raise NotFound("pickup.not_found")
    return row, facts, side


def _is_uuid(text: str) -> bool:
    parts = text.split("-")
    return len(text) == 36 and [len(p) for p in parts] == [8, 4, 4, 4, 12] and all(
        c in "0123456789abcdef" for c in text.replace("-", "").lower())


async def propose_date(uow: UnitOfWork, pickup_id: str, actor: ActorFacts, day: date) -> None:
    _, facts, side = await open_pickup(uow.conn, pickup_id, actor, lock=True)
    at = now_ms()
    change = propose(facts, side, day, at)
    await q.set_date(uow.conn, pickup_id, change.proposed_on, change.proposed_by.value, change.agreed,
                     change.agreed_until, at)


async def accept_date(uow: UnitOfWork, pickup_id: str, actor: ActorFacts) -> None:
    _, facts, side = await open_pickup(uow.conn, pickup_id, actor, lock=True)
    at = now_ms()
    change = accept(facts, side, at)
    await q.set_date(uow.conn, pickup_id, change.proposed_on, change.proposed_by.value, change.agreed,
                     change.agreed_until, at)


@dataclass(frozen=True)
class ShownPickupCode:
    code: str  # six digits, returned once, never stored
    receiver: str
    expires_at: datetime


async def show_pickup_code(uow: UnitOfWork, pickup_id: str, actor: ActorFacts, user_id: str) -> ShownPickupCode:
    """A new code for the pickup's handover, replacing any earlier one; only the handing party (the donor)."""
    _, facts, side = await open_pickup(uow.conn, pickup_id, actor, lock=True)
    if side is not Side.donor:
        raise Forbidden("handover.giver_shows", giver=facts.donor)
    if not facts.open:
        raise DomainError("pickup.closed")
    code, at = ho.new_code(), now_ms()
    await q.show_code(uow.conn, pickup_id, ho.digest(pickup_id, code), user_id, at + ho.CODE_TTL)
    return ShownPickupCode(code, facts.claimer, at + ho.CODE_TTL)


@dataclass(frozen=True)
class Collected:
    collected: tuple[str, ...]  # device codes, as stored
    missing: tuple[str, ...]  # expected devices not scanned: still claimed, with the pickup's deadline


async def _prove(conn: asyncpg.Connection, pickup_id: str, facts: PickupFacts, side: Side, typed: str | None,
                 at: datetime) -> tuple[Proof, str | None]:
    if side is Side.donor:
        return Proof.handing_party, None
    if not typed:
        raise DomainError("handover.code_required")
    found = await q.live_code(conn, pickup_id)
    live = None if found is None else LiveCode(found["code_hash"], facts.donor, facts.claimer,
                                                 found["code_expires_at"], found["code_wrong_tries"],
                                                 found["code_used_at"] is not None)
    verdict = ho.judge(live, Parties(facts.donor, facts.claimer), pickup_id, typed, at)
    if verdict is Verdict.wrong:
        left = ho.tries_left(await q.count_wrong(conn, pickup_id))
        raise CountedRefusal("handover.code_wrong" if left else "handover.code_wrong_void", left=left)
    if verdict is not Verdict.accepted:
        raise DomainError(verdict.value)
    assert found is not None
    await q.use_code(conn, pickup_id, at)
    return Proof.handover_code, found["code_shown_by"]


async def collect_pickup(uow: UnitOfWork, pickup_id: str, actor: ActorFacts, user_id: str,
                         scanned: list[str], typed_code: str | None) -> Collected:
    """Collect every scanned device of the pickup at once: each gets its own `asset.collected` (with the
    pickup and the proof), all in the caller's transaction. A code that is not one of the devices expected
    refuses the whole handover with its name, before anything is written; a wrong handover code is counted
    (`CountedRefusal`) and nothing else is written."""
    _, facts, side = await open_pickup(uow.conn, pickup_id, actor, lock=True)
    if not facts.open:
        raise DomainError("pickup.closed")
    if not scanned:
        raise DomainError("pickup.nothing_scanned")
    if len(scanned) > MAX_SCANNED:
        raise InvalidInput(detail=f"codes: {MAX_SCANNED} au plus")
    expected = {r["code"]: r["id"] for r in await q.devices(uow.conn, pickup_id) if r["expected"]}
    codes: list[str] = []
    for text in scanned:
        code = normalise_code(text)
        if code is None or code not in expected:
            raise DomainError("pickup.not_expected", code=format_code(code) if code else text[:40])
        if code not in codes:
            codes.append(code)
    at = now_ms()
    proof, shown_by = await _prove(uow.conn, pickup_id, facts, side, typed_code, at)
    who: dict[str, str | None] = {"org": actor.org, "user": user_id, "system": None}
    for code in sorted(codes):  # one lock order for every handover: no deadlock between two of them
        row, device = await load_facts(uow, expected[code])
        decide(Action.collect, device, actor, at)
        payload = pl.CollectedPayload(from_org=device.donor, to=facts.claimer, scanned_by=user_id,
                                      proof=proof.value, code_shown_by=shown_by, pickup_id=pickup_id)
        await write_events(uow.conn, row, [("asset.collected", payload, who)], at)
        await store.update_projection(uow.conn, expected[code], {"custodian": facts.claimer})
    await q.close_if_done(uow.conn, pickup_id, at)
    return Collected(tuple(sorted(codes)), tuple(sorted(set(expected) - set(codes))))
