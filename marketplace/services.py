"""The services facade the UI (and later the REST API) calls in-process.

Every method takes the caller's session token, not a user id: the user, the role and the
organisation are always looked up again on the server, so nothing sent by a browser is trusted.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg

from marketplace.adapters import accounts, read_models
from marketplace.auth import (
    DUMMY_HASH,
    LOCK_MINUTES,
    MAX_FAILED_SIGN_INS,
    new_session_token,
    sign_in_delay_s,
    token_hash,
    verify_password,
)
from marketplace.commands import Actor, ClaimOffer, RetireDevice
from marketplace.domain.codes import normalise_code
from marketplace.domain.errors import AuthenticationFailed, DomainError, Forbidden, NotAuthenticated, NotFound
from marketplace.domain.hashchain import verify_chain
from marketplace.domain.ids import new_id
from marketplace.handlers.claim import claim_offer
from marketplace.handlers.retire import retire_device
from marketplace.settings import Settings
from marketplace.unit_of_work import UnitOfWork
from marketplace.views import device_summary, event_view, event_wire, offer_view, user_view
from schemas.forms import RetireDeviceForm
from schemas.intake import RetirementRequest
from schemas.views import DevicePage, DeviceSummary, OfferView, UserView

CLAIMING_ROLES = frozenset({"refurbisher", "maker", "recycler"})


class SignedIn:
    def __init__(self, token: str, user: UserView) -> None:
        self.token = token
        self.user = user


class Marketplace:
    def __init__(self, pool: asyncpg.Pool, settings: Settings) -> None:
        self.pool = pool
        self.settings = settings

    # --- accounts -------------------------------------------------------------------------------
    async def sign_in(self, email: str, password: str) -> SignedIn:
        async with self.pool.acquire() as conn:
            row = await accounts.user_by_email(conn, email.strip())
            if row is None:
                verify_password(DUMMY_HASH, password)
                raise AuthenticationFailed()
            if row["locked_until"] is not None and row["locked_until"] > datetime.now(UTC):
                raise AuthenticationFailed("auth.locked", until=row["locked_until"].strftime("%H:%M UTC"))
            if row["disabled"] or not verify_password(row["password_hash"], password):
                await accounts.record_failure(conn, row["id"], MAX_FAILED_SIGN_INS, LOCK_MINUTES)
                await asyncio.sleep(sign_in_delay_s(row["failed_logins"] + 1))
                raise AuthenticationFailed()
            await accounts.reset_failures(conn, row["id"])
            token = new_session_token()
            expires = datetime.now(UTC) + timedelta(hours=self.settings.session_ttl_hours)
            await accounts.insert_session(conn, token_hash(token), row["id"], expires)
            return SignedIn(token, user_view(row))

    async def user_for_session(self, token: str | None) -> UserView | None:
        if not token:
            return None
        async with self.pool.acquire() as conn:
            row = await accounts.user_by_session(conn, token_hash(token))
        return user_view(row) if row else None

    async def sign_out(self, token: str | None) -> None:
        if token:
            async with self.pool.acquire() as conn:
                await accounts.revoke_session(conn, token_hash(token))

    async def _require(self, token: str | None, roles: frozenset[str]) -> UserView:
        user = await self.user_for_session(token)
        if user is None:
            raise NotAuthenticated()
        if user.role not in roles:
            raise Forbidden(needed=" / ".join(sorted(roles)), role=user.role)
        return user

    # --- donors -----------------------------------------------------------------------------------
    async def retire_device(self, token: str | None, form: RetireDeviceForm) -> DeviceSummary:
        user = await self._require(token, frozenset({"asset_manager"}))
        request = RetirementRequest(request_id=f"ui-{new_id()}", donor=user.org_slug, **form.model_dump())
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

    # --- recipients -------------------------------------------------------------------------------
    async def open_offers(self, token: str | None, limit: int = 100) -> list[OfferView]:
        user = await self._require(token, CLAIMING_ROLES)
        async with self.pool.acquire() as conn:
            rows = await read_models.open_offers(conn, user.org_slug, limit)
        return [offer_view(r) for r in rows]

    async def claim_offer(self, token: str | None, offer_id: str) -> DeviceSummary:
        user = await self._require(token, CLAIMING_ROLES)
        try:
            async with UnitOfWork(self.pool) as uow:
                claimed = await claim_offer(ClaimOffer(offer_id, Actor(org=user.org_slug, user=user.id)), uow)
                row = await read_models.device_by_id(uow.conn, claimed.asset_id)
        except asyncpg.DataError as exc:  # a malformed offer id
            raise DomainError("offer.not_found") from exc
        assert row is not None
        return device_summary(row)

    # --- everyone ---------------------------------------------------------------------------------
    async def device_page(self, code: str, token: str | None = None) -> DevicePage:
        normalised = normalise_code(code)
        if normalised is None:
            raise NotFound("device.code_malformed", code=code[:40])
        user = await self.user_for_session(token)
        async with self.pool.acquire() as conn:
            row = await read_models.device_by_code(conn, normalised)
            if row is None:
                raise NotFound(code=code[:40])
            wires = [event_wire(r) for r in await read_models.events_of_device(conn, str(row["id"]))]
        public = user is None
        return DevicePage(
            device=device_summary(row), events=[event_view(w, public) for w in wires],
            chain_ok=verify_chain(wires) is None, qr_url=f"{self.settings.public_base_url}/d/{normalised}",
        )
