"""What the matcher does with a batch of lifecycle records: one transaction per batch, like the router.

`asset.refurbished` (a device ready for a second life) and `asset.reservation_released` (a device free again)
are proposed to the best open need that fits (`handlers/match.py`). The batch's event ids go into `inbox`
(consumer "matcher") in the same transaction as the proposals, so a redelivered event does nothing; the
proposals are unique per device and need besides, and a device with an open proposal is left alone, so the
reconciler (`handlers/match.reconcile_matching`) and a second matcher never propose twice either.
"""

from __future__ import annotations

import json

import asyncpg

from events.records import Record
from marketplace.adapters import bulk
from marketplace.adapters.dead_letters import record_dead_letter
from marketplace.consumers.batches import BatchResult
from marketplace.domain.chain import now_ms
from marketplace.handlers import match_settings
from marketplace.handlers.match import propose_device
from marketplace.unit_of_work import UnitOfWork

MATCHER_CONSUMER = "matcher"
MATCHED_TYPES = frozenset({"asset.refurbished", "asset.reservation_released"})


async def process_lifecycle_for_matching(pool: asyncpg.Pool, records: list[Record]) -> BatchResult:
    result = BatchResult()
    async with UnitOfWork(pool) as uow:
        wanted: dict[str, str] = {}  # event id -> asset id
        for record in records:
            if record.headers.get("type") not in MATCHED_TYPES:
                continue
            try:
                event = json.loads(record.value)
                wanted[str(event["event_id"])] = str(event["asset_id"])
            except (ValueError, KeyError, TypeError) as exc:
                await record_dead_letter(uow.conn, record, f"unreadable lifecycle event: {exc}", MATCHER_CONSUMER)
                result.dead_letters.append(str(exc))
        if not wanted:
            return result
        first_time = await bulk.record_inbox(uow.conn, MATCHER_CONSUMER, list(wanted))
        result.duplicates = len(wanted) - len(first_time)
        policy, at = await match_settings.policy(uow.conn), now_ms()
        # In id order, so two matchers never wait on each other's devices in a cycle.
        for asset_id in sorted({wanted[e] for e in first_time}):
            result.done += await propose_device(uow.conn, asset_id, policy, at) is not None
    return result

