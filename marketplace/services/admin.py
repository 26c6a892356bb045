"""Administration: organisations and accounts. Admins only; every change is re-checked server-side."""

from __future__ import annotations

from typing import TypeVar

import asyncpg
from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError

from marketplace.adapters import accounts, sign_in_throttles
from marketplace.auth.hashing import PASSWORDS
from marketplace.auth.password_policy import check_new_password
from marketplace.auth.throttle import ACCOUNT_ATTEMPTS
from marketplace.domain.errors import Conflict, DomainError, InvalidInput
from marketplace.domain.ids import new_id
from marketplace.services.base import ServiceBase
from marketplace.services.personal_data import PersonalDataServices
from schemas.common import Category, OrgKind
from schemas.intake import SLUG_PATTERN
from schemas.views import AccountView, OrganisationView

MIN_PASSWORD = 12


class OrganisationForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    slug: str = Field(min_length=2, max_length=100, pattern=SLUG_PATTERN)
    name: str = Field(min_length=2, max_length=200)
    kind: OrgKind
    pays_code: str = Field(min_length=2, max_length=40)
    town: str = Field(min_length=1, max_length=100)
    accepted_categories: list[Category] = Field(default_factory=list)
    capacity: int = Field(default=0, ge=0, le=100_000)
    contact_email: EmailStr | None = None
    disabled: bool = False


class AccountForm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: EmailStr
    display_name: str = Field(min_length=2, max_length=200)
    org_slug: str = Field(min_length=2, max_length=100)
    password: str = Field(min_length=MIN_PASSWORD, max_length=200)
    is_admin: bool = False


M = TypeVar("M", bound=BaseModel)


def _validate(model: type[M], data: dict[str, object]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise InvalidInput(detail=detail) from exc


class AdminServices(PersonalDataServices, ServiceBase):
    async def list_organisations(self, token: str | None) -> list[OrganisationView]:
        await self._require_admin(token)
        async with self.pool.acquire() as conn:
            rows = await accounts.list_orgs(conn)
        return [OrganisationView(**{**dict(r), "accepted_categories": list(r["accepted_categories"])}) for r in rows]

    async def save_organisation(self, token: str | None, data: dict[str, object], create: bool) -> None:
        await self._require_admin(token)
        form = _validate(OrganisationForm, data)
        cats = [c.value for c in form.accepted_categories]
        async with self.pool.acquire() as conn:
            try:
                if create:
                    await accounts.insert_org(conn, (new_id(), form.slug, form.name, form.kind.value, form.pays_code,
                                                     form.town, cats, form.capacity, form.contact_email))
                elif not await accounts.update_org(conn, (form.slug, form.name, form.pays_code, form.town, cats,
                                                          form.capacity, form.contact_email, form.disabled)):
                    raise DomainError("org.unknown", org=form.slug)
            except asyncpg.UniqueViolationError as exc:
                raise Conflict("org.slug_taken", slug=form.slug) from exc
            except asyncpg.ForeignKeyViolationError as exc:
                raise InvalidInput(detail=f"pays_code: unknown pays {form.pays_code}") from exc

    async def list_accounts(self, token: str | None) -> list[AccountView]:
        await self._require_admin(token)
        async with self.pool.acquire() as conn:
            rows = await accounts.list_users(conn, ACCOUNT_ATTEMPTS)
        return [AccountView(**{**dict(r), "id": str(r["id"])}) for r in rows]

    async def create_account(self, token: str | None, data: dict[str, object]) -> None:
        await self._require_admin(token)
        form = _validate(AccountForm, data)
        check_new_password(form.password, email=str(form.email), name=form.display_name)
        password_hash = await PASSWORDS.hash(form.password)
        async with self.pool.acquire() as conn:
            try:
                created = await accounts.insert_user(conn, (new_id(), form.org_slug, form.email, form.display_name,
                                                            password_hash, form.is_admin))
            except asyncpg.UniqueViolationError as exc:
                raise Conflict("user.email_taken", email=form.email) from exc
        if not created:
            raise DomainError("org.unknown", org=form.org_slug)

    async def set_account_disabled(self, token: str | None, user_id: str, disabled: bool) -> None:
        await self._require_admin(token)
        async with self.pool.acquire() as conn, conn.transaction():
            if not await accounts.set_user_disabled(conn, _uuid(user_id), disabled):
                raise DomainError("user.not_found")
            if disabled:
                await accounts.revoke_user_sessions(conn, _uuid(user_id))

    async def reset_password(self, token: str | None, user_id: str, new_password: str) -> None:
        """Set a new password, clear the lock, and end the user's sessions."""
        await self._require_admin(token)
        check_new_password(new_password)  # the same rules as the person's own choice
        user_id = _uuid(user_id)
        password_hash = await PASSWORDS.hash(new_password)
        async with self.pool.acquire() as conn, conn.transaction():
            if not await accounts.set_password(conn, user_id, password_hash):
                raise DomainError("user.not_found")
            await sign_in_throttles.unlock_user(conn, user_id)
            await accounts.revoke_user_sessions(conn, user_id)

    async def unlock_account(self, token: str | None, user_id: str) -> None:
        """End an account's sign-in lock now (its counter starts again from zero). Admins only."""
        await self._require_admin(token)
        async with self.pool.acquire() as conn:
            if not await sign_in_throttles.unlock_user(conn, _uuid(user_id)):
                raise DomainError("user.not_found")


def _uuid(text: str) -> str:
    import uuid

    try:
        return str(uuid.UUID(text))
    except ValueError as exc:
        raise DomainError("user.not_found") from exc
