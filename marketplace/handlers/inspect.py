"""Recording a hardware snapshot (issue 20): under the device's row lock, in the command's transaction, the
`asset.inspected` event (the evidence's SHA-256, what was read, what contradicts the declaration), the raw
snapshot as evidence, and the specs it read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pydantic import ValidationError

from marketplace.adapters import snapshot_queries as q
from marketplace.bench import Reading
from marketplace.domain.chain import now_ms
from marketplace.domain.errors import InvalidInput
from marketplace.domain.ids import new_id
from marketplace.domain.inspection import EVENT, Mismatch, check_may_post, mismatches
from marketplace.domain.permissions import ActorFacts
from marketplace.handlers.actions import load_facts, locate
from marketplace.handlers.chain_writer import write_events
from marketplace.unit_of_work import UnitOfWork
from schemas.intake import Specs
from schemas.payloads import InspectedPayload


@dataclass(frozen=True)
class Inspected:
    asset_id: str
    snapshot_id: str
    sha256: str
    specs: dict[str, object]
    warnings: tuple[Mismatch, ...]


def _plausible_specs(reading: Reading) -> dict[str, object]:
    """The specs as the intake checks them (a 5,000 GB RAM reading is refused, naming the field)."""
    try:
        return Specs.model_validate(reading.specs()).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidInput("bench.implausible", field=".".join(str(p) for p in first["loc"]),
                           value=str(first.get("input"))[:60]) from exc


def _battery_health(reading: Reading) -> float | None:
    return next((b.health_pct for b in reading.batteries if b.health_pct is not None), None)


async def record_snapshot(uow: UnitOfWork, code: str, actor: ActorFacts, posted_by: str, raw: bytes,
                          reading: Reading) -> Inspected:
    asset_id = await locate(uow, code)
    row, facts = await load_facts(uow, asset_id)
    check_may_post(facts, actor)
    declared = await q.declared(uow.conn, asset_id)
    found = mismatches(declared["model"], declared["serial"], reading.model, reading.serial)
    specs = _plausible_specs(reading)
    sha256 = hashlib.sha256(raw).hexdigest()
    snapshot_id = new_id()
    payload = InspectedPayload(snapshot_id=snapshot_id, sha256=sha256, sources=sorted(set(reading.sources)),
                               specs=Specs.model_validate(specs), media=len(reading.media),
                               battery_health_pct=_battery_health(reading), mismatches=[m.field for m in found])
    at = now_ms()
    _, events = await write_events(uow.conn, row, [(EVENT, payload, {"org": actor.org, "user": posted_by,
                                                                     "system": None})], at)
    await q.insert(uow.conn, snapshot_id, asset_id, actor.org, posted_by, sha256, raw, reading.as_dict() | {"specs": specs},
                   [m.as_dict() for m in found], events[0]["event_id"], at)
    if specs:
        await q.fill_specs(uow.conn, asset_id, specs, at)
    return Inspected(asset_id, snapshot_id, sha256, specs, tuple(found))
