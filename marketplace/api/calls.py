"""What a partner's software can do with a token: the same commands and rules as the UI.

Every call takes the principal that `tokens.authenticate` built from the token (its organisation, the role
of its kind, never admin) and goes through the same handlers as the UI: `retire_device` for intake,
`perform_action` (lock, `decide`, effects, event) for every lifecycle step.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from marketplace.adapters import api_queries as q
from marketplace.adapters.views import device_summary
from marketplace.api.cursor import FIRST_PAGE, decode_cursor, encode_cursor, query_fingerprint
from marketplace.commands import Actor, RetireDevice
from marketplace.domain.codes import format_code
from marketplace.domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from marketplace.handlers.retire import retire_device
from marketplace.unit_of_work import UnitOfWork
from schemas.api import (
    ActionResult,
    ApiErrorDetail,
    BatchActionRequest,
    BatchOutcome,
    BatchResults,
    DeviceDetail,
    DeviceList,
    ReportBody,
    RetirementBatch,
    RetirementResult,
    RetirementResults,
)
from schemas.views import UserView

if TYPE_CHECKING:
    from marketplace.services import Marketplace

MAX_PAGE = 200


class ApiCalls:
    def __init__(self, marketplace: Marketplace) -> None:
        self.marketplace = marketplace
        self.pool = marketplace.pool

    @staticmethod
    def require_donor(who: UserView) -> None:
        """Only asset managers retire devices: the HTTP door asks before it reads a batch's body."""
        if who.role != "asset_manager":
            raise Forbidden(needed="asset_manager", role=who.role)

    async def submit_retirements(self, who: UserView, batch: RetirementBatch) -> RetirementResults:
        """Each message retired once per (donor, request id); a refused one does not stop the others."""
        self.require_donor(who)
        results: list[RetirementResult] = []
        async with UnitOfWork(self.pool) as uow:
            for request in batch.retirements:
                if request.donor != who.org_slug:
                    err: DomainError = InvalidInput("api.donor_mismatch", donor=request.donor, org=who.org_slug)
                    results.append(_refused(request.request_id, err))
                    continue
                try:
                    done = await retire_device(RetireDevice(request, Actor(org=who.org_slug, user=who.id)), uow)
                except DomainError as exc:  # the handler's savepoint leaves the batch's transaction usable
                    results.append(_refused(request.request_id, exc))
                    continue
                results.append(RetirementResult(request_id=request.request_id, code=format_code(done.code),
                                                status="created" if done.created else "existing"))
        count = {s: sum(r.status == s for r in results) for s in ("created", "existing", "refused")}
        return RetirementResults(**count, results=results)

    async def list_devices(self, who: UserView, state: str | None, category: str | None, donor: str | None,
                           updated_since: datetime | None, limit: int, offset: int,
                           cursor: str | None = None) -> DeviceList:
        """A page of what `who`'s organisation may see, newest change first. `cursor` (from the previous page)
        is where it starts; `offset` is kept for the clients of the first API, counted from there."""
        limit = max(1, min(limit, MAX_PAGE))
        offset = max(offset, 0)
        query = query_fingerprint(who.org_slug, who.role, state, category, donor,
                                  updated_since.isoformat() if updated_since else None)
        after = decode_cursor(cursor, query) if cursor else FIRST_PAGE
        async with self.pool.acquire() as conn:
            rows = await q.visible_devices(conn, who.role == "auditor", who.org_slug, who.role == "third_place",
                                           (state, category, donor, updated_since), after, limit + 1, offset)
        items = [device_summary(r) for r in rows[:limit]]
        if len(rows) <= limit:
            return DeviceList(items=items, next_offset=None, next_cursor=None, next=None)
        last = rows[limit - 1]
        next_cursor = encode_cursor(last["updated_at"], str(last["id"]), query)
        params = {"state": state, "category": category, "donor": donor,
                  "updated_since": updated_since.isoformat() if updated_since else None, "limit": limit,
                  "cursor": next_cursor}
        link = "/api/devices?" + urlencode({k: v for k, v in params.items() if v is not None})
        return DeviceList(items=items, next_offset=None if cursor else offset + limit, next_cursor=next_cursor,
                          next=link)

    async def device(self, who: UserView, code: str) -> DeviceDetail:
        """The device page its organisation's users read: the private trail only if the organisation is one
        of the device's parties (or an auditor), else the public passport (`domain.visibility`)."""
        page = await self.marketplace.device_page_for(code, who)
        return DeviceDetail(device=page.device, events=page.events, chain_ok=page.chain_ok,
                            allowed_actions=await self._allowed(who, code))

    async def perform(self, who: UserView, code: str, action: str, data: dict[str, Any]) -> ActionResult:
        """Like `DeviceServices.perform`, for a token's principal."""
        summary = await self.marketplace.perform_as(who, code, action, data)
        return ActionResult(device=summary, allowed_actions=await self._allowed(who, code))

    async def perform_batch(self, who: UserView, body: BatchActionRequest) -> BatchResults:
        """One step for several devices, each on its own (`services.bulk_actions`): one outcome per device."""
        from marketplace.api.errors import render
        from marketplace.services.bulk_actions import BatchItem

        outcomes = await self.marketplace.perform_batch_as(
            who, body.action, body.input, [BatchItem(d.code, d.input) for d in body.devices])
        results = []
        for o in outcomes:
            if o.refusal is None:
                results.append(BatchOutcome(code=o.code, status="done", device=o.device))
            else:
                err = render(o.refusal)["error"]
                results.append(BatchOutcome(code=o.code, status="refused",
                                            error=ApiErrorDetail(code=err["code"], message=err["message"])))
        done = sum(r.status == "done" for r in results)
        return BatchResults(done=done, refused=len(results) - done, results=results)

    async def _allowed(self, who: UserView, code: str) -> list[Any]:
        return list(await self.marketplace.actions_for(who, code))


def _refused(request_id: str, err: DomainError) -> RetirementResult:
    from marketplace.api.errors import render

    body = render(err)["error"]
    return RetirementResult(request_id=request_id, status="refused",
                            error=ApiErrorDetail(code=body["code"], message=body["message"]))


async def report(marketplace: Marketplace, who: UserView, name: str, start: str | None, end: str | None,
                 donor: str | None, pays: str | None) -> ReportBody:
    """The reports service's report, for auditor tokens (tokens are never admins)."""
    from datetime import date

    from marketplace.reports.model import REPORTS, ReportFilter
    from marketplace.reports.service import ReportService, may_read_reports

    if not may_read_reports(who.role, who.is_admin):
        raise Forbidden(needed="auditor", role=who.role)
    if name not in REPORTS:
        raise NotFound("report.not_found")
    try:
        filters = ReportFilter(start=date.fromisoformat(start) if start else None,
                               end=date.fromisoformat(end) if end else None, donor=donor, pays=pays)
    except ValueError as exc:
        raise InvalidInput(detail="start / end : date AAAA-MM-JJ attendue") from exc
    built = await ReportService(marketplace).build(name, filters)
    return ReportBody.model_validate({"name": built.name, "filters": filters.as_dict(), "tables": built.tables,
                                      "notes": built.notes, "totals": built.totals})
