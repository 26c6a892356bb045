"""Pickups for the UI and the API: each call looks the caller up again, and the handlers check the side."""

from __future__ import annotations

from datetime import date

import asyncpg

from marketplace.adapters import pickup_queries as q
from marketplace.domain.codes import format_code
from marketplace.domain.errors import CountedRefusal, InvalidInput
from marketplace.domain.pickups import lapses_at, side_of
from marketplace.handlers import pickups as h
from marketplace.services.base import ServiceBase, actor_of
from marketplace.unit_of_work import UnitOfWork
from schemas.pickups import PickupCode, PickupCollected, PickupDevice, PickupView


def _status(row: asyncpg.Record) -> str:
    """expected (still to collect), collected (the claimer holds it), or gone (the claim lapsed)."""
    if row["expected"]:
        return "expected"
    return "collected" if row["with_claimer"] else "gone"


class PickupServices(ServiceBase):
    def _view(self, row: asyncpg.Record, org: str, expected: int,
              devices: tuple[PickupDevice, ...] = ()) -> PickupView:
        facts = h.facts_of(row)
        side = side_of(facts, org)
        return PickupView(id=row["id"], side=side.value if side else "", donor=row["donor"],
                          donor_name=row["donor_name"], claimer=row["claimer"], claimer_name=row["claimer_name"],
                          site=row["site"], proposed_on=row["proposed_on"], proposed_by=row["proposed_by"],
                          agreed=row["agreed"], lapses_at=lapses_at(facts, self.settings.pickup_deadline_hours),
                          open=facts.open, expected=expected, devices=devices)

    async def my_pickups(self, token: str | None) -> list[PickupView]:
        """The open pickups the caller's organisation takes part in, on the side its role works."""
        user = await self._require(token)
        actor = actor_of(user)
        async with self.pool.acquire() as conn:
            rows = await q.of_org(conn, user.org_slug)
        views = []
        for row in rows:
            side = side_of(h.facts_of(row), user.org_slug)
            if side is not None and actor.role in h.ROLES_OF_SIDE[side] and row["expected"] > 0:
                views.append(self._view(row, user.org_slug, int(row["expected"])))
        return views

    async def pickup(self, token: str | None, pickup_id: str) -> PickupView:
        """One pickup with its devices, for its two parties only."""
        user = await self._require(token)
        async with UnitOfWork(self.pool) as uow:
            row, _, _ = await h.open_pickup(uow.conn, pickup_id, actor_of(user))
            devices = await q.devices(uow.conn, pickup_id)
        items = tuple(PickupDevice(code=format_code(d["code"]), category=d["category"], brand=d["brand"],
                                   model=d["model"], serial=d["serial"], status=_status(d)) for d in devices)
        return self._view(row, user.org_slug, sum(1 for d in devices if d["expected"]), items)

    async def propose_pickup_date(self, token: str | None, pickup_id: str, day: str) -> None:
        user = await self._require(token)
        try:
            chosen = date.fromisoformat(day.strip())
        except ValueError as exc:
            raise InvalidInput(detail=f"date: {day[:20]!r} n'est pas une date (AAAA-MM-JJ)") from exc
        async with UnitOfWork(self.pool) as uow:
            await h.propose_date(uow, pickup_id, actor_of(user), chosen)

    async def accept_pickup_date(self, token: str | None, pickup_id: str) -> None:
        user = await self._require(token)
        async with UnitOfWork(self.pool) as uow:
            await h.accept_date(uow, pickup_id, actor_of(user))

    async def show_pickup_code(self, token: str | None, pickup_id: str) -> PickupCode:
        user = await self._require(token)
        async with UnitOfWork(self.pool) as uow:
            shown = await h.show_pickup_code(uow, pickup_id, actor_of(user), user.id)
        return PickupCode(code=shown.code, receiver=shown.receiver, expires_at=shown.expires_at)

    async def collect_pickup(self, token: str | None, pickup_id: str, codes: list[str],
                             handover_code: str | None = None) -> PickupCollected:
        """The scanning session's end: every scanned device collected in one transaction, or none."""
        user = await self._require(token)
        counted: CountedRefusal | None = None
        done: h.Collected | None = None
        async with UnitOfWork(self.pool) as uow:
            try:
                done = await h.collect_pickup(uow, pickup_id, actor_of(user), user.id, codes, handover_code)
            except CountedRefusal as refused:
                counted = refused  # commit the wrong try it counted (nothing else was written), then refuse
        if counted is not None:
            raise counted
        assert done is not None
        return PickupCollected(collected=tuple(format_code(c) for c in done.collected),
                               missing=tuple(format_code(c) for c in done.missing))
