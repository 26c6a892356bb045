"""What the workers do with a batch of records, one transaction per batch (workers stay thin).

Each batch commits as a whole before the worker commits its Kafka offsets. A bad message becomes a
dead letter inside the same transaction (so it is recorded exactly once with the batch); an
unexpected failure (the database going away) rolls the batch back and the worker redelivers it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta

import asyncpg
from pydantic import ValidationError

from events.records import Record
from marketplace.adapters.dead_letters import record_dead_letter
from marketplace.adapters.inbox import PgInbox
from marketplace.adapters.timer_queries import excluded_from_routing
from marketplace.commands import Actor, RetireDevice, RouteDevice
from marketplace.domain.errors import DomainError
from marketplace.handlers.retire import retire_device
from marketplace.handlers.route import load_candidates, route_device, rules_from_settings
from marketplace.routing_settings import effective_settings
from marketplace.settings import Settings
from marketplace.unit_of_work import UnitOfWork
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
    try:
        return RetirementRequest.model_validate(data)
    except ValidationError as exc:
        raise DomainError("input.invalid", detail=describe_validation_error(exc)) from exc


async def process_retirements(pool: asyncpg.Pool, records: list[Record]) -> BatchResult:
    result = BatchResult()
    async with UnitOfWork(pool) as uow:
        for record in records:
            try:
                request = parse_retirement(record)
                actor = Actor(org=request.donor, system="intake")
                retired = await retire_device(RetireDevice(request, actor), uow)
            except DomainError as exc:
                await record_dead_letter(uow.conn, record, str(exc), INTAKE_CONSUMER)
                result.dead_letters.append(str(exc))
                continue
            if retired.created:
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
        ttl = timedelta(hours=settings.offer_ttl_hours)
        inbox = PgInbox(uow.conn)
        candidates = None
        for record in records:
            event_type = record.headers.get("type")
            if event_type not in ROUTED_TYPES:
                continue
            try:
                event = json.loads(record.value)
                event_id, asset_id = str(event["event_id"]), str(event["asset_id"])
            except (ValueError, KeyError, TypeError) as exc:
                await record_dead_letter(uow.conn, record, f"unreadable lifecycle event: {exc}", ROUTER_CONSUMER)
                result.dead_letters.append(str(exc))
                continue
            if not await inbox.first_time(ROUTER_CONSUMER, event_id):
                result.duplicates += 1
                continue
            exclude: frozenset[str] = frozenset()
            if event_type == "asset.offers_expired":
                if int(event["payload"]["next_round"]) > settings.routing_max_rounds:
                    continue  # unclaimed: an admin decides
                exclude = await excluded_from_routing(uow.conn, asset_id)
            if candidates is None:
                candidates = await load_candidates(uow, rules)
            cmd = RouteDevice(asset_id, causation_id=event_id, correlation_id=event.get("correlation_id"),
                              exclude=exclude)
            routed = await route_device(cmd, uow, settings.routing_k, ttl, candidates, rules,
                                        last_round=settings.routing_max_rounds)
            result.done += 1 if routed.offers else 0
    return result
