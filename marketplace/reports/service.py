"""The auditors' reports: flows, reuse compliance, impact. Auditors and admins only; every call re-checks.

Downloads follow the label sheets' pattern (`label_service.py`): the session token never leaves the UI
server, so a signed-in handler makes a one-time ticket and the browser fetches `/rapports/{ticket}` once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import asyncpg

from marketplace.adapters import report_queries as q
from marketplace.auth.credentials import new_session_token, token_hash
from marketplace.domain.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from marketplace.domain.impact import default_factors
from marketplace.reports.export import report_file
from marketplace.reports.model import REPORTS, Report, ReportFilter
from marketplace.reports.notes import compliance_notes, english, flows_notes, french, impact_notes
from marketplace.reports.rules import donation_verdict, share, target_for
from schemas.common import ROLE_OF_KIND, OrgKind
from schemas.views import UserView

if TYPE_CHECKING:
    from marketplace.services import Marketplace

SCREEN_ROWS = 200  # evidence lists on a page; downloads carry up to EXPORT_ROWS
EXPORT_ROWS = 100_000
TICKET_TTL = timedelta(minutes=5)
FORMATS = ("csv", "json")
REPORT_WORK_MEM = "32MB"


def may_read_reports(role: str, is_admin: bool) -> bool:
    return role == "auditor" or is_admin


class ReportService:
    def __init__(self, marketplace: Marketplace) -> None:
        self.pool = marketplace.pool
        self.settings = marketplace.settings
        self.marketplace = marketplace

    async def _reader(self, token: str | None) -> UserView:
        user = await self.marketplace.user_for_session(token)
        if user is None:
            raise NotAuthenticated()
        if not may_read_reports(user.role, user.is_admin):
            raise Forbidden(needed="auditor / admin", role=user.role)
        return user

    async def report(self, token: str | None, name: str, filters: ReportFilter, rows: int = SCREEN_ROWS) -> Report:
        """A report for a signed-in auditor or admin."""
        await self._reader(token)
        return await self.build(name, filters, rows)

    async def build(self, name: str, filters: ReportFilter, rows: int = SCREEN_ROWS) -> Report:
        """A report with no access check: for the operator's shell and the benchmark only."""
        if name == "flows":
            return await self.flows(filters)
        if name == "compliance":
            return await self.compliance(filters, rows)
        if name == "impact":
            return await self.impact(filters, rows)
        raise InvalidInput(detail=f"rapport « {name[:40]} »")

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[asyncpg.Connection]:
        """A read-only transaction with room to sort and group in memory (a report groups whole tables)."""
        async with self.pool.acquire() as conn, conn.transaction(readonly=True):
            await conn.execute(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
            yield conn

    async def flows(self, f: ReportFilter) -> Report:
        notes = flows_notes()
        report = Report("flows", f, notes=french(notes), notes_en=english(notes))
        async with self._reading() as conn:
            grouped = await q.fetch(conn, q.FLOWS, f.args())
            report.tables["time_in_state"] = [dict(r) for r in await q.fetch(conn, q.TIME_IN_STATE, f.args())]
            report.tables["offers"] = [dict(r) for r in await q.fetch(conn, q.OFFERS, f.args())]
            report.tables["no_shows"] = [dict(r) for r in await q.fetch(conn, q.NO_SHOWS, f.args())]
        for key, column in (("by_state", "state"), ("by_category", "category"), ("by_donor", "donor"),
                            ("by_pays", "pays")):
            report.tables[key] = sorted(({column: r[column], "devices": r["devices"]} for r in grouped if r[key]),
                                        key=lambda row: -int(row["devices"]))
        by_month = [r for r in grouped if not (r["by_state"] or r["by_category"] or r["by_donor"] or r["by_pays"])]
        report.tables["by_month"] = sorted(({"month": r["month"], "devices": r["devices"]} for r in by_month),
                                           key=lambda row: str(row["month"]))
        report.tables = {k: report.tables[k] for k in ("by_state", "by_category", "by_donor", "by_pays", "by_month",
                                                       "time_in_state", "offers", "no_shows")}
        offers = {r["status"]: r["offers"] for r in report.tables["offers"]}
        report.totals = {"devices": sum(int(r["devices"]) for r in report.tables["by_state"]),
                         "offers_claimed": offers.get("claimed", 0) + offers.get("no_show", 0),
                         "offers_expired": offers.get("expired", 0)}
        return report

    async def compliance(self, f: ReportFilter, rows: int) -> Report:
        s = self.settings
        notes = compliance_notes(s.reuse_max_age_years)
        report = Report("compliance", f, notes=french(notes), notes_en=english(notes))
        args = f.args()
        async with self._reading() as conn:
            by_year = await q.fetch(conn, q.COMPLIANCE, args, s.reuse_max_age_years)
            evidence = await q.fetch(conn, q.COMPLIANCE_EVIDENCE, args, s.reuse_max_age_years, rows)
            deliveries = await q.fetch(conn, q.DELIVERIES, args, rows)
        table = []
        for r in by_year:
            target = target_for(r["year"], s.reuse_targets)
            reused_share = share(r["reused"], r["eligible"])
            table.append(dict(r) | {
                "reuse_share_pct": reused_share,
                "with_in_progress_pct": share(r["reused"] + r["in_progress"], r["eligible"]),
                "target_pct": target,
                "met": None if target is None or reused_share is None else reused_share >= target,
            })
        report.tables["by_donor_year"] = table
        report.tables["evidence"] = [
            dict(r) | {"outcome": "reused" if r["delivered_at"] else
                       "in_progress" if r["state"] in ("refurbished", "reserved") else "not_reused"}
            for r in evidence]
        report.tables["deliveries"] = []
        for r in deliveries:
            value = float(r["unit_value_eur"]) if r["unit_value_eur"] is not None else None
            eligible, why = donation_verdict(r["checks"], r["claimer_kind"], value, s.donation_recipient_kinds,
                                             s.donation_ceiling_eur)
            row = {k: r[k] for k in ("code", "donor", "delivered_at", "claimer", "claimer_kind", "third_place",
                                     "beneficiary")}
            report.tables["deliveries"].append(row | {"unit_value_eur": value, "eligible": eligible, "checks": why})
        report.totals = {"eligible": sum(r["eligible"] for r in table), "reused": sum(r["reused"] for r in table),
                         "in_progress": sum(r["in_progress"] for r in table)}
        report.totals["reuse_share_pct"] = share(report.totals["reused"], report.totals["eligible"])
        return report

    async def impact(self, f: ReportFilter, rows: int) -> Report:
        factors = default_factors()
        notes = impact_notes(factors)
        report = Report("impact", f, notes=french(notes), notes_en=english(notes))
        async with self._reading() as conn:
            by_category = await q.fetch(conn, q.REUSED_BY_CATEGORY, f.args())
            devices = await q.fetch(conn, q.REUSED_DEVICES, f.args(), rows)
            weee = await q.fetch(conn, q.WEEE, f.args())

        def per_device(category: str) -> float | None:
            factor = factors.get(category)
            return round(factor.manufacturing_kg + factor.assembly_kg, 1) if factor else None

        report.tables["by_category"] = [
            {"category": r["category"], "devices": r["devices"], "kg_co2e_per_device": per_device(r["category"]),
             "kg_co2e": round((per_device(r["category"]) or 0.0) * r["devices"], 1)} for r in by_category]
        report.tables["devices"] = [dict(r) | {"kg_co2e": per_device(r["category"])} for r in devices]
        report.tables["weee"] = [{"category": r["category"], "devices": r["devices"],
                                  "weight_kg": float(r["weight_kg"])} for r in weee]
        report.totals = {
            "devices_reused": sum(r["devices"] for r in by_category),
            "kg_co2e_avoided": round(sum(r["kg_co2e"] for r in report.tables["by_category"]), 1),
            "devices_without_factor": sum(r["devices"] for r in by_category if per_device(r["category"]) is None),
            "weee_devices": sum(r["devices"] for r in weee),
            "weee_kg": round(sum(float(r["weight_kg"]) for r in weee), 1),
        }
        return report

    async def choices(self, token: str | None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The filters' choices for a signed-in auditor or admin: (donor slug, name) and (pays code, name)."""
        await self._reader(token)
        async with self.pool.acquire() as conn:
            donors = await conn.fetch(q.DONOR_CHOICES)
            pays = await conn.fetch(q.PAYS_CHOICES)
        return [(r["slug"], r["name"]) for r in donors], [(r["code"], r["name"]) for r in pays]

    # --- downloads ------------------------------------------------------------------------------------
    async def create_download(self, token: str | None, name: str, filters: ReportFilter, fmt: str,
                              table: str | None = None) -> str:
        """Step 1 (signed-in handler): a one-time ticket, bound to this user, valid a few minutes."""
        user = await self._reader(token)
        if name not in REPORTS or fmt not in FORMATS:
            raise InvalidInput(detail=f"{name[:40]} / {fmt[:10]}")
        ticket = new_session_token()
        request = {"name": name, "fmt": fmt, "table": table, "filters": filters.as_dict()}
        async with self.pool.acquire() as conn:
            await q.insert_ticket(conn, token_hash(ticket), user.id, request, datetime.now(UTC) + TICKET_TTL)
        return ticket

    async def redeem_download(self, ticket: str) -> tuple[bytes, str, str]:
        """Step 2 (the download route): the file, once; NotFound for unknown, used or expired tickets, and for
        a user who may no longer read reports."""
        async with self.pool.acquire() as conn:
            row = await q.redeem_ticket(conn, token_hash(ticket))
        if row is None or not may_read_reports(ROLE_OF_KIND[OrgKind(row["org_kind"])].value, row["is_admin"]):
            raise NotFound("labels.ticket_invalid")
        request: dict[str, Any] = row["request"]
        filters = parse_filter(request["filters"])
        report = await self.build(request["name"], filters, EXPORT_ROWS)
        return report_file(report, request["fmt"], request.get("table"))


def parse_filter(values: dict[str, Any]) -> ReportFilter:
    """A filter from text fields (ISO dates); InvalidInput when a date is malformed."""
    try:
        start = date.fromisoformat(values["start"]) if values.get("start") else None
        end = date.fromisoformat(values["end"]) if values.get("end") else None
    except ValueError as exc:
        raise InvalidInput(detail="date attendue au format AAAA-MM-JJ") from exc
    return ReportFilter(start, end, values.get("donor") or None, values.get("pays") or None)
