"""The auditors' reports over devices brought to each state by the real services."""

from __future__ import annotations

import csv
import io
import json

import pytest

from marketplace.domain.errors import Forbidden, NotFound
from marketplace.reports.model import ReportFilter
from marketplace.reports.service import ReportService
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack


@pytest.fixture
async def journeys(stack: Stack) -> Journeys:
    j = Journeys(stack)
    for state in ("delivered", "reserved", "recycled", "claimed"):
        await j.device_in(state)
    return j


class TestReports:
    async def test_flows_count_devices_offers_and_time_in_state(self, stack: Stack, journeys: Journeys) -> None:
        report = await ReportService(stack.marketplace).report(await journeys.token("auditor"), "flows", ReportFilter())
        by_state = {r["state"]: r["devices"] for r in report.tables["by_state"]}
        # Journeys retires one more device on its way to a side exit (it stays `retired`).
        assert by_state == {"delivered": 1, "reserved": 1, "recycled": 1, "claimed": 1, "retired": 1}
        assert report.totals["devices"] == 5 and report.totals["offers_claimed"] == 4
        assert sum(r["devices"] for r in report.tables["by_month"]) == 5
        stays = {r["state"]: r for r in report.tables["time_in_state"]}
        assert stays["retired"]["stays"] == 4 and stays["retired"]["current"] == 1
        assert stays["claimed"]["current"] == 1 and stays["claimed"]["stays"] == 3

    async def test_compliance_counts_reuse_against_the_target_with_evidence(self, stack: Stack,
                                                                            journeys: Journeys) -> None:
        report = await ReportService(stack.marketplace).report(await journeys.token("auditor"), "compliance",
                                                               ReportFilter())
        [row] = report.tables["by_donor_year"]
        assert (row["eligible"], row["reused"], row["in_progress"]) == (5, 1, 1)
        assert row["reuse_share_pct"] == 20.0 and row["target_pct"] == 50.0 and row["met"] is False
        assert sorted(r["outcome"] for r in report.tables["evidence"]) == [
            "in_progress", "not_reused", "not_reused", "not_reused", "reused"]
        [delivery] = report.tables["deliveries"]
        assert delivery["eligible"] is True and delivery["beneficiary"] == "students"

    async def test_impact_states_factors_and_counts_weee_kilograms(self, stack: Stack, journeys: Journeys) -> None:
        report = await ReportService(stack.marketplace).report(await journeys.token("auditor"), "impact",
                                                               ReportFilter())
        assert report.totals["devices_reused"] == 1 and report.totals["kg_co2e_avoided"] == 182.6
        assert report.totals["weee_kg"] == 2.3
        assert "Substitution" in report.notes["assumption"] and "ADEME" in report.notes["factors"]

    async def test_filters_narrow_every_report(self, stack: Stack, journeys: Journeys) -> None:
        token = await journeys.token("auditor")
        service = ReportService(stack.marketplace)
        other = await service.report(token, "flows", ReportFilter(donor="lycee-inexistant"))
        assert other.totals["devices"] == 0
        from datetime import date

        past = await service.report(token, "impact", ReportFilter(date(2020, 1, 1), date(2020, 12, 31)))
        assert past.totals["devices_reused"] == 0 and past.totals["weee_kg"] == 0

    async def test_only_auditors_and_admins_read_reports(self, stack: Stack, journeys: Journeys) -> None:
        with pytest.raises(Forbidden):
            await ReportService(stack.marketplace).report(await journeys.token("refurbisher"), "flows", ReportFilter())
        await ReportService(stack.marketplace).report(await journeys.token("admin"), "flows", ReportFilter())

    async def test_a_download_ticket_gives_the_file_once(self, stack: Stack, journeys: Journeys) -> None:
        service = ReportService(stack.marketplace)
        ticket = await service.create_download(await journeys.token("auditor"), "compliance", ReportFilter(),
                                               "csv", "evidence")
        body, media, name = await service.redeem_download(ticket)
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        assert media.startswith("text/csv") and name.endswith("evidence.csv") and len(rows) == 5
        with pytest.raises(NotFound):
            await service.redeem_download(ticket)
        ticket = await service.create_download(await journeys.token("auditor"), "impact", ReportFilter(), "json")
        assert json.loads((await service.redeem_download(ticket))[0])["totals"]["weee_kg"] == 2.3
