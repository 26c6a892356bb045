"""Needs and proposals (issue 21): tiers-lieux and associations post needs, the matcher proposes devices to them.

Every call looks the caller up again (`ServiceBase`). Who may do what:
- post, edit, pause, resume, cancel a need: a tiers-lieu or an association, for its own organisation only;
- read needs: the Région's admins every one; the poster its own; refurbishers (workshops) those of their
  territory (pays sharing a department with theirs), to know what to put on the bench first;
- accept or decline a proposal: the organisation whose need it is. Accepting reserves the device through the
  same reserve action as the catalogue (hold, limit, the `asset.reserved` event).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg

from marketplace.adapters import need_queries as q
from marketplace.domain.chain import now_ms
from marketplace.domain.codes import format_code
from marketplace.domain.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from marketplace.domain.ids import new_id
from marketplace.domain.needs import (
    NeedAction,
    NeedSpec,
    NeedStatus,
    check_spec,
    may_post,
    next_status,
    status_of,
)
from marketplace.domain.permissions import Action, ActorFacts
from marketplace.domain.reasons import from_json
from marketplace.handlers import match_settings
from marketplace.handlers.actions import PerformAction, perform_action
from marketplace.handlers.effects import ActionLimits
from marketplace.handlers.match import propose_device, withdraw_and_repropose
from marketplace.services.base import ServiceBase
from marketplace.services.forms import validate
from marketplace.unit_of_work import UnitOfWork
from schemas.actions import ReserveInput
from schemas.needs import (
    AcceptProposalInput,
    DeclineProposalInput,
    NeedInput,
    NeedView,
    ProposalView,
    ReasonView,
)
from schemas.views import UserView

WORKSHOP_ROLES = frozenset({"refurbisher", "maker"})
STATUSES = frozenset(s.value for s in NeedStatus)


def _uuid(value: str, missing: str) -> str:
    """An id from the client, as PostgreSQL's uuid: anything else is simply not found (never a database error)."""
    try:
        return str(uuid.UUID(str(value)[:64]))
    except ValueError as exc:
        raise NotFound(missing) from exc


def person(user: UserView) -> str | None:
    """The person's id for the columns that name who did it; None for an API token (its id is no person's:
    the event's actor still names the token)."""
    try:
        uuid.UUID(user.id)
    except ValueError:
        return None
    return user.id


def _spec(data: NeedInput) -> dict[str, Any]:
    return {"category": data.category.value, "quantity": data.quantity, "min_ram_gb": data.min_ram_gb,
            "min_storage_gb": data.min_storage_gb, "min_screen_in": data.min_screen_in,
            "grades": sorted(set(data.grades)), "needed_by": data.needed_by,
            "beneficiary_category": data.beneficiary_category, "adapted": sorted(set(data.adapted))}


def _domain_spec(data: NeedInput) -> NeedSpec:
    return NeedSpec(category=data.category.value, quantity=data.quantity, grades=frozenset(data.grades),
                    beneficiary_category=data.beneficiary_category, min_ram_gb=data.min_ram_gb,
                    min_storage_gb=data.min_storage_gb, min_screen_in=data.min_screen_in, needed_by=data.needed_by,
                    adapted=frozenset(data.adapted))


def need_view(r: asyncpg.Record, today: Any) -> NeedView:
    return NeedView(id=str(r["id"]), org=r["org"], org_name=r["org_name"], pays_code=r["pays_code"],
                    category=r["category"], quantity=r["quantity"], met_count=r["met_count"],
                    proposed_count=r["proposed_count"], min_ram_gb=r["min_ram_gb"], min_storage_gb=r["min_storage_gb"],
                    min_screen_in=r["min_screen_in"], grades=list(r["grades"]), needed_by=r["needed_by"],
                    beneficiary_category=r["beneficiary_category"], adapted=list(r["adapted"]),
                    status=status_of(r["status"], r["needed_by"], today).value, created_at=r["created_at"],
                    updated_at=r["updated_at"], met_at=r["met_at"])


def proposal_view(r: asyncpg.Record, lang: str) -> ProposalView:
    reasons = [ReasonView(code=x.code, params=x.params, text=x.text(lang))
               for x in (from_json(v) for v in r["reason_codes"]) if x is not None]
    return ProposalView(id=str(r["id"]), need_id=str(r["need_id"]), device_code=format_code(r["code"]),
                        category=r["category"], brand=r["brand"], model=r["model"], grade=r["grade"],
                        status=r["status"], reasons=reasons, created_at=r["created_at"])


def _today() -> Any:
    return datetime.now(UTC).date()


class NeedServices(ServiceBase):
    async def _poster(self, token: str | None) -> UserView:
        user = await self._require(token)
        may_post(user.org_kind)
        return user

    async def post_need(self, token: str | None, data: dict[str, Any]) -> NeedView:
        return await self.post_need_as(await self._poster(token), data)

    async def post_need_as(self, user: UserView, data: dict[str, Any]) -> NeedView:
        may_post(user.org_kind)
        parsed = validate(NeedInput, data)
        check_spec(_domain_spec(parsed), _today())
        need_id, at = new_id(), now_ms()
        async with UnitOfWork(self.pool) as uow:
            await q.insert_need(uow.conn, need_id, user.org_slug, _spec(parsed), person(user), at)
            row = await q.need(uow.conn, need_id)
        assert row is not None
        return need_view(row, _today())

    async def _own_need(self, uow: UnitOfWork, user: UserView, need_id: str) -> asyncpg.Record:
        row = await q.lock_need(uow.conn, _uuid(need_id, "need.not_found"))
        if row is None:
            raise NotFound("need.not_found")
        if row["org"] != user.org_slug:
            raise Forbidden("need.not_yours")
        return row

    async def edit_need(self, token: str | None, need_id: str, data: dict[str, Any]) -> NeedView:
        return await self.edit_need_as(await self._poster(token), need_id, data)

    async def edit_need_as(self, user: UserView, need_id: str, data: dict[str, Any]) -> NeedView:
        may_post(user.org_kind)
        parsed = validate(NeedInput, data)
        at = now_ms()
        async with UnitOfWork(self.pool) as uow:
            row = await self._own_need(uow, user, need_id)
            next_status(NeedAction.edit, row["status"], row["needed_by"], at.date())
            check_spec(_domain_spec(parsed), at.date(), already_met=row["met_count"])
            await q.update_need(uow.conn, str(row["id"]), _spec(parsed), at)
            # What it asks for changed: the devices proposed under the old terms go to their best need again.
            await withdraw_and_repropose(uow.conn, str(row["id"]), await match_settings.policy(uow.conn), at)
            fresh = await q.need(uow.conn, str(row["id"]))
        assert fresh is not None
        return need_view(fresh, _today())

    async def change_need(self, token: str | None, need_id: str, action: str) -> NeedView:
        return await self.change_need_as(await self._poster(token), need_id, action)

    async def change_need_as(self, user: UserView, need_id: str, action: str) -> NeedView:
        """Pause, resume or cancel one's own need. Pausing or cancelling withdraws its open proposals (each
        device goes to its next need); resuming lets the reconciler propose waiting devices to it again."""
        may_post(user.org_kind)
        if action not in ("pause", "resume", "cancel"):
            raise InvalidInput(detail=f"action: {str(action)[:40]!r} (pause, resume, cancel)")
        at = now_ms()
        async with UnitOfWork(self.pool) as uow:
            row = await self._own_need(uow, user, need_id)
            target = next_status(NeedAction(action), row["status"], row["needed_by"], at.date())
            await q.set_status(uow.conn, str(row["id"]), target.value, at)
            if target is not NeedStatus.open:
                await withdraw_and_repropose(uow.conn, str(row["id"]), await match_settings.policy(uow.conn), at)
            fresh = await q.need(uow.conn, str(row["id"]))
        assert fresh is not None
        return need_view(fresh, _today())

    async def needs(self, token: str | None, status: str | None = None, limit: int = 200) -> list[NeedView]:
        return await self.needs_as(await self._require(token), status, limit)

    async def needs_as(self, user: UserView, status: str | None = None, limit: int = 200) -> list[NeedView]:
        """The needs this caller may read (admins all, a poster its own, workshops their territory's)."""
        if status is not None and status not in STATUSES:
            raise InvalidInput(detail=f"status: {str(status)[:40]!r}")
        stored = None if status is None else (["open", "paused"] if status == "expired" else [status])
        async with self.pool.acquire() as conn:
            rows = await q.visible_needs(conn, user.is_admin, user.org_slug, user.role in WORKSHOP_ROLES,
                                         stored, max(1, min(int(limit), 500)))
        views = [need_view(r, _today()) for r in rows]
        return [v for v in views if status is None or v.status == status]

    async def proposals(self, token: str | None, status: str | None = "open", lang: str = "fr") -> list[ProposalView]:
        return await self.proposals_as(await self._poster(token), status, lang)

    async def proposals_as(self, user: UserView, status: str | None = "open", lang: str = "fr") -> list[ProposalView]:
        may_post(user.org_kind)
        if status is not None and status not in ("open", "accepted", "declined", "withdrawn"):
            raise InvalidInput(detail=f"status: {str(status)[:40]!r}")
        async with self.pool.acquire() as conn:
            rows = await q.proposals_of_org(conn, user.org_slug, status, 200)
        return [proposal_view(r, lang) for r in rows]

    async def _own_open_proposal(self, uow: UnitOfWork, user: UserView, proposal_id: str) -> asyncpg.Record:
        row = await q.lock_proposal(uow.conn, _uuid(proposal_id, "proposal.not_found"))
        if row is None:
            raise NotFound("proposal.not_found")
        if row["org"] != user.org_slug:
            raise Forbidden("need.not_yours")
        if row["status"] != "open":
            raise Conflict("proposal.closed")
        return row

    async def accept_proposal(self, token: str | None, proposal_id: str, data: dict[str, Any] | None = None) -> str:
        return await self.accept_proposal_as(await self._poster(token), proposal_id, data or {})

    async def accept_proposal_as(self, user: UserView, proposal_id: str, data: dict[str, Any]) -> str:
        """Reserve the proposed device (the usual hold); the need counts it. Returns the device's code. A device
        taken meanwhile (reserved from the catalogue, written off) withdraws the proposal and says so."""
        may_post(user.org_kind)
        parsed = validate(AcceptProposalInput, data)
        gone = False
        async with UnitOfWork(self.pool) as uow:
            row = await self._own_open_proposal(uow, user, proposal_id)
            at = now_ms()
            # An association reserves for its own beneficiaries as a tiers-lieu does (the trail names the
            # organisation and the person, never the role).
            actor = ActorFacts(role="third_place", org=user.org_slug, is_admin=False)
            limits = ActionLimits(max_active_reservations=self.settings.max_active_reservations)
            try:
                async with uow.conn.transaction():
                    done = await perform_action(PerformAction(row["code"], Action.reserve, actor, user.id,
                                                              ReserveInput(hold_until=parsed.hold_until), limits), uow)
            except DomainError as exc:
                if exc.message_key != "transition.refused":
                    raise
                gone = True
            if gone:
                await q.close_proposal(uow.conn, str(row["id"]), "withdrawn", at, person(user))
            else:
                reservation = await q.active_reservation(uow.conn, done.asset_id)
                await q.close_proposal(uow.conn, str(row["id"]), "accepted", at, person(user), reservation_id=reservation)
                if await q.count_met(uow.conn, str(row["need_id"]), at) == "met":
                    await withdraw_and_repropose(uow.conn, str(row["need_id"]),
                                                 await match_settings.policy(uow.conn), at)
        if gone:
            raise Conflict("proposal.device_gone")
        return format_code(row["code"])

    async def decline_proposal(self, token: str | None, proposal_id: str, data: dict[str, Any] | None = None) -> bool:
        return await self.decline_proposal_as(await self._poster(token), proposal_id, data or {})

    async def decline_proposal_as(self, user: UserView, proposal_id: str, data: dict[str, Any]) -> bool:
        """Decline; the device goes to the next need that fits it at once. Returns whether it was proposed again."""
        may_post(user.org_kind)
        parsed = validate(DeclineProposalInput, data)
        async with UnitOfWork(self.pool) as uow:
            row = await self._own_open_proposal(uow, user, proposal_id)
            at = now_ms()
            await q.close_proposal(uow.conn, str(row["id"]), "declined", at, person(user), reason=parsed.reason)
            again = await propose_device(uow.conn, str(row["asset_id"]), await match_settings.policy(uow.conn), at)
        return again is not None

    async def matching_settings(self, token: str | None) -> dict[str, Any]:
        await self._require_admin(token)
        async with self.pool.acquire() as conn:
            return match_settings.current(await match_settings.policy(conn))

    async def change_matching_settings(self, token: str | None, changes: dict[str, Any]) -> list[str]:
        user = await self._require_admin(token)
        async with self.pool.acquire() as conn:
            return await match_settings.change(conn, changes, user.id)
