"""Deliveries to a tiers-lieu, several reservations at once: the devices one tiers-lieu holds reserved among one
workshop's (the workshop has them in custody) are handed over in one scanning session, like a pickup's.

A delivery has no id of its own: each party names the other (the workshop's or the tiers-lieu's slug), and
every read is filtered by the caller's own organisation, so no one reaches a delivery they are not part of.
The handover is proven as a device's (`domain/handover.py`): by the workshop itself, or by the one-time code
its signed-in user shows for the delivery, typed by the tiers-lieu. Each device goes through the lifecycle's
own `deliver` effect (its reservation closed, `asset.delivered` with the beneficiary category and the proof).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from marketplace.adapters import delivery_queries as q
from marketplace.adapters import lifecycle_store as store
from marketplace.domain import handover as ho
from marketplace.domain.chain import now_ms
from marketplace.domain.codes import format_code, normalise_code
from marketplace.domain.errors import CountedRefusal, DomainError, Forbidden, InvalidInput, NotFound
from marketplace.domain.handover import LiveCode, Parties, Proof, Verdict
from marketplace.domain.permissions import Action, ActorFacts, decide
from marketplace.handlers.actions import load_facts
from marketplace.handlers.chain_writer import write_events
from marketplace.handlers.effects import EFFECTS, EffectContext
from marketplace.handlers.handover_proof import Proven
from marketplace.unit_of_work import UnitOfWork
from schemas.actions import DeliverInput

GIVER_ROLES = frozenset({"refurbisher", "maker", "recycler"})
RECEIVER_ROLES = frozenset({"third_place"})
MAX_SCANNED = 500


@dataclass(frozen=True)
class DeliveryParties:
    giver: str  # the workshop, custodian of the devices
    receiver: str  # the tiers-lieu that reserved them
    side: str  # the caller's: giver or receiver


def parties_with(actor: ActorFacts, other: str) -> DeliveryParties:
    """The caller's delivery with `other`. Someone without a delivery role is told it does not exist."""
    if actor.role in GIVER_ROLES:
        return DeliveryParties(actor.org, other, "giver")
    if actor.role in RECEIVER_ROLES:
        return DeliveryParties(other, actor.org, "receiver")
    raise NotFound("delivery.not_found")


async def expected(conn: asyncpg.Connection, who: DeliveryParties) -> list[asyncpg.Record]:
    """The devices of the delivery; none (a delivery that does not exist, or not the caller's) is not found."""
    rows = await q.devices(conn, who.giver, who.receiver)
    if not rows:
        raise NotFound("delivery.not_found")
    return rows


@dataclass(frozen=True)
class ShownDeliveryCode:
    code: str
    receiver: str
    expires_at: datetime


async def show_delivery_code(uow: UnitOfWork, actor: ActorFacts, other: str, user_id: str) -> ShownDeliveryCode:
    who = parties_with(actor, other)
    if who.side != "giver":
        raise Forbidden("handover.giver_shows", giver=other)
    await expected(uow.conn, who)
    code, at = ho.new_code(), now_ms()
    key = f"delivery:{who.giver}:{who.receiver}"
    await q.show(uow.conn, who.giver, who.receiver, ho.digest(key, code), user_id, at, at + ho.CODE_TTL)
    return ShownDeliveryCode(code, who.receiver, at + ho.CODE_TTL)


async def _prove(conn: asyncpg.Connection, who: DeliveryParties, typed: str | None, at: datetime) -> Proven:
    if who.side == "giver":
        return Proven(Proof.handing_party)
    if not typed:
        raise DomainError("handover.code_required")
    found = await q.live(conn, who.giver, who.receiver)
    live = None if found is None else LiveCode(found["code_hash"], who.giver, who.receiver, found["expires_at"],
                                                 found["wrong_tries"], found["used_at"] is not None)
    verdict = ho.judge(live, Parties(who.giver, who.receiver), f"delivery:{who.giver}:{who.receiver}", typed, at)
    if verdict is Verdict.wrong:
        left = ho.tries_left(await q.count_wrong(conn, who.giver, who.receiver))
        raise CountedRefusal("handover.code_wrong" if left else "handover.code_wrong_void", left=left)
    if verdict is not Verdict.accepted:
        raise DomainError(verdict.value)
    assert found is not None
    await q.use(conn, who.giver, who.receiver, at)
    return Proven(Proof.handover_code, found["shown_by"])


@dataclass(frozen=True)
class Delivered:
    delivered: tuple[str, ...]
    missing: tuple[str, ...]


async def deliver_scanned(uow: UnitOfWork, actor: ActorFacts, other: str, user_id: str, scanned: list[str],
                          data: DeliverInput, typed_code: str | None) -> Delivered:
    """Deliver every scanned device at once (one transaction, one `asset.delivered` each); a code not expected
    refuses the whole handover by name before anything is written; a wrong code is counted, nothing else."""
    who = parties_with(actor, other)
    rows = {r["code"]: r["id"] for r in await expected(uow.conn, who)}
    if not scanned:
        raise DomainError("pickup.nothing_scanned")
    if len(scanned) > MAX_SCANNED:
        raise InvalidInput(detail=f"codes: {MAX_SCANNED} au plus")
    codes: list[str] = []
    for text in scanned:
        code = normalise_code(text)
        if code is None or code not in rows:
            raise DomainError("delivery.not_expected", code=format_code(code) if code else text[:40])
        if code not in codes:
            codes.append(code)
    at = now_ms()
    proven = await _prove(uow.conn, who, typed_code, at)
    who_acts: dict[str, str | None] = {"org": actor.org, "user": user_id, "system": None}
    for code in sorted(codes):  # one lock order for every handover
        row, device = await load_facts(uow, rows[code])
        decide(Action.deliver, device, actor, at)
        ctx = EffectContext(uow.conn, rows[code], row, device, actor, user_id, at, proven=proven)
        effect = await EFFECTS[Action.deliver](ctx, data.model_copy(update={"confirm_code": code}))
        await write_events(uow.conn, row, [("asset.delivered", effect.payload, who_acts), *effect.followers], at)
        await store.update_projection(uow.conn, rows[code], effect.projection)
    return Delivered(tuple(sorted(codes)), tuple(sorted(set(rows) - set(codes))))
