"""Retire a device: the first event of its chain."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from marketplace.adapters import repositories as repo
from marketplace.adapters.event_log import append_events
from marketplace.commands import RetireDevice
from marketplace.domain.chain import ChainHead, build_event, now_ms
from marketplace.domain.codes import new_code
from marketplace.domain.errors import Conflict, InvalidInput
from marketplace.domain.ids import new_id
from marketplace.unit_of_work import UnitOfWork
from schemas.payloads import RetiredPayload

DONOR_KINDS = frozenset({"region", "lycee"})


@dataclass(frozen=True)
class Retired:
    asset_id: str
    code: str
    created: bool  # False when the same request was already retired (idempotent replay)


async def retire_device(cmd: RetireDevice, uow: UnitOfWork) -> Retired:
    """Create the device and its `asset.retired` event, or return the device this request created before."""
    req = cmd.request
    donor = await repo.org_by_slug(uow.conn, req.donor)
    if donor is None:
        raise InvalidInput("donor.unknown", donor=req.donor)
    if donor["kind"] not in DONOR_KINDS:
        raise InvalidInput("donor.not_a_donor", donor=req.donor, kind=donor["kind"])
    existing = await repo.asset_by_request(uow.conn, donor["id"], req.request_id)
    if existing is not None:
        return Retired(str(existing["id"]), existing["code"], created=False)

    asset_id, code, at = new_id(), new_code(), now_ms()
    event = build_event(
        ChainHead(asset_id), "asset.retired",
        RetiredPayload(request=req, code=code, pays_code=donor["pays_code"]),
        cmd.actor.as_dict(), occurred_at=at,
    )
    specs = req.specs.model_dump(mode="json", exclude_none=True) if req.specs else None
    values = (
        asset_id, code, donor["id"], req.request_id, req.category.value, req.brand, req.model, req.serial,
        req.inventory_number, req.year, req.condition.value, req.has_storage, req.site, specs, req.weight_kg,
        req.unit_value_eur, req.notes, donor["pays_code"], event["hash"], at,
    )
    try:
        # A savepoint, so that a refused device leaves the rest of a batch untouched.
        async with uow.conn.transaction():
            if not await repo.insert_asset(uow.conn, values):
                # Lost a race against the same request in another transaction: it exists now.
                again = await repo.asset_by_request(uow.conn, donor["id"], req.request_id)
                assert again is not None
                return Retired(str(again["id"]), again["code"], created=False)
            await append_events(uow.conn, [event])
    except asyncpg.UniqueViolationError as exc:
        if "serial" in (exc.constraint_name or ""):
            raise Conflict("device.duplicate_serial", serial=req.serial) from exc
        raise
    return Retired(asset_id, code, created=True)
