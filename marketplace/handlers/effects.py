"""What each lifecycle action changes besides the event: offers, reservations, the read row.

Each function runs after `permissions.decide` accepted the action, under the device's row lock,
inside the command's transaction. It returns the event payload and the read-row changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import asyncpg
from pydantic import BaseModel

from marketplace.adapters import lifecycle_store as store
from marketplace.adapters import pickup_queries
from marketplace.documents import wipe_certificate
from marketplace.domain.codes import normalise_code
from marketplace.domain.errors import DomainError
from marketplace.domain.handover import Proof
from marketplace.domain.ids import new_id
from marketplace.domain.permissions import Action, ActorFacts, DeviceFacts
from marketplace.domain.pickups import first_proposal
from marketplace.handlers.handover_proof import Proven
from schemas import actions as inp
from schemas import payloads as pl

HOLD_DEFAULT = timedelta(days=14)
HOLD_MAX = timedelta(days=60)
ROUTER = {"org": None, "user": None, "system": "router"}


@dataclass(frozen=True)
class ActionLimits:
    """Limits that settings give the actions (the defaults are the settings' defaults)."""

    max_active_reservations: int = 20


@dataclass(frozen=True)
class EffectContext:
    conn: asyncpg.Connection
    asset_id: str
    row: asyncpg.Record
    facts: DeviceFacts
    actor: ActorFacts
    user_id: str | None
    at: datetime
    limits: ActionLimits = field(default_factory=ActionLimits)
    proven: Proven | None = None  # how a handover was proven (`handover_proof.prove_handover`)


@dataclass(frozen=True)
class Effect:
    payload: BaseModel
    projection: dict[str, Any] = field(default_factory=dict)
    followers: list[tuple[str, BaseModel, dict[str, str | None]]] = field(default_factory=list)


def _confirm_handover(ctx: EffectContext, data: inp.HandoverInput) -> dict[str, Any]:
    """The device code proves the device is in hand: required from the handing party, checked when the
    receiving party gives it too. Returns the payload's proof fields."""
    assert ctx.proven is not None
    typed = data.confirm_code
    if typed is None:
        if ctx.proven.proof is Proof.handing_party:
            raise DomainError("handover.device_code_required")
    elif normalise_code(typed) != ctx.row["code"]:
        raise DomainError("handover.code_mismatch", typed=typed[:40])
    return {"proof": ctx.proven.proof.value, "code_shown_by": ctx.proven.code_shown_by}


async def claim(ctx: EffectContext, data: BaseModel) -> Effect:
    offers = await store.open_offers_of_asset(ctx.conn, ctx.asset_id)
    mine = next(o for o in offers if o["org"] == ctx.actor.org)
    if mine["expires_at"] <= ctx.at:
        raise DomainError("offer.expired")
    await store.close_offer(ctx.conn, mine["id"], "claimed", ctx.at)
    withdrawn = [str(o["id"]) for o in offers if o["id"] != mine["id"]]
    for offer_id in withdrawn:
        await store.close_offer(ctx.conn, offer_id, "withdrawn", ctx.at)
    payload = pl.ClaimedPayload(offer_id=str(mine["id"]), claimer=ctx.actor.org, withdrawn_offers=withdrawn)
    # The claimed devices of one donor site for one claimer form a pickup (domain/pickups.py).
    await pickup_queries.attach(ctx.conn, ctx.asset_id, ctx.actor.org, first_proposal(ctx.at), ctx.at)
    return Effect(payload, {"claimer": ctx.actor.org})


async def decline(ctx: EffectContext, data: BaseModel) -> Effect:
    assert isinstance(data, inp.DeclineInput)
    offers = await store.open_offers_of_asset(ctx.conn, ctx.asset_id)
    mine = next(o for o in offers if o["org"] == ctx.actor.org)
    await store.close_offer(ctx.conn, mine["id"], "declined", ctx.at)
    payload = pl.OfferDeclinedPayload(offer_id=str(mine["id"]), org=ctx.actor.org, reason=data.reason)
    followers: list[tuple[str, BaseModel, dict[str, str | None]]] = []
    if len(offers) == 1:
        # The last open offer of the round is gone: the device goes back to routing for the next round.
        nxt = pl.OffersExpiredPayload(expired_offers=[], declined_by=[ctx.actor.org],
                                      next_round=ctx.row["routing_round"] + 1)
        followers.append(("asset.offers_expired", nxt, ROUTER))
    return Effect(payload, followers=followers)


async def collect(ctx: EffectContext, data: BaseModel) -> Effect:
    assert isinstance(data, inp.HandoverInput)
    proof = _confirm_handover(ctx, data)
    claimer = ctx.facts.claimer or ""
    payload = pl.CollectedPayload(from_org=ctx.facts.donor, to=claimer, scanned_by=ctx.user_id or "", **proof)
    return Effect(payload, {"custodian": claimer})


async def diagnose(ctx: EffectContext, data: BaseModel) -> Effect:
    assert isinstance(data, inp.DiagnoseInput)
    return Effect(pl.DiagnosedPayload(outcome=data.outcome, findings=data.findings), {"diagnosis": data.outcome})


async def wipe(ctx: EffectContext, data: BaseModel) -> Effect:
    assert isinstance(data, inp.WipeCertificate)
    if data.sanitised_on > ctx.at.date():
        raise DomainError("input.invalid", detail="sanitised_on: la date d'effacement est dans le futur")
    if data.report_sha256 is not None:  # set by the server from an uploaded report (handlers/erasure.py), never typed
        raise DomainError("erasure.sha_without_report")
    changes: dict[str, Any] = {"wiped": True, "storage_destroyed": data.method == "Destroy"}
    # The certificate's PDF is made from what this event records, so its hash can be recorded in it.
    row = await store.wiped_device(ctx.conn, ctx.asset_id, ctx.actor.org)
    organisation = row["org_name"] or ctx.actor.org
    pdf = wipe_certificate.render(wipe_certificate.device_of(row, organisation), data)
    payload = pl.WipedPayload(certificate=data, organisation_name=organisation,
                              certificate_pdf_sha256=wipe_certificate.sha256(pdf))
    return Effect(payload, changes)


async def refurbish(ctx: EffectContext, data: BaseModel) -> Effect:
    assert isinstance(data, inp.RefurbishInput)
    payload = pl.RefurbishedPayload(grade=data.grade, os_installed=data.os_installed, tests_passed=data.tests_passed)
    return Effect(payload, {"grade": data.grade, "os_installed": data.os_installed, "refurbisher": ctx.actor.org})


async def reserve(ctx: EffectContext, data: BaseModel) -> Effect:
    assert isinstance(data, inp.ReserveInput)
    hold_until = data.hold_until or ctx.at + HOLD_DEFAULT
    if hold_until.tzinfo is None or not ctx.at < hold_until <= ctx.at + HOLD_MAX:
        raise DomainError("reservation.hold_invalid", days=HOLD_MAX.days)
    # Counted under a lock of the organisation's reservations, so that concurrent tabs cannot both take the last one.
    held = await store.active_reservations_locked(ctx.conn, ctx.actor.org)
    if held >= ctx.limits.max_active_reservations:
        raise DomainError("reservation.limit_reached", limit=ctx.limits.max_active_reservations)
    reservation_id = new_id()
    await store.insert_reservation(ctx.conn, reservation_id, ctx.asset_id, ctx.actor.org, hold_until, ctx.at)
    payload = pl.ReservedPayload(reservation_id=reservation_id, third_place=ctx.actor.org, hold_until=hold_until)
    return Effect(payload)


async def cancel_reservation(ctx: EffectContext, data: BaseModel) -> Effect:
    assert isinstance(data, inp.CancelReservationInput)
    by_admin = ctx.actor.org != ctx.facts.reserver
    if by_admin and not data.reason:
        raise DomainError("reservation.reason_required")
    await store.close_reservation(ctx.conn, ctx.row["reservation_id"], "cancelled", ctx.at)
    return Effect(pl.ReservationReleasedPayload(
        reservation_id=str(ctx.row["reservation_id"]), why="cancelled",
        cancelled_by="admin" if by_admin else "reserver", reason=data.reason,
    ))


async def deliver(ctx: EffectContext, data: BaseModel) -> Effect:
    assert isinstance(data, inp.DeliverInput)
    proof = _confirm_handover(ctx, data)
    await store.close_reservation(ctx.conn, ctx.row["reservation_id"], "delivered", ctx.at)
    reserver = ctx.facts.reserver or ""
    payload = pl.DeliveredPayload(
        from_org=ctx.facts.custodian or "", to=reserver, scanned_by=ctx.user_id or "",
        reservation_id=str(ctx.row["reservation_id"]), beneficiary_category=data.beneficiary_category, **proof,
    )
    return Effect(payload, {"custodian": reserver, "beneficiary": data.beneficiary_category})


async def return_(ctx: EffectContext, data: BaseModel) -> Effect:
    assert isinstance(data, inp.ReturnInput)
    # The device goes back to the workshop that refurbished it, for a new diagnosis.
    receiver = ctx.row["refurbisher"] or ctx.facts.custodian or ""
    # Its storage may hold the beneficiaries' data now: it must be wiped again before any new second life.
    changes: dict[str, Any] = {"custodian": receiver, "diagnosis": None, "wiped": False}
    return Effect(pl.ReturnedPayload(reason=data.reason, to=receiver), changes)


async def harvest(ctx: EffectContext, data: BaseModel) -> Effect:
    assert isinstance(data, inp.HarvestInput)
    return Effect(pl.HarvestedPayload(parts=data.parts))


async def recycle(ctx: EffectContext, data: BaseModel) -> Effect:
    assert isinstance(data, inp.RecycleInput)
    recycler = ctx.actor.org if ctx.actor.role == "recycler" else (data.recycler or "")
    if await store.org_kind(ctx.conn, recycler) != "recycler":
        raise DomainError("recycle.not_a_recycler", org=recycler or "-")
    payload = pl.RecycledPayload(recycler=recycler, weight_kg=data.weight_kg, slip_number=data.slip_number,
                                 storage_destruction_certified=data.storage_destruction_certified)
    changes: dict[str, Any] = {"custodian": recycler, "weight_kg": data.weight_kg}
    if data.storage_destruction_certified:
        changes["storage_destroyed"] = True
    return Effect(payload, changes)


async def write_off(ctx: EffectContext, data: BaseModel) -> Effect:
    assert isinstance(data, inp.WriteOffInput)
    if ctx.row["reservation_id"] is not None:
        await store.close_reservation(ctx.conn, ctx.row["reservation_id"], "cancelled", ctx.at)
    for offer in await store.open_offers_of_asset(ctx.conn, ctx.asset_id):
        await store.close_offer(ctx.conn, offer["id"], "withdrawn", ctx.at)
    return Effect(pl.WrittenOffPayload(reason=data.reason), {"custodian": None})


EFFECTS: dict[Action, Callable[[EffectContext, BaseModel], Awaitable[Effect]]] = {
    Action.claim: claim, Action.decline: decline, Action.collect: collect, Action.diagnose: diagnose,
    Action.wipe: wipe, Action.refurbish: refurbish, Action.reserve: reserve,
    Action.cancel_reservation: cancel_reservation, Action.deliver: deliver, Action.return_: return_,
    Action.harvest: harvest, Action.recycle: recycle, Action.write_off: write_off,
}
