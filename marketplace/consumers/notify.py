"""What the notifier does with a batch of lifecycle records: one transaction per batch, like the router.

The batch's event ids go into `inbox` (consumer "notifier") with its pending notifications, so an event
delivered again adds nothing; the pending rows are unique per person, kind and cause besides. Offers
become "new offers" for the offered organisations' people (folded into one e-mail per person by the
mailer), a lapsed claim tells the claimer and the donor, an admin's cancellation tells the tiers-lieu.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from events.records import Record
from marketplace.adapters import bulk
from marketplace.adapters import notification_queries as q
from marketplace.adapters import notifier_reconcile as rq
from marketplace.adapters.dead_letters import record_dead_letter
from marketplace.consumers.batches import BatchResult
from marketplace.domain.chain import iso_ms
from marketplace.notifications import kinds as k
from marketplace.notifications.pending import Fact, device_fact, iso, notify_orgs
from marketplace.unit_of_work import UnitOfWork

NOTIFIER_CONSUMER = "notifier"
_INSTANT = timedelta(microseconds=1)
NOTIFIED_TYPES = frozenset({"asset.offered", "asset.claim_lapsed", "asset.reservation_released", "asset.delivered",
                            "asset.recycled"})


async def _offers(conn: asyncpg.Connection, events: list[dict[str, Any]]) -> int:
    ids = [o["offer_id"] for e in events for o in e["payload"]["offers"]]
    facts: list[Fact] = [(r["org_id"], f"offer:{r['offer_id']}",
                          device_fact(r, km=r["km"], at=iso(r["expires_at"])))
                         for r in await q.offer_facts(conn, ids)]
    return await notify_orgs(conn, k.OFFERS_NEW, facts)


async def _lapses(conn: asyncpg.Connection, events: list[dict[str, Any]]) -> int:
    facts: list[Fact] = []
    for r in await q.offer_facts(conn, [e["payload"]["offer_id"] for e in events]):
        cause = f"lapse:{r['offer_id']}"
        facts.append((r["org_id"], cause, device_fact(r, party=r["donor"])))
        facts.append((r["donor_org_id"], cause, device_fact(r, party=r["claimer"])))
    return await notify_orgs(conn, k.CLAIM_LAPSED, facts)


async def _cancellations(conn: asyncpg.Connection, events: list[dict[str, Any]]) -> int:
    # A tiers-lieu that cancelled its own reservation knows it; it is told when an admin did.
    ids = [e["payload"]["reservation_id"] for e in events
           if e["payload"].get("why") == "cancelled" and e["payload"].get("cancelled_by") == "admin"]
    facts: list[Fact] = [(r["org_id"], f"cancel:{r['reservation_id']}", device_fact(r))
                         for r in await q.reservation_facts(conn, ids)]
    return await notify_orgs(conn, k.RESERVATION_CANCELLED, facts)


async def _second_lives(conn: asyncpg.Connection, events: list[dict[str, Any]]) -> int:
    """A donor's device delivered to its second life, or recycled: for the donor's (weekly) summary."""
    by_asset = {e["asset_id"]: e for e in events}
    facts: list[Fact] = []
    for r in await q.facts(conn, q.DEVICE_FACTS, list(by_asset)):
        e = by_asset[r["asset_id"]]
        line = "delivered" if e["type"] == "asset.delivered" else "recycled"
        party = e["payload"].get("to") or e["payload"].get("recycler") or ""
        facts.append((r["donor_org_id"], f"second_life:{e['event_id']}",
                      device_fact(r, line=line, party=party, at=e.get("occurred_at"))))
    return await notify_orgs(conn, k.SECOND_LIFE, facts)


HANDLERS = {"asset.offered": _offers, "asset.claim_lapsed": _lapses, "asset.reservation_released": _cancellations,
            "asset.delivered": _second_lives, "asset.recycled": _second_lives}


async def _handle(conn: asyncpg.Connection, wanted: list[dict[str, Any]], result: BatchResult) -> None:
    """Record the events in the inbox and notify those seen for the first time (the consumer and the reconciler)."""
    first_time = await bulk.record_inbox(conn, NOTIFIER_CONSUMER, [e["event_id"] for e in wanted])
    result.duplicates += len(wanted) - len(first_time)
    for event_type, handle in HANDLERS.items():
        fresh = [e for e in wanted if e["event_id"] in first_time and e["type"] == event_type]
        if fresh:
            result.done += await handle(conn, fresh)


async def process_lifecycle_for_notifications(pool: asyncpg.Pool, records: list[Record]) -> BatchResult:
    result = BatchResult()
    async with UnitOfWork(pool) as uow:
        wanted: list[dict[str, Any]] = []
        for record in records:
            if record.headers.get("type") not in NOTIFIED_TYPES:
                continue
            try:
                event = json.loads(record.value)
                wanted.append({"event_id": str(event["event_id"]), "type": record.headers["type"],
                               "asset_id": str(event.get("asset_id")), "occurred_at": event.get("occurred_at"),
                               "payload": dict(event["payload"])})
            except (ValueError, KeyError, TypeError) as exc:
                await record_dead_letter(uow.conn, record, f"unreadable lifecycle event: {exc}", NOTIFIER_CONSUMER)
                result.dead_letters.append(str(exc))
        if wanted:
            await _handle(uow.conn, wanted, result)
    return result


async def reconcile_notifications(pool: asyncpg.Pool, grace: timedelta, limit: int = 500) -> BatchResult:
    """Notify the events the consumer never got (a broker that lost its messages), once they are `grace` old.

    PostgreSQL holds every event, so the reconciler reads `asset_events` past its mark, in time order, and hands
    the ones missing from the notifier's inbox to the same handlers in one transaction; the mark moves with it.
    An event the consumer is only late with is recorded by whichever comes first: the inbox makes the other one
    change nothing. `grace` leaves the consumer its chance and covers transactions that commit a little after
    their events' time.
    """
    result = BatchResult()
    types = sorted(NOTIFIED_TYPES)
    async with UnitOfWork(pool) as uow:
        mark = await rq.locked_mark(uow.conn, NOTIFIER_CONSUMER)
        if mark is None:
            return result
        until = datetime.now(UTC) - grace
        if until <= mark:
            return result
        rows = await rq.unseen_events(uow.conn, types, mark, until, NOTIFIER_CONSUMER, limit)
        wanted = [{"event_id": r["event_id"], "type": r["type"], "asset_id": r["asset_id"],
                   "occurred_at": iso_ms(r["occurred_at"]),
                   "payload": json.loads(r["payload"]) if isinstance(r["payload"], str) else dict(r["payload"])}
                  for r in rows]
        if wanted:
            await _handle(uow.conn, wanted, result)
        # Cut at `limit`: the mark stops just before the last event's instant (a router's batch shares one), so
        # the rest of that instant is read next time; what was recorded now is skipped then, so each pass moves on.
        cut = len(rows) == limit
        await rq.move_mark(uow.conn, NOTIFIER_CONSUMER, rows[-1]["occurred_at"] - _INSTANT if cut else until)
    return result
