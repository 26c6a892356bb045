"""Issue 21: what the Région reads of demand: needs posted, met, partly met and unmet, the median time to meet
one, and devices delivered and lent by beneficiary category; for auditors and admins only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.domain.errors import Forbidden
from marketplace.reports.model import ReportFilter
from marketplace.reports.needs import NeedReports
from marketplace.services.loans import LoanServices
from marketplace.services.needs import NeedServices
from tests.integration.journeys import Journeys
from tests.integration.needs_support import feed_matcher, laptop_need, refurbished
from tests.integration.stack import Stack


class TestNeedReport:
    async def test_demand_met_and_second_lives_by_beneficiary(self, stack: Stack) -> None:
        j, s = Journeys(stack), NeedServices(stack.pool, stack.settings)
        tl = await j.token("third_place")
        await s.post_need(tl, laptop_need(quantity=1))
        await s.post_need(tl, laptop_need(quantity=2, beneficiary_category="seniors"))
        await s.post_need(tl, laptop_need(category="tablet", beneficiary_category="students"))
        code = await refurbished(j)
        await feed_matcher(stack, code)
        [proposal] = await s.proposals(tl)
        await s.accept_proposal(tl, proposal.id)
        await j.act("refurbisher", code, "deliver", {"confirm_code": code, "beneficiary_category": "job_seekers"})
        await LoanServices(stack.pool, stack.settings).lend(
            tl, code, {"beneficiary_category": "seniors", "due_on": (date.today() + timedelta(9)).isoformat()})

        report = await NeedReports(stack.pool, stack.settings).needs_report(await j.token("auditor"), ReportFilter())
        rows = {(r["category"], r["beneficiary_category"]): (r["posted"], r["met"], r["partly_met"], r["unmet"])
                for r in report.tables["needs"]}
        assert rows == {("laptop", "job_seekers"): (1, 1, 0, 0), ("laptop", "seniors"): (1, 0, 0, 1),
                        ("tablet", "students"): (1, 0, 0, 1)}
        assert {r["pays"] for r in report.tables["needs"]} == {"GUINGAMP"}
        assert report.totals["met"] == 1 and report.totals["median_days_to_meet"] == 0.0
        lives = {r["beneficiary_category"]: (r["delivered"], r["lent"]) for r in report.tables["second_lives"]}
        assert lives == {"job_seekers": (1, 0), "seniors": (0, 1)}
        other = await NeedReports(stack.pool, stack.settings).needs_report(await j.token("admin"),
                                                                           ReportFilter(pays="BREST"))
        assert other.tables["needs"] == []

    async def test_only_auditors_and_admins_read_it(self, stack: Stack) -> None:
        j = Journeys(stack)
        for role in ("third_place", "refurbisher", "asset_manager"):
            with pytest.raises(Forbidden):
                await NeedReports(stack.pool, stack.settings).needs_report(await j.token(role), ReportFilter())
