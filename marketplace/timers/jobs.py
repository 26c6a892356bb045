"""The jobs that keep devices moving when people don't: expiries, no-shows, held reservations, and the
reconciler for devices left waiting (e.g. when the broker lost the message that would have routed them).

Each device is handled in its own short transaction, locked with SKIP LOCKED: a failure on one device
never blocks the others, several timer processes can run side by side, and every effect is an event.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import asyncpg

from marketplace.adapters import timer_queries as q
from marketplace.adapters.lifecycle_store import update_projection
from marketplace.commands import RouteDevice
from marketplace.domain.chain import now_ms
from marketplace.handlers.chain_writer import Step, system_actor, write_events
from marketplace.handlers.route import route_device
from marketplace.settings import Settings
from marketplace.unit_of_work import UnitOfWork
from schemas import payloads as pl

log = logging.getLogger("seconde_vie.timers")
TIMER = system_actor("timer")


@dataclass
class TickReport:
    offers_expired: int = 0
    claims_lapsed: int = 0
    holds_expired: int = 0
    reconciled: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def acted(self) -> int:
        return self.offers_expired + self.claims_lapsed + self.holds_expired + self.reconciled


async def expire_offers(uow: UnitOfWork, asset_id: str, at: datetime) -> bool:
    """Close the device's expired offers; when none is left open, send it back to routing."""
    row = await q.lock_asset(uow.conn, asset_id)
    if row is None or row["state"] != "offered":
        return False
    expired = await q.expire_open_offers(uow.conn, asset_id, at)
    if not expired or await q.count_open_offers(uow.conn, asset_id) > 0:
        return bool(expired)
    declined = await q.decliners_of_round(uow.conn, asset_id, row["routing_round"])
    payload = pl.OffersExpiredPayload(expired_offers=expired, declined_by=declined,
                                      next_round=row["routing_round"] + 1)
    await write_events(uow.conn, row, [("asset.offers_expired", payload, TIMER)], at)
    return True


async def lapse_claim(uow: UnitOfWork, asset_id: str, at: datetime) -> bool:
    """A claim not collected in time: a no-show for the claimer, and the device goes back to routing."""
    row = await q.lock_asset(uow.conn, asset_id)
    if row is None or row["state"] != "claimed":
        return False
    offer = await q.mark_no_show(uow.conn, asset_id, at)
    if offer is None:
        return False
    steps: list[Step] = [
        ("asset.claim_lapsed", pl.ClaimLapsedPayload(offer_id=str(offer["id"]), claimer=offer["slug"],
                                                     reason="enlèvement non confirmé dans le délai"), TIMER),
        ("asset.offers_expired", pl.OffersExpiredPayload(expired_offers=[], next_round=row["routing_round"] + 1),
         TIMER),
    ]
    await write_events(uow.conn, row, steps, at)
    await update_projection(uow.conn, asset_id, {"claimer": None})
    return True


async def expire_hold(uow: UnitOfWork, asset_id: str, at: datetime) -> bool:
    row = await q.lock_asset(uow.conn, asset_id)
    if row is None or row["state"] != "reserved":
        return False
    reservation = await q.expire_hold(uow.conn, asset_id, at)
    if reservation is None:
        return False
    payload = pl.ReservationReleasedPayload(reservation_id=reservation, why="expired")
    await write_events(uow.conn, row, [("asset.reservation_released", payload, TIMER)], at)
    return True


class Timers:
    def __init__(self, pool: asyncpg.Pool, settings: Settings) -> None:
        self.pool = pool
        self.settings = settings

    async def tick(self, batch: int = 200) -> TickReport:
        """One pass over every kind of due deadline, then the reconciler."""
        s, at, report = self.settings, now_ms(), TickReport()
        pickup = at - timedelta(hours=s.pickup_deadline_hours)
        stale = at - timedelta(seconds=s.reconcile_after_seconds)
        jobs: list[tuple[str, str, tuple[object, ...], Callable[[UnitOfWork, str, datetime], Awaitable[bool]]]] = [
            ("offers_expired", q.DUE_OFFER_EXPIRIES, (at, batch), expire_offers),
            ("claims_lapsed", q.DUE_CLAIM_LAPSES, (pickup, batch, at), lapse_claim),
            ("holds_expired", q.DUE_HOLD_EXPIRIES, (at, batch), expire_hold),
            ("reconciled", q.STUCK_RETIRED, (stale, s.routing_max_rounds, batch), self.reconcile),
        ]
        for counter, sql, args, job in jobs:
            async with self.pool.acquire() as conn:
                due = await q.due(conn, sql, *args)
            for asset_id in due:
                try:
                    async with UnitOfWork(self.pool) as uow:
                        if await job(uow, asset_id, at):
                            setattr(report, counter, getattr(report, counter) + 1)
                except Exception as exc:
                    log.exception("timer job %s failed for %s", counter, asset_id)
                    report.errors.append(f"{counter} {asset_id}: {exc}")
        return report

    async def reconcile(self, uow: UnitOfWork, asset_id: str, at: datetime) -> bool:
        """Route a device left `retired` for too long, as the router would have (its message may be lost)."""
        row = await q.lock_asset(uow.conn, asset_id)
        if row is None or row["state"] != "retired":
            return False
        await q.mark_reconciled(uow.conn, asset_id, at)
        exclude = await q.excluded_from_routing(uow.conn, asset_id)
        cmd = RouteDevice(asset_id, exclude=exclude, actor_system="reconciler")
        routed = await route_device(cmd, uow, self.settings.routing_k,
                                    timedelta(hours=self.settings.offer_ttl_hours), settings=self.settings,
                                    last_round=self.settings.routing_max_rounds)
        return routed.offers > 0
