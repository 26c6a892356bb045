"""Deliveries to a tiers-lieu (several reservations at once) for the UI: each call looks the caller up again."""

from __future__ import annotations

from pydantic import ValidationError

from marketplace.adapters import delivery_queries as q
from marketplace.domain.codes import format_code
from marketplace.domain.errors import CountedRefusal, InvalidInput, NotFound
from marketplace.handlers import deliveries as h
from marketplace.services.base import ServiceBase, actor_of
from marketplace.unit_of_work import UnitOfWork
from schemas.actions import DeliverInput
from schemas.pickups import DeliveryView, PickupCode, PickupCollected, PickupDevice


class DeliveryServices(ServiceBase):
    async def my_deliveries(self, token: str | None) -> list[DeliveryView]:
        """The deliveries the caller's workshop owes, or its tiers-lieu awaits."""
        user = await self._require(token)
        if user.role not in h.GIVER_ROLES | h.RECEIVER_ROLES:
            return []
        async with self.pool.acquire() as conn:
            rows = await q.groups(conn, user.org_slug)
        side = "giver" if user.role in h.GIVER_ROLES else "receiver"
        return [DeliveryView(side=side, giver=r["giver"], giver_name=r["giver_name"], receiver=r["receiver"],
                             receiver_name=r["receiver_name"], expected=int(r["expected"]),
                             first_hold_ends=r["first_hold_ends"])
                for r in rows if (r["giver"] if side == "giver" else r["receiver"]) == user.org_slug]

    async def delivery(self, token: str | None, other: str) -> DeliveryView:
        user = await self._require(token)
        who = h.parties_with(actor_of(user), other)
        mine = [d for d in await self.my_deliveries(token) if (d.receiver if who.side == "giver" else d.giver) == other]
        if not mine:
            raise NotFound("delivery.not_found")
        async with self.pool.acquire() as conn:
            rows = await h.expected(conn, who)
        devices = tuple(PickupDevice(code=format_code(r["code"]), category=r["category"], brand=r["brand"],
                                     model=r["model"], serial=r["serial"], status="expected") for r in rows)
        return mine[0].model_copy(update={"devices": devices})

    async def show_delivery_code(self, token: str | None, other: str) -> PickupCode:
        user = await self._require(token)
        async with UnitOfWork(self.pool) as uow:
            shown = await h.show_delivery_code(uow, actor_of(user), other, user.id)
        return PickupCode(code=shown.code, receiver=shown.receiver, expires_at=shown.expires_at)

    async def deliver_scanned(self, token: str | None, other: str, codes: list[str], beneficiary_category: str,
                              handover_code: str | None = None) -> PickupCollected:
        """The scanning session's end: every scanned device delivered in one transaction, or none."""
        user = await self._require(token)
        try:
            data = DeliverInput.model_validate({"beneficiary_category": beneficiary_category})
        except ValidationError as exc:
            raise InvalidInput(detail=f"beneficiary_category: {beneficiary_category[:40]!r} inconnue") from exc
        counted: CountedRefusal | None = None
        done: h.Delivered | None = None
        async with UnitOfWork(self.pool) as uow:
            try:
                done = await h.deliver_scanned(uow, actor_of(user), other, user.id, codes, data, handover_code)
            except CountedRefusal as refused:
                counted = refused  # commit the wrong try it counted (nothing else was written), then refuse
        if counted is not None:
            raise counted
        assert done is not None
        return PickupCollected(collected=tuple(format_code(c) for c in done.delivered),
                               missing=tuple(format_code(c) for c in done.missing))
