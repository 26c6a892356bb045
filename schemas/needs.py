"""Needs, proposals and loans (issue 21): what a tiers-lieu gives, and what it reads back. Validated, no I/O.

No field names a person: a loan may carry a pseudonymous reference the tiers-lieu chooses (its own file
number), never a name or a contact.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.actions import BeneficiaryCategory, Grade
from schemas.common import Category

Adapted = Literal["large_screen", "accessible_keyboard", "screen_reader_os", "lightweight"]
LoanCondition = Literal["working", "faulty", "broken"]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NeedInput(_Input):
    category: Category = Field(description="Kind of device needed.", examples=["laptop"])
    quantity: int = Field(ge=1, le=500, description="How many devices.", examples=[3])
    min_ram_gb: int | None = Field(default=None, ge=0, le=1024, description="Minimum RAM, GB.", examples=[8])
    min_storage_gb: int | None = Field(default=None, ge=0, le=100_000, description="Minimum storage, GB.")
    min_screen_in: float | None = Field(default=None, ge=0, le=100, description="Minimum screen size, inches.")
    grades: list[Grade] = Field(default=["A", "B", "C"], min_length=1, max_length=3,
                                description="Grades accepted.")
    needed_by: date | None = Field(default=None, description="By when (a day to come); none: no date.")
    beneficiary_category: BeneficiaryCategory = Field(description="For whom.", examples=["job_seekers"])
    adapted: list[Adapted] = Field(default_factory=list, max_length=4,
                                   description="Adapted-equipment requirements (people with disabilities, seniors).")


class DeclineProposalInput(_Input):
    reason: str | None = Field(default=None, max_length=500)


class AcceptProposalInput(_Input):
    hold_until: datetime | None = Field(default=None, description="Until when the device is held; 14 days when not given.")


class LendInput(_Input):
    beneficiary_category: BeneficiaryCategory
    due_on: date = Field(description="When the device is due back.")
    reference: str | None = Field(default=None, min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._\-/#]+$",
                                  description="Optional pseudonymous reference of the tiers-lieu's own (a file "
                                              "number): letters, digits and . _ - / # only, so no name or e-mail.")


class ReturnLoanInput(_Input):
    condition: LoanCondition = Field(description="How the device came back; faulty or broken sends it back to "
                                                 "its refurbisher (`returned`).")
    notes: str | None = Field(default=None, max_length=500)


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class NeedView(_View):
    id: str
    org: str
    org_name: str
    pays_code: str
    category: str
    quantity: int
    met_count: int
    proposed_count: int
    min_ram_gb: int | None
    min_storage_gb: int | None
    min_screen_in: float | None
    grades: list[str]
    needed_by: date | None
    beneficiary_category: str
    adapted: list[str]
    status: str  # open, paused, met, cancelled, expired (derived from the date)
    created_at: datetime
    updated_at: datetime
    met_at: datetime | None


class ReasonView(_View):
    code: str
    params: dict[str, object]
    text: str


class ProposalView(_View):
    id: str
    need_id: str
    device_code: str
    category: str
    brand: str
    model: str
    grade: str | None
    status: str
    reasons: list[ReasonView]
    created_at: datetime


class LoanView(_View):
    id: str
    device_code: str
    org: str
    beneficiary_category: str
    reference: str | None
    lent_on: date
    due_on: date
    returned_at: datetime | None
    condition: str | None
    overdue: bool
