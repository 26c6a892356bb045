"""Claim an open offer: the first valid claim wins, the other offers are withdrawn."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.adapters import repositories as repo
from marketplace.adapters.event_log import advance_head, append_events
from marketplace.commands import ClaimOffer
from marketplace.domain.chain import ChainHead, build_event, now_ms
from marketplace.domain.errors import Conflict, DomainError, Forbidden
from marketplace.domain.lifecycle import State, next_state
from marketplace.unit_of_work import UnitOfWork
from schemas.payloads import ClaimedPayload


@dataclass(frozen=True)
class Claimed:
    asset_id: str
    code: str


async def claim_offer(cmd: ClaimOffer, uow: UnitOfWork) -> Claimed:
    offer = await repo.offer_for_claim(uow.conn, cmd.offer_id)
    if offer is None:
        raise DomainError("offer.not_found")
    if offer["org_slug"] != cmd.actor.org:
        raise Forbidden("offer.not_yours")
    # Lock the device first: concurrent claims on one device queue here, and the loser then sees
    # the state the winner left. The partial unique index on offers is the last line of defence.
    asset = await repo.lock_asset(uow.conn, str(offer["asset_id"]))
    assert asset is not None
    offer = await repo.offer_for_claim(uow.conn, cmd.offer_id)
    assert offer is not None
    if asset["state"] != State.offered.value or offer["status"] == "withdrawn":
        raise Conflict("device.already_claimed")
    if offer["status"] != "open":
        raise DomainError("offer.closed", status=offer["status"])
    at = now_ms()
    if offer["expires_at"] <= at:
        raise DomainError("offer.expired")

    await repo.mark_claimed(uow.conn, cmd.offer_id, at)
    withdrawn = await repo.close_other_offers(uow.conn, str(offer["asset_id"]), cmd.offer_id, at)
    head = ChainHead(str(asset["id"]), asset["version"], asset["last_hash"])
    event = build_event(
        head, "asset.claimed",
        ClaimedPayload(offer_id=cmd.offer_id, claimer=offer["org_slug"], withdrawn_offers=withdrawn),
        cmd.actor.as_dict(), occurred_at=at,
    )
    await append_events(uow.conn, [event])
    await advance_head(uow.conn, event, next_state(State(asset["state"]), "asset.claimed").value)
    return Claimed(str(asset["id"]), asset["code"])
