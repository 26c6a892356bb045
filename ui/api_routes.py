"""The REST API's HTTP routes (Starlette), mounted next to the Reflex app by `ui/http.py`.

Thin: read the bearer token, the JSON body and the query, call `marketplace.api.calls`, answer JSON.
Every refusal is `{"error": {"code", "message"}}` with its HTTP status (see `marketplace/api/errors.py`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from marketplace.api.calls import ApiCalls
from marketplace.api.errors import api_message, error_body, render, status_of
from marketplace.api.openapi import openapi_document
from marketplace.api.ratelimit import Limiter, api_limiter
from marketplace.api.tokens import authenticate
from marketplace.domain.errors import DomainError, InvalidInput
from marketplace.services.devices import describe
from marketplace.settings import get_settings
from marketplace.uploads import TooLarge, read_at_most
from schemas.api import ActionRequest, BatchActionRequest, RetirementBatch
from schemas.erasure import ErasureUpload
from schemas.views import UserView
from ui.needs_api_routes import need_routes

if TYPE_CHECKING:
    from marketplace.services import Marketplace

log = logging.getLogger(__name__)
Provider = Callable[[], Awaitable["Marketplace"]]
Handler = Callable[[Request, ApiCalls, UserView], Awaitable[BaseModel | Response]]
_NO_STORE = {"Cache-Control": "no-store"}
# 1,000 retirements (a batch's most) of a few hundred bytes each, with room to spare.
MAX_BODY_BYTES = 5 * 1024 * 1024


def _json(model: BaseModel) -> Response:
    return Response(model.model_dump_json(), media_type="application/json", headers=_NO_STORE)


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers={**_NO_STORE, **(headers or {})})


async def _body(request: Request, model: type[BaseModel]) -> Any:
    """The JSON body, read after the caller was authenticated, and never past MAX_BODY_BYTES (413)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise TooLarge(MAX_BODY_BYTES)
    raw = await read_at_most(request.stream(), MAX_BODY_BYTES)
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _BadJson(str(exc)) from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(detail=describe(exc)) from exc


class _BadJson(Exception):
    pass


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput(detail=f"{name}: entier entre {low} et {high} attendu")
    return int(text)


async def _retirements(request: Request, calls: ApiCalls, who: UserView) -> BaseModel:
    calls.require_donor(who)  # before the body: a caller who may not retire gets nothing read
    return await calls.submit_retirements(who, await _body(request, RetirementBatch))


async def _devices(request: Request, calls: ApiCalls, who: UserView) -> BaseModel:
    q = request.query_params
    since = None
    if q.get("updated_since"):
        try:
            since = datetime.fromisoformat(q["updated_since"])
        except ValueError as exc:
            raise InvalidInput(detail="updated_since: date ISO 8601 attendue") from exc
        if since.tzinfo is None:
            raise InvalidInput(detail="updated_since: précisez le fuseau (par exemple Z)")
    return await calls.list_devices(who, q.get("state") or None, q.get("category") or None, q.get("donor") or None,
                                    since, _int(request, "limit", 50, 1, 200), _int(request, "offset", 0, 0, 10**9),
                                    q.get("cursor") or None)


async def _device(request: Request, calls: ApiCalls, who: UserView) -> BaseModel:
    return await calls.device(who, request.path_params["code"])


async def _action(request: Request, calls: ApiCalls, who: UserView) -> BaseModel:
    body: ActionRequest = await _body(request, ActionRequest)
    return await calls.perform(who, request.path_params["code"], body.action, body.input)


async def _batch(request: Request, calls: ApiCalls, who: UserView) -> BaseModel:
    return await calls.perform_batch(who, await _body(request, BatchActionRequest))


async def _handover_code(request: Request, calls: ApiCalls, who: UserView) -> BaseModel:
    return await calls.marketplace.show_handover_code_as(who, request.path_params["code"])


async def _post_snapshot(request: Request, calls: ApiCalls, who: UserView) -> BaseModel:
    """The raw snapshot (any format `marketplace.bench` reads) as the body, kept byte for byte as evidence."""
    code = request.path_params["code"]
    await calls.marketplace.check_may_post_snapshot(who, code)  # before the body: another organisation gets nothing read
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise TooLarge(MAX_BODY_BYTES)
    return await calls.marketplace.post_snapshot_as(who, code, await read_at_most(request.stream(), MAX_BODY_BYTES))


async def _snapshots(request: Request, calls: ApiCalls, who: UserView) -> BaseModel:
    return await calls.marketplace.snapshots_as(who, request.path_params["code"])


async def _erasure_report(request: Request, calls: ApiCalls, who: UserView) -> BaseModel:
    """nwipe's log: read and checked (`dry_run`), or certifying the wipe step and kept as evidence."""
    from marketplace.services.erasure_reports import ErasureReports

    upload: ErasureUpload = await _body(request, ErasureUpload)
    service = ErasureReports(calls.marketplace.pool, calls.marketplace.settings)
    return await service.submit_as(who, request.path_params["code"], upload)


async def _erasure_reports(request: Request, calls: ApiCalls, who: UserView) -> BaseModel:
    from marketplace.services.erasure_reports import ErasureReports

    service = ErasureReports(calls.marketplace.pool, calls.marketplace.settings)
    return await service.reports_as(who, request.path_params["code"])


async def _erasure_report_log(request: Request, calls: ApiCalls, who: UserView) -> Response:
    """One erasure report's log exactly as uploaded (its SHA-256 is the certificate's `report_sha256`)."""
    from marketplace.domain.nwipe_pdf import is_pdf
    from marketplace.services.erasure_reports import ErasureReports

    service = ErasureReports(calls.marketplace.pool, calls.marketplace.settings)
    report_id = request.path_params["report_id"]
    raw = await service.report_raw_as(who, request.path_params["code"], report_id)
    if is_pdf(raw):  # the PDF certificate nwipe 0.35+ writes
        return Response(raw, media_type="application/pdf", headers={
            **_NO_STORE, "Content-Disposition": 'attachment; filename="nwipe-report.pdf"'})
    return Response(raw, media_type="text/plain; charset=utf-8", headers={
        **_NO_STORE, "Content-Disposition": 'attachment; filename="nwipe-report.log"'})


async def _wipe_certificate(request: Request, calls: ApiCalls, who: UserView) -> Response:
    """The device's wipe certificate as a PDF (donor, custodian, the workshop that wiped it, auditors)."""
    pdf, filename = await calls.marketplace.wipe_certificate_pdf_as(who, request.path_params["code"])
    return Response(pdf, media_type="application/pdf", headers={
        **_NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'})


async def _report(request: Request, calls: ApiCalls, who: UserView) -> BaseModel:
    from marketplace.api.calls import report

    q = request.query_params
    return await report(calls.marketplace, who, request.path_params["name"], q.get("start") or None,
                        q.get("end") or None, q.get("donor") or None, q.get("pays") or None)


def api_routes(provider: Provider, limiter: Limiter | None = None) -> list[Route]:
    """The API's routes over the marketplace that `provider` returns (limited per token: shared through
    Redis when REDIS_URL is set, see marketplace/api/ratelimit.py)."""
    settings = get_settings()
    limits = limiter or api_limiter(settings.redis_url, settings.api_rate_per_second, settings.api_burst)

    def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            authorization = request.headers.get("authorization")
            try:
                marketplace = await provider()
                who = await authenticate(marketplace.pool, authorization)
                # One bucket per token (its id), however the header spells it (see ratelimit.py).
                wait = await limits.wait(who.id)
                if wait > 0:
                    seconds = max(1, round(wait + 0.5))
                    return _error(429, "rate_limited", api_message("rate_limited", seconds=seconds),
                                  {"Retry-After": str(seconds)})
                answer = await handler(request, ApiCalls(marketplace), who)
                return answer if isinstance(answer, Response) else _json(answer)
            except TooLarge:
                return _error(413, "api.too_large", api_message("api.too_large", limit=MAX_BODY_BYTES // 1_048_576))
            except _BadJson as exc:
                return _error(400, "api.bad_json", api_message("api.bad_json", detail=exc))
            except DomainError as err:
                body, status = render(err)["error"], status_of(err)
                challenge = {"WWW-Authenticate": "Bearer"} if status == 401 else None
                return _error(status, body["code"], body["message"], challenge)
            except Exception:  # the edge: never a trace to the client
                log.exception("unexpected error in %s %s", request.method, request.url.path)
                return _error(500, "internal", api_message("internal"))

        return run

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document(str(request.base_url)))

    async def not_found(request: Request) -> Response:
        return _error(404, "api.not_found", api_message("api.not_found", path=request.url.path))

    return [
        Route("/api/openapi.json", openapi, methods=["GET"]),
        Route("/api/retirements", endpoint(_retirements), methods=["POST"]),
        Route("/api/devices", endpoint(_devices), methods=["GET"]),
        Route("/api/devices/{code}", endpoint(_device), methods=["GET"]),
        Route("/api/devices/{code}/actions", endpoint(_action), methods=["POST"]),
        Route("/api/actions", endpoint(_batch), methods=["POST"]),
        Route("/api/devices/{code}/handover-code", endpoint(_handover_code), methods=["POST"]),
        Route("/api/devices/{code}/erasure-reports", endpoint(_erasure_report), methods=["POST"]),
        Route("/api/devices/{code}/erasure-reports", endpoint(_erasure_reports), methods=["GET"]),
        Route("/api/devices/{code}/erasure-reports/{report_id}/log", endpoint(_erasure_report_log), methods=["GET"]),
        Route("/api/devices/{code}/snapshots", endpoint(_post_snapshot), methods=["POST"]),
        Route("/api/devices/{code}/snapshots", endpoint(_snapshots), methods=["GET"]),
        Route("/api/devices/{code}/wipe-certificate", endpoint(_wipe_certificate), methods=["GET"]),
        Route("/api/reports/{name}", endpoint(_report), methods=["GET"]),
        *need_routes(endpoint, _body),
        Route("/api/{rest:path}", not_found, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
    ]
