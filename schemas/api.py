"""The REST API's request and response bodies (the OpenAPI document is generated from these). No I/O."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.intake import RetirementRequest
from schemas.views import DeviceSummary, EventView

ActionName = Literal["claim", "decline", "collect", "diagnose", "wipe", "refurbish", "reserve", "cancel_reservation",
                     "deliver", "return", "harvest", "recycle", "write_off"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RetirementBatch(_Body):
    """Up to 1,000 intake messages; each one is idempotent on (donor, request_id)."""

    retirements: list[RetirementRequest] = Field(min_length=1, max_length=1000)


class RetirementResult(_Body):
    request_id: str
    status: Literal["created", "existing", "refused"]
    code: str | None = Field(default=None, description="The device code (XXXX-XXXX-XXXX) when created or existing.")
    error: ApiErrorDetail | None = None


class RetirementResults(_Body):
    created: int
    existing: int
    refused: int
    results: list[RetirementResult]


class DeviceList(_Body):
    items: list[DeviceSummary]
    next_offset: int | None = Field(description="Pass as `offset` for the next page; null on the last page "
                                                "and on pages read by `cursor`. Kept for compatibility: "
                                                "prefer `next_cursor`.")
    next_cursor: str | None = Field(default=None, description="Opaque: pass as `cursor` (with the same filters) "
                                                              "for the next page; null on the last page.")
    next: str | None = Field(default=None, description="The next page's path and query (filters, limit and "
                                                       "cursor); null on the last page.")


class DeviceDetail(_Body):
    device: DeviceSummary
    events: list[EventView]
    chain_ok: bool = Field(description="Whether the device's hash chain verifies.")
    allowed_actions: list[ActionName] = Field(description="What this token may do to the device now.")


class ActionRequest(_Body):
    """One lifecycle action; `input` follows the schema of that action (`ClaimInput`, `DiagnoseInput`...)."""

    action: ActionName
    input: dict[str, Any] = Field(default_factory=dict, examples=[{"outcome": "refurbishable", "findings": "OK"}])


class ActionResult(_Body):
    device: DeviceSummary
    allowed_actions: list[ActionName]


BatchActionName = Literal["claim", "decline", "diagnose", "wipe", "refurbish", "reserve", "harvest", "recycle",
                          "return"]


class BatchDevice(_Body):
    code: str = Field(min_length=1, max_length=40, examples=["ABCD-EFGH-JKMN"], description="The device code.")
    input: dict[str, Any] = Field(default_factory=dict, examples=[{"media": [
        {"make": "Samsung", "model": "PM981", "serial": "S4EWNX0M123456"}]}],
        description="This device's own part of the input (e.g. its wiped media), over the shared `input`.")


class BatchActionRequest(_Body):
    """One lifecycle step for up to 100 devices: `input` is shared, each device may add its own part."""

    action: BatchActionName
    input: dict[str, Any] = Field(default_factory=dict, description="The input every device shares.")
    devices: list[BatchDevice] = Field(min_length=1, max_length=100)


class BatchOutcome(_Body):
    code: str = Field(description="The device code as formatted (or as given, when malformed).")
    status: Literal["done", "refused"]
    device: DeviceSummary | None = Field(default=None, description="The device after the step, when done.")
    error: ApiErrorDetail | None = Field(default=None, description="Why not, when refused.")


class BatchResults(_Body):
    done: int
    refused: int
    results: list[BatchOutcome] = Field(description="One per device, in the order given.")


class ApiErrorDetail(_Body):
    code: str = Field(description="A stable key, e.g. `transition.refused`, `auth.required`, `rate_limited`.",
                      examples=["transition.refused"])
    message: str = Field(description="A sentence for people (French).")


class ApiError(_Body):
    error: ApiErrorDetail


# How long an API token may live, in days, chosen when it is made; a year unless asked otherwise.
TOKEN_LIFETIMES_DAYS = (30, 90, 365)
DEFAULT_TOKEN_LIFETIME_DAYS = 365


class TokenCreated(_Body):
    id: str
    name: str
    token: str = Field(description="Shown once: only its hash is stored.")
    created_at: datetime
    expires_at: datetime = Field(description="From then on the token is refused (401 `api.token_expired`).")


class HandoverCode(_Body):
    """A one-time handover code for the handing party's screen: the receiving party types it to confirm the
    handover (`collect` or `deliver`). Only its hash is stored; a new one replaces the old."""

    code: str = Field(description="Six digits, shown once.", examples=["482913"])
    action: Literal["collect", "deliver"] = Field(description="The handover it proves.")
    device: str = Field(description="The device code (XXXX-XXXX-XXXX).")
    receiver: str = Field(description="Slug of the organisation that must type it (claimer or reserving third place).")
    expires_at: datetime = Field(description="Valid until then (15 minutes), for one handover and five wrong tries.")


RetirementResult.model_rebuild()
BatchOutcome.model_rebuild()


class ReportBody(_Body):
    """An auditor's report (flows, compliance, impact): named tables of plain rows, notes and totals."""

    name: Literal["flows", "compliance", "impact"]
    filters: dict[str, str | None]
    tables: dict[str, list[dict[str, Any]]]
    notes: dict[str, str]
    totals: dict[str, Any]
