"""Erasure reports (issue 20): what the API and the UI send with a wipe tool's report, and read back."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.actions import WipeCertificate


class ErasureUpload(BaseModel):
    """`POST /api/devices/{code}/erasure-reports`: nwipe's log, and the certificate fields the person adds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    log: str | None = Field(default=None, min_length=1, max_length=2_000_000,
                            description="nwipe's log (the file given to --logfile), as text.")
    report_base64: str | None = Field(
        default=None, min_length=1, max_length=4_200_000,
        description="The report's bytes in base64: nwipe's log, or the PDF certificate nwipe 0.35+ writes "
                    "(told apart by the content, %PDF-). Exactly one of log and report_base64.")
    station_timezone: str = Field(
        default="Europe/Paris", max_length=60, examples=["Europe/Paris", "UTC"],
        description="The timezone of the bench station's clock (nwipe writes local times without an offset).")
    certificate: dict[str, Any] = Field(
        default_factory=dict,
        description="The certificate fields the report does not give (operator, signature, destination) and any "
                    "correction (technique, method, media make and model). Tool, version, date, start, end, "
                    "passes and the media serials come from the report; a different value is refused.")
    dry_run: bool = Field(default=False, description="Read and check the report, fill the certificate, record nothing.")

    @model_validator(mode="after")
    def _one_report(self) -> ErasureUpload:
        if (self.log is None) == (self.report_base64 is None):
            raise ValueError("exactly one of log and report_base64 is expected")
        if self.report_base64 is not None:
            try:
                base64.b64decode(self.report_base64, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ValueError("report_base64: not base64") from exc
        return self

    def raw(self) -> bytes:
        """The report's bytes as the bench has them (kept byte for byte as evidence)."""
        if self.report_base64 is not None:
            return base64.b64decode(self.report_base64, validate=True)
        return (self.log or "").encode("utf-8", "surrogatepass")


class ErasureDisk(BaseModel):
    device: str
    model: str
    serial: str | None
    size: str
    status: str = Field(description="nwipe's word for the drive: Erased, UABORTED, -FAILED-…")
    result: str = Field(description="erased, failed or interrupted")
    pass_errors: int
    verify_errors: int
    sync_errors: int
    duration: str


class ErasureReportView(BaseModel):
    """One report kept as evidence (serials: never in the passport or the open data)."""

    id: str
    code: str
    tool: str
    sha256: str
    byte_size: int
    station_timezone: str
    media_checked: bool = Field(description="Whether the disks were matched against media the device record knew.")
    uploaded_by_org: str
    created_at: datetime
    event_id: str
    method: str
    passes: int | None
    verification: str
    started_at: datetime
    ended_at: datetime
    disks: list[ErasureDisk]


class ErasureReportList(BaseModel):
    items: list[ErasureReportView]


class ErasureResult(BaseModel):
    """What reading (dry run) or recording a report gives: the certificate filled, the report if recorded."""

    certificate: dict[str, Any] = Field(description="The certificate's fields (filled from the report, JSON).")
    media_checked: bool
    recorded: ErasureReportView | None = None
    certified: WipeCertificate | None = None
