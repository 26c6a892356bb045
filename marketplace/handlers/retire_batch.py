"""Retire a batch of devices in a handful of statements: the intake worker's fast path.

It decides exactly what `retire.retire_device` decides for each request (same checks, same event),
but reads donors, earlier requests and serials once per batch and writes with COPY. If another
transaction wins a race on the same request or serial meanwhile, the batch falls back to the
one-by-one path, which settles each request on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from marketplace.adapters import bulk
from marketplace.commands import RetireDevice
from marketplace.domain.chain import ChainHead, SealedEvent, build_sealed_event, now_ms
from marketplace.domain.codes import new_code
from marketplace.domain.errors import Conflict, DomainError, InvalidInput
from marketplace.domain.ids import new_id
from marketplace.handlers.retire import DONOR_KINDS, retire_device
from marketplace.unit_of_work import UnitOfWork
from schemas.payloads import RetiredPayload


@dataclass(frozen=True)
class Outcome:
    created: bool = False
    duplicate: bool = False
    error: DomainError | None = None


async def retire_devices(cmds: list[RetireDevice], uow: UnitOfWork) -> list[Outcome]:
    """One outcome per command, in order: created, duplicate (already retired), or the refusal."""
    try:
        async with uow.conn.transaction():  # savepoint: a lost race leaves the transaction usable
            return await _fast_path(cmds, uow)
    except asyncpg.UniqueViolationError:
        return [await _one(cmd, uow) for cmd in cmds]


async def _one(cmd: RetireDevice, uow: UnitOfWork) -> Outcome:
    try:
        retired = await retire_device(cmd, uow)
    except DomainError as exc:
        return Outcome(error=exc)
    return Outcome(created=retired.created, duplicate=not retired.created)


async def _fast_path(cmds: list[RetireDevice], uow: UnitOfWork) -> list[Outcome]:
    conn = uow.conn
    donors = await bulk.donors(conn, sorted({c.request.donor for c in cmds}))
    known = [c for c in cmds if c.request.donor in donors]
    ids = [donors[c.request.donor]["id"] for c in known]
    earlier = await bulk.existing_requests(conn, ids, [c.request.request_id for c in known])
    serials_taken = await bulk.existing_serials(conn, ids, [c.request.serial for c in known])

    outcomes: list[Outcome] = []
    seen_requests: set[tuple[str, str]] = set()
    assets: list[tuple[object, ...]] = []
    events: list[SealedEvent] = []
    at = now_ms()
    for cmd in cmds:
        req = cmd.request
        donor = donors.get(req.donor)
        if donor is None:
            outcomes.append(Outcome(error=InvalidInput("donor.unknown", donor=req.donor)))
            continue
        if donor["kind"] not in DONOR_KINDS:
            outcomes.append(Outcome(error=InvalidInput("donor.not_a_donor", donor=req.donor, kind=donor["kind"])))
            continue
        donor_id = str(donor["id"])
        if (donor_id, req.request_id) in earlier or (donor_id, req.request_id) in seen_requests:
            outcomes.append(Outcome(duplicate=True))
            continue
        if (donor_id, req.serial) in serials_taken:
            outcomes.append(Outcome(error=Conflict("device.duplicate_serial", serial=req.serial)))
            continue
        seen_requests.add((donor_id, req.request_id))
        serials_taken.add((donor_id, req.serial))
        asset_id, code = new_id(), new_code()
        sealed = build_sealed_event(ChainHead(asset_id), "asset.retired",
                                    RetiredPayload(request=req, code=code, pays_code=donor["pays_code"]),
                                    cmd.actor.as_dict(), occurred_at=at)
        specs = req.specs.model_dump(mode="json", exclude_none=True) if req.specs else None
        assets.append((
            asset_id, code, donor["id"], req.request_id, req.category.value, req.brand, req.model, req.serial,
            req.inventory_number, req.year, req.condition.value, req.has_storage, req.site, specs, req.weight_kg,
            req.unit_value_eur, req.notes, donor["pays_code"], donor["id"], "retired", 1, sealed.event["hash"], at, at,
        ))
        events.append(sealed)
        outcomes.append(Outcome(created=True))
    if assets:
        await bulk.copy_assets(conn, assets)
        await bulk.copy_events(conn, events)
    return outcomes
