"""The OpenAPI 3.1 document of the REST API, generated from the pydantic models (never written by hand)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from marketplace.api import needs_api
from marketplace.settings import get_settings
from schemas.actions import INPUT_OF_ACTION
from schemas.api import (
    ActionRequest,
    ActionResult,
    ApiError,
    BatchActionRequest,
    BatchResults,
    DeviceDetail,
    DeviceList,
    HandoverCode,
    ReportBody,
    RetirementBatch,
    RetirementResults,
)
from schemas.erasure import ErasureReportList, ErasureResult, ErasureUpload
from schemas.snapshots import SnapshotList, SnapshotView

REF = "#/components/schemas/{model}"
_ERRORS = {"400": "Malformed JSON body, or a `cursor` that was altered or made for other filters "
                  "(`api.bad_cursor`, `api.cursor_other_query`)",
           "401": "Missing, unknown, revoked or expired token (`api.token_expired`), or its creator's account or "
                  "organisation disabled (`api.token_disabled`)",
           "403": "The token's organisation may not do this", "404": "No such device",
           "409": "Refused by the lifecycle rules (state, custody, offer closed...)",
           "413": "Request body over 5 MiB (not read past it)",
           "422": "Invalid input", "429": "Rate limit exceeded (see Retry-After)"}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _json(model: type[BaseModel]) -> dict[str, Any]:
    return {"application/json": {"schema": _ref(model)}}


def _responses(ok: str, model: type[BaseModel], *errors: str) -> dict[str, Any]:
    out: dict[str, Any] = {ok: {"description": "OK", "content": _json(model)}}
    for code in ("401", "429", *errors):
        out[code] = {"description": _ERRORS[code], "content": _json(ApiError)}
    return out


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _snapshot_paths(code: dict[str, Any]) -> dict[str, Any]:
    """Issue 20: hardware snapshots (docs/bench.md)."""
    formats = {media: {"schema": {"type": "string"}} for media in ("application/json", "text/plain")}
    return {
        "post": {
            "operationId": "postSnapshot", "summary": "Add a hardware snapshot (the device's custodian only)",
            "description": "The body is one tool's output as it wrote it: `lshw -json`, `smartctl --json -a`, "
                           "`dmidecode`, `lsblk --json -b -O`, `upower -d`, or an eReuse Workbench snapshot "
                           "(what `seconde-vie bench-agent` sends: every tool in one). It is kept byte for byte "
                           "as evidence, its SHA-256 in the `asset.inspected` event; what it reads fills the "
                           "device's specs. A manufacturer serial or model that differs from the donor's is "
                           "returned in `warnings` and kept with the device, never written over the donor's.",
            "parameters": [code], "requestBody": {"required": True, "content": formats},
            "responses": _responses("200", SnapshotView, "403", "404", "409", "413", "422"),
        },
        "get": {
            "operationId": "listSnapshots", "summary": "The device's hardware snapshots, newest first "
                                                       "(its donor, its custodian, who posted one, auditors)",
            "parameters": [code], "responses": _responses("200", SnapshotList, "403", "404"),
        },
    }


def _erasure_paths(code: dict[str, Any]) -> dict[str, Any]:
    """Issue 20: the wipe step certified by nwipe's report (docs/erasure-reports.md)."""
    return {
        "post": {
            "operationId": "postErasureReport",
            "summary": "Certify the wipe step with nwipe's report (the device's custodian only)",
            "description": "`log` is nwipe's log (the file given to `--logfile`); its times are read in "
                           "`station_timezone`. The certificate is filled from it (method, technique, passes, "
                           "verification, start, end, each disk's model, serial and result) and completed with "
                           "`certificate` (operator, signature, destination, corrections). Refused with the "
                           "reason: a failed, interrupted or unverified wipe, a disk without serial or not among "
                           "the device's known media, a report older than the collection, a certificate that "
                           "contradicts the report. `dry_run` reads and fills, recording nothing; otherwise the "
                           "report is kept as evidence and its SHA-256 is the certificate's `report_sha256`.",
            "parameters": [code], "requestBody": {"required": True, "content": _json(ErasureUpload)},
            "responses": _responses("200", ErasureResult, "400", "403", "404", "409", "413", "422"),
        },
        "get": {
            "operationId": "listErasureReports",
            "summary": "The device's erasure reports, newest first (its donor, its custodian, who uploaded one, "
                       "auditors)",
            "parameters": [code], "responses": _responses("200", ErasureReportList, "403", "404"),
        },
    }


def openapi_document(server_url: str = "/") -> dict[str, Any]:
    settings = get_settings()
    models: list[type[BaseModel]] = [RetirementBatch, RetirementResults, DeviceList, DeviceDetail, ActionRequest,
                                     ActionResult, ApiError, ReportBody, HandoverCode, BatchActionRequest, BatchResults]
    mode: Literal["validation"] = "validation"
    models += [SnapshotView, SnapshotList, ErasureUpload, ErasureResult, ErasureReportList]
    models += needs_api.MODELS  # issue 21: needs, proposals, loans
    pairs = [(m, mode) for m in [*models, *INPUT_OF_ACTION.values()]]
    _, schema = models_json_schema(pairs, ref_template=REF)
    components: dict[str, Any] = schema.get("$defs", {})
    code = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
            "description": "The device code printed under its QR label (XXXX-XXXX-XXXX)."}
    action_inputs = ", ".join(f"`{a}`: {m.__name__}" for a, m in INPUT_OF_ACTION.items())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Seconde Vie API", "version": "1",
            "description": (
                "Retire devices, follow them and drive their lifecycle with an organisation's API token "
                "(`Authorization: Bearer svk_...`, created in the UI under Intégrations for 30, 90 or 365 days; "
                "it stops at once when the account that made it or its organisation is disabled). A token acts "
                "as its organisation with the role of its kind: what that organisation's users may do in the UI, "
                f"and nothing more. Rate limit per token: {settings.api_rate_per_second:g} requests/s, bursts of "
                f"{settings.api_burst}, counted once across the server's processes; over it, 429 with Retry-After. "
                "Errors: `{\"error\": {\"code\", \"message\"}}`."),
        },
        "servers": [{"url": server_url}],
        "components": {"schemas": components,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": {
            "/api/retirements": {"post": {
                "operationId": "submitRetirements", "summary": "Retire a batch of devices (asset managers)",
                "description": "Each message is idempotent on (donor, request_id); the donor must be the "
                               "token's organisation. A refused message does not stop the others.",
                "requestBody": {"required": True, "content": _json(RetirementBatch)},
                "responses": _responses("200", RetirementResults, "400", "403", "413", "422"),
            }},
            "/api/devices": {"get": {
                "operationId": "listDevices", "summary": "Devices the organisation donated, holds, claimed, "
                                                         "was offered or reserved (auditors: all)",
                "parameters": [
                    _query("state", {"type": "string"}, "Only devices in this state"),
                    _query("category", {"type": "string"}, "Only this category"),
                    _query("donor", {"type": "string"}, "Only this donor (slug)"),
                    _query("updated_since", {"type": "string", "format": "date-time"}, "Changed since"),
                    _query("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}, "Page size"),
                    _query("cursor", {"type": "string"}, "From `next_cursor` (or follow `next`), with the "
                                                         "same filters; an altered cursor is refused (400)"),
                    _query("offset", {"type": "integer", "minimum": 0, "default": 0},
                           "From `next_offset` (kept for compatibility; each page costs more the deeper it is)"),
                ],
                "responses": _responses("200", DeviceList, "400", "422"),
            }},
            "/api/devices/{code}": {"get": {
                "operationId": "getDevice", "summary": "One device with its events and what the token may do",
                "description": "Codes are public, so the events are what the organisation's users read in the UI: "
                               "the private trail (wipe certificates, people, findings, reasons) when the "
                               "organisation is one of the device's parties (donor, custodian, claimer, "
                               "refurbisher, an organisation it was offered to, its third place) or an auditor; "
                               "otherwise the public passport, as for a signed-out visitor.",
                "parameters": [code], "responses": _responses("200", DeviceDetail, "404"),
            }},
            "/api/devices/{code}/actions": {"post": {
                "operationId": "performAction", "summary": "Run one lifecycle action on a device",
                "description": f"`input` by action: {action_inputs}.",
                "parameters": [code], "requestBody": {"required": True, "content": _json(ActionRequest)},
                "responses": _responses("200", ActionResult, "400", "403", "404", "409", "413", "422"),
            }},
            "/api/actions": {"post": {
                "operationId": "performBatch", "summary": "One lifecycle step for up to 100 devices",
                "description": "The same rules as one action, device by device: each device goes through or is "
                               "refused on its own (its own event, its own certificate, its own refusal, named by "
                               "its code); `input` is shared and each device's `input` is added over it (e.g. the "
                               "media it had wiped). Actions: claim, decline, diagnose, wipe, refurbish, reserve, "
                               "harvest, recycle, return (handovers are confirmed device by device at the pickup). "
                               "The answer is 200 with one result per device, even when all are refused.",
                "requestBody": {"required": True, "content": _json(BatchActionRequest)},
                "responses": _responses("200", BatchResults, "400", "413", "422"),
            }},
            "/api/devices/{code}/handover-code": {"post": {
                "operationId": "showHandoverCode", "summary": "A one-time handover code (the handing party only)",
                "description": "For the device's pending handover (`collect`: its donor; `deliver`: its custodian). "
                               "Show the code to the receiving organisation, which passes it as `handover_code` in "
                               "its `collect` or `deliver` input: the public device code alone no longer confirms "
                               "a handover for the receiving side. Six digits, valid 15 minutes, for one handover, "
                               "void after 5 wrong tries; a new one replaces the old.",
                "parameters": [code], "responses": _responses("200", HandoverCode, "403", "404", "409"),
            }},
            "/api/devices/{code}/snapshots": _snapshot_paths(code),
            **needs_api.paths(REF, _json, _responses, _query, code),
            "/api/devices/{code}/erasure-reports": _erasure_paths(code),
            "/api/devices/{code}/erasure-reports/{report_id}/log": {"get": {
                "operationId": "getErasureReportLog",
                "summary": "One erasure report exactly as uploaded, nwipe's log or PDF (its readers only)",
                "description": "The bytes kept as evidence: their SHA-256 is the `sha256` of the report and the "
                               "`report_sha256` of the wipe certificate it filled. `text/plain` for nwipe's log, "
                               "`application/pdf` for the PDF certificate nwipe 0.35+ writes.",
                "parameters": [code, {"name": "report_id", "in": "path", "required": True,
                                      "schema": {"type": "string"}, "description": "The report's `id`."}],
                "responses": {"200": {"description": "nwipe's log or PDF certificate", "content": {
                    "text/plain": {"schema": {"type": "string"}},
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
                              **{k: v for k, v in _responses("200", ApiError, "403", "404").items() if k != "200"}},
            }},
            "/api/devices/{code}/wipe-certificate": {"get": {
                "operationId": "getWipeCertificate", "summary": "The device's wipe certificate as a PDF",
                "description": "NIST SP 800-88 Rev. 1 Appendix G, made again from the device's latest "
                               "`asset.wiped` event: its SHA-256 is that event's `certificate_pdf_sha256`. For "
                               "the donor, the custodian, the organisation that wiped it and auditors (it lists "
                               "the media's serial numbers); 409 when the trail's certificate no longer gives "
                               "the document whose hash it recorded.",
                "parameters": [code],
                "responses": {"200": {"description": "The PDF",
                                      "content": {"application/pdf": {"schema": {"type": "string",
                                                                                 "format": "binary"}}}},
                              **{k: v for k, v in _responses("200", ApiError, "403", "404", "409").items()
                                 if k != "200"}},
            }},
            "/api/reports/{name}": {"get": {
                "operationId": "getReport", "summary": "An auditor's report: flows, compliance or impact (auditors)",
                "parameters": [
                    {"name": "name", "in": "path", "required": True,
                     "schema": {"type": "string", "enum": ["flows", "compliance", "impact"]}},
                    _query("start", {"type": "string", "format": "date"}, "First day (UTC), inclusive"),
                    _query("end", {"type": "string", "format": "date"}, "Last day (UTC), inclusive"),
                    _query("donor", {"type": "string"}, "Only this donor (slug)"),
                    _query("pays", {"type": "string"}, "Only this pays (territory code)"),
                ],
                "responses": _responses("200", ReportBody, "403", "404", "422"),
            }},
        },
    }
