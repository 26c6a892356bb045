"""What the workers do with a batch of records, one transaction per batch (workers stay thin).

Each batch commits as a whole before the worker commits its Kafka offsets. A bad message becomes a
dead letter inside the same transaction (so it is recorded exactly once with the batch); an
unexpected failure (the database going away) rolls the batch back and the worker redelivers it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import asyncpg
from pydantic import ValidationError

from events.records import Record
from marketplace.adapters import bulk
from marketplace.adapters.dead_letters import record_dead_letter
from marketplace.commands import Actor, RetireDevice, RouteDevice
from marketplace.domain.errors import DomainError
from marketplace.handlers.retire_batch import retire_devices
from marketplace.handlers.route import load_candidates, rules_from_settings
from marketplace.handlers.route_batch import route_devices
from marketplace.routing_settings import effective_settings
from marketplace.settings import Settings
from marketplace.unit_of_work import UnitOfWork
from schemas.common import is_valid_unicode
from schemas.intake import RetirementRequest

INTAKE_CONSUMER = "intake"
ROUTER_CONSUMER = "router"


@dataclass
class BatchResult:
    done: int = 0
    duplicates: int = 0
    dead_letters: list[str] = field(default_factory=list)


def describe_validation_error(exc: ValidationError) -> str:
    """One line naming each field at fault and why."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "message"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def parse_retirement(record: Record) -> RetirementRequest:
    try:
        data = json.loads(record.value.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DomainError("input.invalid", detail=f"message is not UTF-8 ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise DomainError("input.invalid", detail=f"message is not JSON: {exc.msg} at line {exc.lineno}") from exc
    if not isinstance(data, dict):
        raise DomainError("input.invalid", detail="message must be a JSON object")
    if where := _unpaired_surrogate(data, ""):
        raise DomainError("input.invalid", detail=f"{where}: text is not valid Unicode (an unpaired surrogate escape)")
    try:
        return RetirementRequest.model_validate(data)
    except ValidationError as exc:
        raise DomainError("input.invalid", detail=describe_validation_error(exc)) from exc


def _unpaired_surrogate(value: Any, path: str) -> str | None:
    """Where a JSON `\\ud800`-style escape left text that no UTF-8 store can hold (a key is named escaped)."""
    if isinstance(value, str):
        return None if is_valid_unicode(value) else (path or "message")
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            name = key if is_valid_unicode(key) else json.dumps(key)[1:-1]
            where = f"{path}.{name}" if path else name
            if name != key:
                return where
            items.append((where, item))
    elif isinstance(value, list):
        items = [(f"{path}.{i}" if path else str(i), item) for i, item in enumerate(value)]
    for where, item in items:
        if found := _unpaired_surrogate(item, where):
            return found
    return None


async def process_retirements(pool: asyncpg.Pool, records: list[Record]) -> BatchResult:
    result = BatchResult()
    async with UnitOfWork(pool) as uow:
        parsed: list[tuple[Record, RetireDevice]] = []
        for record in records:
            try:
                request = parse_retirement(record)
            except DomainError as exc:
                await record_dead_letter(uow.conn, record, str(exc), INTAKE_CONSUMER)
                result.dead_letters.append(str(exc))
                continue
            parsed.append((record, RetireDevice(request, Actor(org=request.donor, system="intake"))))
        outcomes = await retire_devices([cmd for _, cmd in parsed], uow)
        for (record, _), outcome in zip(parsed, outcomes, strict=True):
            if outcome.error is not None:
                await record_dead_letter(uow.conn, record, str(outcome.error), INTAKE_CONSUMER)
                result.dead_letters.append(str(outcome.error))
            elif outcome.created:
                result.done += 1
            else:
                result.duplicates += 1
    return result


ROUTED_TYPES = frozenset({"asset.retired", "asset.offers_expired"})


async def process_lifecycle_for_routing(pool: asyncpg.Pool, records: list[Record], base: Settings) -> BatchResult:
    """Route devices that were just retired, or whose round of offers ended (next round, wider territory,
    decliners and no-shows excluded). Past the last round, the device waits on the admins' unclaimed list."""
    result = BatchResult()
    async with UnitOfWork(pool) as uow:
        settings = await effective_settings(uow.conn, base)
        rules = rules_from_settings(settings)
        wanted: list[tuple[dict[str, Any], str]] = []
        for record in records:
            event_type = record.headers.get("type")
            if event_type not in ROUTED_TYPES:
                continue
            try:
                event = json.loads(record.value)
                wanted.append(({"event_id": str(event["event_id"]), "asset_id": str(event["asset_id"]),
                                "correlation_id": event.get("correlation_id"),
                                "next_round": int(event["payload"].get("next_round", 1))}, event_type or ""))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                await record_dead_letter(uow.conn, record, f"unreadable lifecycle event: {exc}", ROUTER_CONSUMER)
                result.dead_letters.append(str(exc))
        if not wanted:
            return result
        first_time = await bulk.record_inbox(uow.conn, ROUTER_CONSUMER, [e["event_id"] for e, _ in wanted])
        result.duplicates = len(wanted) - len(first_time)
        fresh = [(e, t) for e, t in wanted if e["event_id"] in first_time]
        # An ended round past the last one: the device waits on the unclaimed list for an admin.
        fresh = [(e, t) for e, t in fresh if t != "asset.offers_expired" or e["next_round"] <= settings.routing_max_rounds]
        if not fresh:
            return result
        excluded = await bulk.exclusions(uow.conn, [e["asset_id"] for e, t in fresh if t == "asset.offers_expired"])
        cmds = [RouteDevice(e["asset_id"], causation_id=e["event_id"], correlation_id=e["correlation_id"],
                            exclude=excluded.get(e["asset_id"], frozenset())) for e, _ in fresh]
        candidates = await load_candidates(uow, rules)
        routed = await route_devices(cmds, uow, candidates, replace(rules, k=settings.routing_k),
                                     timedelta(hours=settings.offer_ttl_hours), settings.routing_max_rounds)
        result.done = routed.offered
    return result
