"""Erasure reports (issue 20): the custodian uploads the wipe tool's report (UI upload, API) to fill and
certify the `wipe` step; the device's donor, its custodian, the organisations that uploaded one, auditors and
admins read them. Nobody else, and never the passport or the open data: they hold disk serials.

A separate service object over the same pool (`ErasureReports(marketplace.pool, marketplace.settings)`).
"""

from __future__ import annotations

from typing import Any

import asyncpg

from marketplace.adapters import erasure_queries as q
from marketplace.adapters import read_models
from marketplace.domain.codes import format_code, normalise_code
from marketplace.domain.erasure_rules import may_read
from marketplace.domain.errors import Forbidden, NotFound
from marketplace.handlers.erasure import read_report, wipe_with_report
from marketplace.i18n import catalogues
from marketplace.services.base import ServiceBase, actor_of
from marketplace.unit_of_work import UnitOfWork
from schemas.erasure import ErasureDisk, ErasureReportList, ErasureReportView, ErasureResult, ErasureUpload
from schemas.views import UserView


class ErasureReports(ServiceBase):
    async def submit(self, token: str | None, code: str, upload: ErasureUpload,
                     lang: str = catalogues.SOURCE_LANGUAGE) -> ErasureResult:
        return await self.submit_as(await self._require(token), code, upload, lang)

    async def submit_as(self, user: UserView, code: str, upload: ErasureUpload,
                        lang: str = catalogues.SOURCE_LANGUAGE) -> ErasureResult:
        """Read the report and fill the certificate (`dry_run`), or certify the wipe with it and keep it."""
        return await self.submit_raw_as(user, code, upload.raw(),
                                        upload.station_timezone, upload.certificate, upload.dry_run, lang)

    async def submit_raw(self, token: str | None, code: str, raw: bytes, station_timezone: str,
                         certificate: dict[str, Any], dry_run: bool,
                         lang: str = catalogues.SOURCE_LANGUAGE) -> ErasureResult:
        """The device page's upload: the file's bytes as they are (kept byte for byte as evidence)."""
        return await self.submit_raw_as(await self._require(token), code, raw, station_timezone, certificate,
                                        dry_run, lang)

    async def submit_raw_as(self, user: UserView, code: str, raw: bytes, station_timezone: str,
                            certificate: dict[str, Any], dry_run: bool,
                            lang: str = catalogues.SOURCE_LANGUAGE) -> ErasureResult:
        if dry_run:
            async with UnitOfWork(self.pool) as uow:
                read = await read_report(uow, code, actor_of(user), raw, station_timezone, lang)
            return ErasureResult(certificate=_json(read.fields), media_checked=read.accepted.media_checked)
        async with UnitOfWork(self.pool) as uow:
            done = await wipe_with_report(uow, code, actor_of(user), user.id, raw, station_timezone, certificate)
            rows = await q.of_asset(uow.conn, done.asset_id, limit=1)
        return ErasureResult(certificate=done.certificate.model_dump(mode="json"), media_checked=done.media_checked,
                             recorded=_view(rows[0], code), certified=done.certificate)

    async def reports(self, token: str | None, code: str) -> ErasureReportList:
        return await self.reports_as(await self._require(token), code)

    async def reports_as(self, user: UserView, code: str, limit: int = 20) -> ErasureReportList:
        async with self.pool.acquire() as conn:
            asset_id = await self._readable(conn, user, code)
            rows = await q.of_asset(conn, asset_id, limit)
        return ErasureReportList(items=[_view(r, code) for r in rows])

    async def report_raw_as(self, user: UserView, code: str, report_id: str) -> bytes:
        """The evidence exactly as uploaded (its SHA-256 is the certificate's)."""
        async with self.pool.acquire() as conn:
            asset_id = await self._readable(conn, user, code)
            try:
                row = await q.raw(conn, asset_id, report_id)
            except asyncpg.DataError:  # not a uuid
                row = None
        if row is None:
            raise NotFound("erasure.report_not_found")
        return bytes(row["raw"])

    @staticmethod
    async def _readable(conn: asyncpg.Connection, user: UserView, code: str) -> str:
        normalised = normalise_code(code)
        if normalised is None:
            raise NotFound("device.code_malformed", code=code[:40])
        row = await read_models.device_by_code(conn, normalised)
        if row is None:
            raise NotFound(code=code[:40])
        asset_id = str(row["id"])
        if not may_read(actor_of(user), row["donor_slug"], row["custodian_slug"], await q.uploaders(conn, asset_id)):
            raise Forbidden("erasure.not_allowed")
        return asset_id


def _json(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in fields.items()}


def _view(r: Any, code: str) -> ErasureReportView:
    reading = r["reading"]
    return ErasureReportView(
        id=str(r["id"]), code=format_code(normalise_code(code) or code), tool=r["tool"], sha256=r["sha256"],
        byte_size=r["byte_size"], station_timezone=r["station_timezone"], media_checked=r["media_checked"],
        uploaded_by_org=r["org_slug"], created_at=r["created_at"], event_id=str(r["event_id"]),
        method=reading["method"], passes=reading.get("passes"), verification=reading["verification"],
        started_at=reading["started_at"], ended_at=reading["ended_at"],
        disks=[ErasureDisk(**d) for d in reading["disks"]],
    )
