"""Loans (issue 21): a tiers-lieu (or an association) lends the delivered devices it holds, records their
return, and lists its loans, the overdue first. Admins list every organisation's overdue loans.

Only the device's custodian lends it or records its return (checked under the device's row lock); no name or
contact is taken, only the beneficiary's category and, if the tiers-lieu wants one, a pseudonymous reference.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import asyncpg

from marketplace.adapters import loan_queries as q
from marketplace.domain.codes import format_code
from marketplace.domain.needs import may_post
from marketplace.handlers.loans import Lender, lend_device, return_loan
from marketplace.services.base import ServiceBase
from marketplace.services.forms import validate
from marketplace.services.needs import person
from marketplace.unit_of_work import UnitOfWork
from schemas.needs import LendInput, LoanView, ReturnLoanInput
from schemas.views import UserView


def _today() -> date:
    return datetime.now(UTC).date()


def loan_view(r: asyncpg.Record, today: date) -> LoanView:
    return LoanView(id=str(r["id"]), device_code=format_code(r["code"]), org=r["org"],
                    beneficiary_category=r["beneficiary_category"], reference=r["reference"], lent_on=r["lent_on"],
                    due_on=r["due_on"], returned_at=r["returned_at"], condition=r["condition"],
                    overdue=r["returned_at"] is None and r["due_on"] < today)


class LoanServices(ServiceBase):
    async def lend(self, token: str | None, code: str, data: dict[str, Any]) -> str:
        return await self.lend_as(await self._require(token), code, data)

    async def lend_as(self, user: UserView, code: str, data: dict[str, Any]) -> str:
        """Lend the device; returns the loan's id."""
        may_post(user.org_kind)  # tiers-lieux and associations: who hand devices to people
        parsed = validate(LendInput, data)
        async with UnitOfWork(self.pool) as uow:
            return await lend_device(uow, code, Lender(user.org_slug, user.id, person(user)), parsed)

    async def return_loan(self, token: str | None, code: str, data: dict[str, Any]) -> str:
        return await self.return_loan_as(await self._require(token), code, data)

    async def return_loan_as(self, user: UserView, code: str, data: dict[str, Any]) -> str:
        """Record the return; returns the device's state after (`delivered`, or `returned` when it came back
        faulty or broken)."""
        may_post(user.org_kind)
        parsed = validate(ReturnLoanInput, data)
        async with UnitOfWork(self.pool) as uow:
            return (await return_loan(uow, code, Lender(user.org_slug, user.id, person(user)), parsed)).value

    async def loans(self, token: str | None, overdue_only: bool = False, limit: int = 200) -> list[LoanView]:
        return await self.loans_as(await self._require(token), overdue_only, limit)

    async def loans_as(self, user: UserView, overdue_only: bool = False, limit: int = 200) -> list[LoanView]:
        """The caller's organisation's loans (admins: every organisation's), open and overdue first."""
        if not user.is_admin:
            may_post(user.org_kind)
        today = _today()
        async with self.pool.acquire() as conn:
            rows = await q.loans(conn, None if user.is_admin else user.org_slug, overdue_only, today,
                                 max(1, min(int(limit), 500)))
        return [loan_view(r, today) for r in rows]
