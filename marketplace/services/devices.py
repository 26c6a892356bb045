"""Devices: retire, the lists each role works from, the device page, and every lifecycle action."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg
from pydantic import ValidationError

from marketplace.adapters import party_queries, read_models
from marketplace.adapters.views import device_summary, event_view, event_wire, offer_view
from marketplace.commands import Actor, RetireDevice
from marketplace.domain.codes import normalise_code
from marketplace.domain.device_filters import catalogue_filter, device_list_filter, pays_choices
from marketplace.domain.errors import CountedRefusal, DomainError, Forbidden, InvalidInput, NotFound
from marketplace.domain.hashchain import verify_chain
from marketplace.domain.ids import new_id
from marketplace.domain.permissions import Action, allowed_actions
from marketplace.domain.visibility import READ_ALL_ROLES, sees_private_trail
from marketplace.handlers.actions import PerformAction, load_facts, locate, perform_action
from marketplace.handlers.effects import ActionLimits
from marketplace.handlers.retire import DONOR_KINDS, retire_device
from marketplace.services.base import ServiceBase, actor_of
from marketplace.unit_of_work import UnitOfWork
from schemas.actions import INPUT_OF_ACTION
from schemas.common import storable
from schemas.forms import RetireDeviceForm
from schemas.intake import RetirementRequest
from schemas.views import DevicePage, DeviceSummary, OfferView, ReservationView, UserView

RECIPIENT_ROLES = frozenset({"refurbisher", "maker", "recycler"})


def describe(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}" for e in exc.errors())


class DeviceServices(ServiceBase):
    # --- donors ---------------------------------------------------------------------------------
    async def retire_device(self, token: str | None, form: RetireDeviceForm) -> DeviceSummary:
        user = await self._require(token, frozenset({"asset_manager"}))
        try:
            request = RetirementRequest(request_id=f"ui-{new_id()}", donor=user.org_slug, **form.model_dump())
        except ValidationError as exc:
            raise InvalidInput(detail=describe(exc)) from exc
        async with UnitOfWork(self.pool) as uow:
            retired = await retire_device(RetireDevice(request, Actor(org=user.org_slug, user=user.id)), uow)
            row = await read_models.device_by_id(uow.conn, retired.asset_id)
        assert row is not None
        return device_summary(row)

    async def my_donations(self, token: str | None, limit: int = 50, offset: int = 0) -> list[DeviceSummary]:
        user = await self._require(token, frozenset({"asset_manager"}))
        async with self.pool.acquire() as conn:
            rows = await read_models.donations(conn, user.org_slug, limit, offset)
        return [device_summary(r) for r in rows]

    # --- workshops (associations, fab labs, recyclers) ----------------------------------------------
    async def open_offers(self, token: str | None, limit: int = 100) -> list[OfferView]:
        user = await self._require(token, RECIPIENT_ROLES)
        async with self.pool.acquire() as conn:
            rows = await read_models.open_offers(conn, user.org_slug, limit)
        return [offer_view(r) for r in rows]

    async def claim_offer(self, token: str | None, offer_id: str) -> DeviceSummary:
        """Claim from the offers inbox: the offer must be addressed to the caller's organisation."""
        user = await self._require(token, RECIPIENT_ROLES)
        async with self.pool.acquire() as conn:
            try:
                target = await read_models.offer_target(conn, offer_id)
            except (asyncpg.DataError, ValueError):
                target = None
        if target is None:
            raise DomainError("offer.not_found")
        if target["org"] != user.org_slug:
            raise Forbidden("offer.not_yours")
        return await self.perform(token, target["code"], "claim", {})

    async def my_devices(self, token: str | None, limit: int = 100, offset: int = 0) -> list[DeviceSummary]:
        user = await self._require(token, RECIPIENT_ROLES)
        async with self.pool.acquire() as conn:
            rows = await read_models.workshop_devices(conn, user.org_slug, limit, offset)
        return [device_summary(r) for r in rows]

    async def recyclers(self, token: str | None) -> list[tuple[str, str]]:
        await self._require(token)
        async with self.pool.acquire() as conn:
            return [(r["slug"], r["name"]) for r in await read_models.recyclers(conn)]

    # --- tiers-lieux ----------------------------------------------------------------------------------
    async def catalogue(self, token: str | None, category: str | None = None, grade: str | None = None,
                        pays: str | None = None, min_ram_gb: float | str | None = None, limit: int = 50,
                        offset: int = 0, *, min_storage_gb: float | str | None = None,
                        min_screen_in: float | str | None = None) -> list[DeviceSummary]:
        """Refurbished devices; each filter checked here (`domain.device_filters`), typed text or numbers."""
        await self._require(token, frozenset({"third_place", "auditor"}))
        for value in (category, grade, pays):
            if isinstance(value, str):
                try:
                    storable(value)
                except ValueError as exc:
                    raise InvalidInput(detail=str(exc)) from None
        wanted = catalogue_filter(category, grade, pays, min_ram_gb, min_storage_gb, min_screen_in)
        async with self.pool.acquire() as conn:
            rows = await read_models.catalogue(conn, wanted, max(1, min(limit, 200)), max(0, offset))
        return [device_summary(r) for r in rows]

    async def my_reservations(self, token: str | None) -> list[ReservationView]:
        user = await self._require(token, frozenset({"third_place"}))
        async with self.pool.acquire() as conn:
            rows = await read_models.reservations_of_org(conn, user.org_slug)
        return [ReservationView(device=device_summary(r), hold_until=r["hold_until"]) for r in rows]

    async def my_received(self, token: str | None, limit: int = 100) -> list[DeviceSummary]:
        user = await self._require(token, frozenset({"third_place"}))
        async with self.pool.acquire() as conn:
            rows = await read_models.received_by(conn, user.org_slug, limit)
        return [device_summary(r) for r in rows]

    # --- auditors and admins -----------------------------------------------------------------------
    async def all_devices(self, token: str | None, state: str | None = None, donor: str | None = None,
                          limit: int = 50, offset: int = 0, *, pays: str | None = None,
                          retired_from: date | str | None = None,
                          retired_to: date | str | None = None) -> list[DeviceSummary]:
        """Every device for auditors and admins, by state, donor (slug), pays and date of retirement (from/to,
        both days included, Paris time)."""
        await self._reader_of_all(token)
        wanted = device_list_filter(state, donor, pays, retired_from, retired_to)
        async with self.pool.acquire() as conn:
            rows = await read_models.all_devices(conn, wanted, max(1, min(limit, 200)), max(0, offset))
        return [device_summary(r) for r in rows]

    async def device_list_choices(self, token: str | None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """/appareils' choices: donors (slug, name) and pays (code, name), by name."""
        await self._reader_of_all(token)
        async with self.pool.acquire() as conn:
            donors = await read_models.donor_choices(conn, sorted(DONOR_KINDS))
        return [(r["slug"], r["name"]) for r in donors], pays_choices()

    async def _reader_of_all(self, token: str | None) -> UserView:
        user = await self._require(token)
        if user.role not in READ_ALL_ROLES and not user.is_admin:
            raise Forbidden(needed="auditor / admin", role=user.role)
        return user

    # --- everyone -------------------------------------------------------------------------------------
    async def device_page(self, code: str, token: str | None = None) -> DevicePage:
        """The device page for the session's user (signed out: the public passport)."""
        return await self.device_page_for(code, await self.user_for_session(token))

    async def device_page_for(self, code: str, reader: UserView | None) -> DevicePage:
        """The device page as `reader` may read it (`domain.visibility`): the private trail for the device's
        parties, auditors and admins; for anyone else the public passport a signed-out visitor reads."""
        normalised = normalise_code(code)
        if normalised is None:
            raise NotFound("device.code_malformed", code=code[:40])
        async with self.pool.acquire() as conn:
            row = await read_models.device_by_code(conn, normalised)
            if row is None:
                raise NotFound(code=code[:40])
            asset_id = str(row["id"])
            private = reader is not None and await self._sees_private_trail(conn, asset_id, reader)
            wires = [event_wire(r) for r in await read_models.events_of_device(conn, asset_id)]
            reasons = await read_models.offer_reasons_of_device(conn, asset_id) if private else None
        return DevicePage(
            device=device_summary(row), events=[event_view(w, public=not private, offer_reasons=reasons) for w in wires],
            chain_ok=verify_chain(wires) is None, qr_url=f"{self.settings.public_base_url}/d/{normalised}",
        )

    @staticmethod
    async def _sees_private_trail(conn: asyncpg.Connection, asset_id: str, reader: UserView) -> bool:
        parties = await party_queries.device_parties(conn, asset_id)
        return parties is not None and sees_private_trail(parties, actor_of(reader))

    async def available_actions(self, token: str | None, code: str) -> list[str]:
        """What the signed-in user may do to this device now (nothing when signed out)."""
        user = await self.user_for_session(token)
        return [] if user is None else await self.actions_for(user, code)

    async def actions_for(self, user: UserView, code: str) -> list[str]:
        async with UnitOfWork(self.pool) as uow:
            _, facts = await load_facts(uow, await locate(uow, code))
        return [a.value for a in allowed_actions(facts, actor_of(user))]

    async def perform(self, token: str | None, code: str, action: str, data: dict[str, Any]) -> DeviceSummary:
        """Run one lifecycle action named by the client, with its form data validated here."""
        return await self.perform_as(await self._require(token), code, action, data)

    async def perform_as(self, user: UserView, code: str, action: str, data: dict[str, Any]) -> DeviceSummary:
        """`perform` for a caller already authenticated (a session, or an API token's organisation)."""
        try:
            chosen = Action(action)
        except ValueError as exc:
            raise InvalidInput(detail=f"action: unknown action {action[:40]!r}") from exc
        try:
            parsed = INPUT_OF_ACTION[chosen.value].model_validate(data)
        except ValidationError as exc:
            raise InvalidInput(detail=describe(exc)) from exc
        limits = ActionLimits(max_active_reservations=self.settings.max_active_reservations)
        counted: CountedRefusal | None = None
        async with UnitOfWork(self.pool) as uow:
            try:
                done = await perform_action(PerformAction(code, chosen, actor_of(user), user.id, parsed, limits), uow)
                row = await read_models.device_by_id(uow.conn, done.asset_id)
            except CountedRefusal as refused:
                counted = refused  # commit the wrong try it counted (and nothing else was written), then refuse
        if counted is not None:
            raise counted
        assert row is not None
        return device_summary(row)
