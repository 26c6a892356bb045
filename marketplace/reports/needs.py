"""The needs report (issue 21), for auditors and admins: needs posted, met, partly met and unmet by pays,
category and beneficiary category; the median time to meet a need; devices delivered and lent by beneficiary
category (the social side of the impact figures). Not yet on /rapports nor in /api/reports (docs/routing-policy.md)."""

from __future__ import annotations

from marketplace.adapters import need_report_queries as q
from marketplace.domain.errors import Forbidden, NotAuthenticated
from marketplace.reports.model import Report, ReportFilter
from marketplace.reports.service import may_read_reports
from marketplace.services.base import ServiceBase


class NeedReports(ServiceBase):
    async def needs_report(self, token: str | None, filters: ReportFilter) -> Report:
        user = await self.user_for_session(token)
        if user is None:
            raise NotAuthenticated()
        if not may_read_reports(user.role, user.is_admin):
            raise Forbidden(needed="auditor / admin", role=user.role)
        return await self.build(filters)

    async def build(self, filters: ReportFilter) -> Report:
        start, end, _donor, pays = filters.args()  # needs have no donor
        args = (start, end, pays)
        async with self.pool.acquire() as conn:
            needs = await q.needs(conn, args)
            median = await q.median_days_to_meet(conn, args)
            lives = await q.second_lives(conn, args)
        totals = {key: sum(r[key] for r in needs) for key in ("posted", "met", "partly_met", "unmet")}
        return Report("needs", filters, tables={"needs": needs, "second_lives": lives},
                      totals={**totals, "median_days_to_meet": median})
