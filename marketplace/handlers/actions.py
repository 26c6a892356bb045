"""Perform a lifecycle action on one device: lock, decide, apply the effects, append the event.

Every action a person takes (claim, collect, diagnose, wipe, refurbish, reserve, deliver, recycle...)
goes through `perform_action`, so the same rules hold in the UI, the API and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import asyncpg
from pydantic import BaseModel

from marketplace.adapters import lifecycle_store as store
from marketplace.domain.chain import now_ms
from marketplace.domain.codes import normalise_code
from marketplace.domain.errors import Conflict, NotFound
from marketplace.domain.lifecycle import State
from marketplace.domain.permissions import EVENT_OF_ACTION, Action, ActorFacts, DeviceFacts, decide
from marketplace.handlers.chain_writer import write_events
from marketplace.handlers.effects import EFFECTS, ActionLimits, Effect, EffectContext
from marketplace.handlers.handover_proof import prove_handover
from marketplace.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PerformAction:
    code: str
    action: Action
    actor: ActorFacts
    user_id: str | None
    data: BaseModel
    limits: ActionLimits = field(default_factory=ActionLimits)


@dataclass(frozen=True)
class Performed:
    asset_id: str
    code: str
    state: State
    event_types: tuple[str, ...]


async def locate(uow: UnitOfWork, code: str) -> str:
    normalised = normalise_code(code)
    if normalised is None:
        raise NotFound("device.code_malformed", code=code[:40])
    asset_id = await store.asset_id_by_code(uow.conn, normalised)
    if asset_id is None:
        raise NotFound(code=code[:40])
    return asset_id


async def load_facts(uow: UnitOfWork, asset_id: str) -> tuple[asyncpg.Record, DeviceFacts]:
    row = await store.lock_facts(uow.conn, asset_id)
    if row is None:
        raise NotFound(code=asset_id)
    offers = await store.open_offers_of_asset(uow.conn, asset_id) if row["state"] == "offered" else []
    facts = DeviceFacts(
        state=State(row["state"]), has_storage=row["has_storage"], donor=row["donor"], custodian=row["custodian"],
        claimer=row["claimer"], diagnosis=row["diagnosis"], wiped=row["wiped"],
        storage_destroyed=row["storage_destroyed"], reserver=row["reserver"], hold_until=row["hold_until"],
        open_offer_orgs=frozenset(o["org"] for o in offers),
    )
    return row, facts


async def perform_action(cmd: PerformAction, uow: UnitOfWork) -> Performed:
    """Apply one action atomically; a refusal raises a DomainError and writes nothing."""
    asset_id = await locate(uow, cmd.code)
    row, facts = await load_facts(uow, asset_id)
    at = now_ms()
    certified = bool(getattr(cmd.data, "storage_destruction_certified", False))
    decide(cmd.action, facts, cmd.actor, at, storage_destruction_certified=certified)
    # Before any write: a wrong handover code is counted and refused with nothing else written.
    proven = await prove_handover(uow.conn, asset_id, cmd.action, facts, cmd.actor,
                                  getattr(cmd.data, "handover_code", None), at)
    ctx = EffectContext(uow.conn, asset_id, row, facts, cmd.actor, cmd.user_id, at, cmd.limits, proven)
    try:
        # A savepoint: a constraint that fires (double booking) must leave the transaction usable.
        async with uow.conn.transaction():
            effect = await EFFECTS[cmd.action](ctx, cmd.data)
    except asyncpg.UniqueViolationError as exc:
        raise Conflict("device.already_reserved" if cmd.action is Action.reserve else "device.already_claimed") from exc
    return await _record(uow, row, facts.state, cmd, effect, at)


async def _record(uow: UnitOfWork, row: asyncpg.Record, state: State, cmd: PerformAction, effect: Effect,
                  at: datetime) -> Performed:
    actor: dict[str, str | None] = {"org": cmd.actor.org, "user": cmd.user_id, "system": None}
    steps = [(EVENT_OF_ACTION[cmd.action], effect.payload, actor), *effect.followers]
    state, events = await write_events(uow.conn, row, steps, at)
    await store.update_projection(uow.conn, str(row["id"]), effect.projection)
    return Performed(str(row["id"]), row["code"], state, tuple(e["type"] for e in events))
