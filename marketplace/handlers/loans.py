"""Lending a delivered device and recording its return (issue 21): each an event in the device's trail.

The device stays `delivered` through its loans (`asset.lent`, `asset.loan_returned`); one that comes back
faulty or broken goes on at once to `asset.returned`, back to the workshop that refurbished it, with its
diagnosis cleared and its wipe to do again (it held a person's data), as a return from a tiers-lieu does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import asyncpg

from marketplace.adapters import lifecycle_store as store
from marketplace.adapters import loan_queries as q
from marketplace.domain.chain import now_ms
from marketplace.domain.errors import Conflict, DomainError, Forbidden, TransitionRefused
from marketplace.domain.ids import new_id
from marketplace.domain.lifecycle import State
from marketplace.handlers.actions import locate
from marketplace.handlers.chain_writer import Step, write_events
from marketplace.i18n import catalogues
from marketplace.unit_of_work import UnitOfWork
from schemas import payloads as pl
from schemas.needs import LendInput, ReturnLoanInput

LOAN_MAX = timedelta(days=366)


@dataclass(frozen=True)
class Lender:
    org: str
    user_id: str  # as the trail's actor names it (a person, or an API token)
    person_id: str | None = None  # the person, for the loan's record (None for a token)


async def _locked_delivered(uow: UnitOfWork, code: str, lender: Lender) -> tuple[str, asyncpg.Record]:
    asset_id = await locate(uow, code)
    row = await store.lock_facts(uow.conn, asset_id)
    assert row is not None
    if row["state"] != State.delivered.value:
        raise TransitionRefused(state=row["state"], target="delivered")
    if row["custodian"] != lender.org:
        raise Forbidden("custody.not_custodian", custodian=row["custodian"] or "-")
    return asset_id, row


async def lend_device(uow: UnitOfWork, code: str, lender: Lender, data: LendInput) -> str:
    """Record a loan of the device its custodian holds; returns the loan id."""
    asset_id, row = await _locked_delivered(uow, code, lender)
    at = now_ms()
    if not at.date() < data.due_on <= at.date() + LOAN_MAX:
        raise DomainError("loan.due_invalid", days=LOAN_MAX.days)
    if await q.open_loan(uow.conn, asset_id) is not None:
        raise Conflict("loan.already_lent")
    loan_id = new_id()
    await q.insert_loan(uow.conn, loan_id, asset_id, lender.org, data.beneficiary_category, data.reference,
                        at.date(), data.due_on, lender.person_id, at)
    actor: dict[str, str | None] = {"org": lender.org, "user": lender.user_id, "system": None}
    payload = pl.LentPayload(loan_id=loan_id, org=lender.org, beneficiary_category=data.beneficiary_category,
                             due_on=data.due_on)
    await write_events(uow.conn, row, [("asset.lent", payload, actor)], at)
    return loan_id


async def return_loan(uow: UnitOfWork, code: str, lender: Lender, data: ReturnLoanInput) -> State:
    """Record the return of the device's open loan; returns the state it is in after."""
    asset_id, row = await _locked_delivered(uow, code, lender)
    loan = await q.open_loan(uow.conn, asset_id)
    if loan is None:
        raise DomainError("loan.not_lent")
    at = now_ms()
    await q.close_loan(uow.conn, str(loan["id"]), at, lender.person_id, data.condition)
    actor: dict[str, str | None] = {"org": lender.org, "user": lender.user_id, "system": None}
    overdue = max(0, (at.date() - loan["due_on"]).days)
    steps: list[Step] = [("asset.loan_returned", pl.LoanReturnedPayload(
        loan_id=str(loan["id"]), org=lender.org, condition=data.condition, overdue_days=overdue), actor)]
    changes: dict[str, Any] = {}
    if data.condition != "working":
        receiver = row["refurbisher"] or lender.org
        # The event's reason is French, like every reason the trail carries (EVENTS.md).
        reason = catalogues.text(f"loan.returned_{data.condition}", catalogues.SOURCE_LANGUAGE)
        if data.notes:
            reason = f"{reason} ({data.notes})"
        steps.append(("asset.returned", pl.ReturnedPayload(reason=reason, to=receiver), actor))
        changes = {"custodian": receiver, "diagnosis": None, "wiped": False}
    state, _ = await write_events(uow.conn, row, steps, at)
    await store.update_projection(uow.conn, asset_id, changes)
    return state
