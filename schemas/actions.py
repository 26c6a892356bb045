"""What a user gives for each lifecycle action (UI forms and, later, the REST API). Validated, no I/O.

The device is always named by its public code and the actor by the session; nothing else that
identifies a device, an offer or an organisation is taken from the client except where the action
names a counterpart (the recycler a device is handed to).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Text = Annotated[str, Field(min_length=1, max_length=500)]
Outcome = Literal["refurbishable", "parts_only", "end_of_life"]
Grade = Literal["A", "B", "C"]
BeneficiaryCategory = Literal[
    "students", "job_seekers", "seniors", "families", "associations", "digital_mediation", "other"
]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class NoInput(_Input):
    """Claim: nothing to fill in."""


class CancelReservationInput(_Input):
    reason: str | None = Field(default=None, min_length=3, max_length=500,
                               description="Why the reservation is cancelled; required when an admin cancels it.")


class DeclineInput(_Input):
    reason: str = Field(min_length=3, max_length=500, description="Why the organisation declines the offer.")


class HandoverInput(_Input):
    """A handover is proven by the handing party (the donor for collect, the custodian for deliver) with the
    device code in hand, or by the receiving party with the one-time code the handing party shows."""

    confirm_code: str | None = Field(
        default=None, min_length=1, max_length=40,
        description="The device code, scanned or typed: required when the handing party confirms; checked when "
                    "the receiving party gives it too.")
    handover_code: str | None = Field(
        default=None, min_length=1, max_length=20, examples=["482913"],
        description="The one-time code (6 digits) the handing party shows (`POST /api/devices/{code}/handover-code`): "
                    "required when the receiving party confirms.")


class DiagnoseInput(_Input):
    outcome: Outcome
    findings: str = Field(default="", max_length=2000)


class Medium(_Input):
    make: str = Field(min_length=1, max_length=100)
    model: str = Field(min_length=1, max_length=100)
    serial: str = Field(min_length=1, max_length=100)
    result: Literal["erased"] | None = Field(
        default=None, description="This medium's result in the wipe tool's report (nwipe: Erased), when the "
                                  "certificate was filled from one.")


class WipeCertificate(_Input):
    """Certificate of sanitisation, after NIST SP 800-88 Rev. 1, Appendix G."""

    method: Literal["Clear", "Purge", "Destroy"]
    technique: str = Field(min_length=1, max_length=200, examples=["overwrite, 1 pass of zeros"])
    tool: str = Field(min_length=1, max_length=100, examples=["nwipe"])
    tool_version: str = Field(min_length=1, max_length=50, examples=["0.36"])
    verification: Literal["full", "sampled"]
    operator: str = Field(min_length=1, max_length=200, description="Who sanitised (name and role).")
    sanitised_on: date
    media: list[Medium] = Field(min_length=1, max_length=20, description="Each storage medium sanitised.")
    destination: Literal["reuse", "recycling", "storage"] = "reuse"
    signature: str = Field(min_length=1, max_length=200, description="Name of the signatory.")
    passes: int | None = Field(default=None, ge=1, le=1000, description="Passes of the method (one round).")
    started_at: datetime | None = Field(default=None, description="When the wipe started (from the tool's report).")
    ended_at: datetime | None = Field(default=None, description="When the wipe ended (from the tool's report).")
    report_sha256: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the erasure report (nwipe's log) the certificate was filled from, set by the "
                    "server: the report is kept as evidence (`GET /api/devices/{code}/erasure-reports`).")

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> WipeCertificate:
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValueError("ended_at: the wipe ends before it starts")
        return self


class RefurbishInput(_Input):
    grade: Grade
    os_installed: str = Field(default="Linux Mint", min_length=1, max_length=100)
    tests_passed: list[Text] = Field(default_factory=list, max_length=50)


class ReserveInput(_Input):
    hold_until: datetime | None = Field(default=None, description="Until when; 14 days when not given.")


class DeliverInput(HandoverInput):
    beneficiary_category: BeneficiaryCategory


class ReturnInput(_Input):
    reason: str = Field(min_length=3, max_length=500)


class Part(_Input):
    name: str = Field(min_length=1, max_length=100)
    quantity: int = Field(default=1, ge=1, le=1000)


class HarvestInput(_Input):
    parts: list[Part] = Field(min_length=1, max_length=100)


class RecycleInput(_Input):
    recycler: str | None = Field(default=None, max_length=100, description="Slug of the recycler; yours if you are one.")
    weight_kg: float = Field(gt=0, le=2000)
    slip_number: str = Field(min_length=1, max_length=100, description="WEEE (DEEE) tracking slip number.")
    storage_destruction_certified: bool = False


class WriteOffInput(_Input):
    reason: str = Field(min_length=3, max_length=500)


INPUT_OF_ACTION: dict[str, type[_Input]] = {
    "claim": NoInput, "decline": DeclineInput, "collect": HandoverInput, "diagnose": DiagnoseInput,
    "wipe": WipeCertificate, "refurbish": RefurbishInput, "reserve": ReserveInput,
    "cancel_reservation": CancelReservationInput, "deliver": DeliverInput, "return": ReturnInput, "harvest": HarvestInput,
    "recycle": RecycleInput, "write_off": WriteOffInput,
}
