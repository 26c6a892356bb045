"""Route a batch of devices in a handful of statements: the router worker's fast path.

Each device gets exactly what `route.route_device` would give it (same plan, same event); the batch
locks all its devices at once (in id order), writes offers, events and outbox rows with COPY, and
moves the read rows with one UPDATE guarded by a version check per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from marketplace.adapters import bulk
from marketplace.adapters.pool import JsonText
from marketplace.commands import RouteDevice
from marketplace.domain.chain import ChainHead, SealedEvent, build_sealed_event, now_ms
from marketplace.domain.lifecycle import State
from marketplace.domain.routing import Candidate, RoutingRules
from marketplace.handlers.route import plan_route
from marketplace.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class BatchRouted:
    offered: int
    deferred: int
    skipped: int  # not `retired` any more (already routed, claimed...): nothing to do


async def route_devices(cmds: list[RouteDevice], uow: UnitOfWork, candidates: list[Candidate], rules: RoutingRules,
                        offer_ttl: timedelta, last_round: int) -> BatchRouted:
    conn = uow.conn
    rows = {str(r["id"]): r for r in await bulk.lock_for_routing(conn, sorted({c.asset_id for c in cmds}))}
    orgs = await bulk.org_ids(conn)
    at = now_ms()
    offers: list[tuple[Any, ...]] = []
    events: list[SealedEvent] = []
    heads: list[tuple[str, int, str, str, int, datetime]] = []
    offered = deferred = skipped = 0
    routed: set[str] = set()
    memo: dict[tuple[Any, ...], Any] = {}
    for cmd in cmds:
        asset = rows.get(cmd.asset_id)
        if asset is None or asset["state"] != State.retired.value or cmd.asset_id in routed:
            skipped += 1
            continue
        plan = plan_route(asset, candidates, rules, at, offer_ttl, last_round, cmd.exclude, memo)
        if plan is None:
            deferred += 1
            continue
        routed.add(cmd.asset_id)
        offers += [(o.offer_id, cmd.asset_id, orgs[o.org], plan.round, o.score, JsonText(o.reasons_json),
                    JsonText(o.reason_codes_json), "open", at, o.expires_at) for o in plan.offers]
        actor = {"org": None, "user": None, "system": cmd.actor_system}
        sealed = build_sealed_event(ChainHead(cmd.asset_id, asset["version"], asset["last_hash"]), "asset.offered",
                                    plan.payload, actor, cmd.correlation_id, cmd.causation_id, at, plan.payload_json)
        events.append(sealed)
        heads.append((cmd.asset_id, sealed.event["sequence"], sealed.event["hash"], State.offered.value, plan.round, at))
        offered += 1
    if events:
        await bulk.copy_offers(conn, offers)
        await bulk.copy_events(conn, events)
        moved = await bulk.advance_routed(conn, heads)
        if moved != len(heads):
            raise RuntimeError(f"{len(heads) - moved} routed devices changed under their row lock")
    return BatchRouted(offered, deferred, skipped)
