"""Route a retired device: offer it to the best candidates (policy in `domain/routing.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from marketplace.adapters import repositories as repo
from marketplace.adapters.event_log import advance_head, append_events
from marketplace.commands import RouteDevice
from marketplace.domain.chain import ChainHead, build_event, now_ms
from marketplace.domain.ids import new_id
from marketplace.domain.lifecycle import State, next_state
from marketplace.domain.routing import Candidate, route
from marketplace.unit_of_work import UnitOfWork
from schemas.payloads import OfferedPayload, OfferMade

ROUTER_ACTOR = {"org": None, "user": None, "system": "router"}


@dataclass(frozen=True)
class Routed:
    asset_id: str
    offers: int  # 0 when the device was not in `retired` (already routed) or no candidate fits


async def route_device(cmd: RouteDevice, uow: UnitOfWork, k: int, offer_ttl: timedelta,
                       candidates: list[Candidate] | None = None) -> Routed:
    """Offer a `retired` device to up to k organisations. Does nothing for a device in any other state,
    which makes a redelivered `asset.retired` harmless even without the inbox."""
    asset = await repo.lock_asset(uow.conn, cmd.asset_id)
    if asset is None or asset["state"] != State.retired.value:
        return Routed(cmd.asset_id, 0)
    if candidates is None:
        candidates = await load_candidates(uow)
    offers = route(asset["category"], asset["pays_code"], candidates, k, cmd.exclude)
    if not offers:
        return Routed(cmd.asset_id, 0)

    at = now_ms()
    round_ = asset["routing_round"] + 1
    made = [
        OfferMade(offer_id=new_id(), org=o.org_slug, score=o.score, reasons=list(o.reasons), expires_at=at + offer_ttl)
        for o in offers
    ]
    await repo.insert_offers(uow.conn, [
        (m.offer_id, cmd.asset_id, m.org, round_, m.score, m.reasons, at, m.expires_at) for m in made
    ])
    await repo.set_routing_round(uow.conn, cmd.asset_id, round_)
    head = ChainHead(cmd.asset_id, asset["version"], asset["last_hash"])
    event = build_event(head, "asset.offered", OfferedPayload(round=round_, offers=made), ROUTER_ACTOR,
                        cmd.correlation_id, cmd.causation_id, at)
    await append_events(uow.conn, [event])
    await advance_head(uow.conn, event, next_state(State(asset["state"]), "asset.offered").value)
    return Routed(cmd.asset_id, len(made))


async def load_candidates(uow: UnitOfWork) -> list[Candidate]:
    return [
        Candidate(r["slug"], r["kind"], r["pays_code"], frozenset(r["accepted_categories"]))
        for r in await repo.routing_candidates(uow.conn)
    ]
