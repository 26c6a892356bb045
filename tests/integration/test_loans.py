"""Issue 21: loans of delivered devices to people: lent, returned, lent again; back faulty goes to the
refurbisher; each loan and return an event in the trail; overdue loans listed; only the custodian lends."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.audit.service import AuditService
from marketplace.domain.errors import Conflict, DomainError, Forbidden, InvalidInput
from marketplace.services.loans import LoanServices
from tests.integration.journeys import Journeys
from tests.integration.needs_support import REDON, person_in
from tests.integration.stack import Stack


def loans(stack: Stack) -> LoanServices:
    return LoanServices(stack.pool, stack.settings)


def soon(days: int = 30) -> str:
    return (date.today() + timedelta(days)).isoformat()


async def trail(stack: Stack, code: str) -> list[str]:
    rows = await stack.pool.fetch("SELECT e.type FROM asset_events e JOIN assets a ON a.id = e.asset_id "
                                  "WHERE a.code = $1 ORDER BY e.sequence", code.replace("-", ""))
    return [r["type"] for r in rows]


class TestLoans:
    async def test_a_delivered_device_is_lent_returned_and_lent_again_each_in_the_trail(self, stack: Stack) -> None:
        j, s = Journeys(stack), loans(stack)
        code = await j.device_in("delivered")
        tl = await j.token("third_place")
        await s.lend(tl, code, {"beneficiary_category": "job_seekers", "due_on": soon(), "reference": "DOSSIER-42"})
        with pytest.raises(Conflict):
            await s.lend(tl, code, {"beneficiary_category": "seniors", "due_on": soon()})
        assert await s.return_loan(tl, code, {"condition": "working"}) == "delivered"
        await s.lend(tl, code, {"beneficiary_category": "seniors", "due_on": soon(60)})
        assert (await trail(stack, code))[-3:] == ["asset.lent", "asset.loan_returned", "asset.lent"]
        payload = await stack.pool.fetchval(
            "SELECT e.payload FROM asset_events e JOIN assets a ON a.id = e.asset_id WHERE a.code = $1 "
            "AND e.type = 'asset.lent' ORDER BY e.sequence LIMIT 1", code.replace("-", ""))
        assert "DOSSIER-42" not in str(payload)  # the reference stays with the tiers-lieu's own record
        listed = await s.loans(tl)
        assert [(x.beneficiary_category, x.returned_at is None) for x in listed] == [("seniors", True),
                                                                                    ("job_seekers", False)]
        report = await AuditService(stack.pool).verify()
        assert report.ok

    async def test_a_device_back_faulty_goes_to_its_refurbisher(self, stack: Stack) -> None:
        j, s = Journeys(stack), loans(stack)
        code = await j.device_in("delivered")
        tl = await j.token("third_place")
        await s.lend(tl, code, {"beneficiary_category": "students", "due_on": soon()})
        assert await s.return_loan(tl, code, {"condition": "faulty", "notes": "écran noir"}) == "returned"
        assert (await trail(stack, code))[-2:] == ["asset.loan_returned", "asset.returned"]
        row = await stack.pool.fetchrow("SELECT a.state, o.slug, a.wiped, a.diagnosis FROM assets a "
                                        "JOIN organisations o ON o.id = a.custodian_org_id WHERE a.code = $1",
                                        code.replace("-", ""))
        assert tuple(row) == ("returned", "repar-acteurs-brest", False, None)

    async def test_overdue_loans_are_listed_for_the_place_and_for_admins(self, stack: Stack) -> None:
        j, s = Journeys(stack), loans(stack)
        code = await j.device_in("delivered")
        tl = await j.token("third_place")
        await s.lend(tl, code, {"beneficiary_category": "families", "due_on": soon(10)})
        assert await s.loans(tl, overdue_only=True) == []
        await stack.pool.execute("UPDATE loans SET lent_on = lent_on - 40, due_on = due_on - 20")
        [late] = await s.loans(tl, overdue_only=True)
        assert late.overdue and late.device_code == code
        assert [x.id for x in await s.loans(await j.token("admin"), overdue_only=True)] == [late.id]
        assert await s.loans(await person_in(stack, REDON), overdue_only=True) == []


class TestWhoLends:
    async def test_only_the_custodian_lends_or_records_a_return(self, stack: Stack) -> None:
        j, s = Journeys(stack), loans(stack)
        code = await j.device_in("delivered")
        other = await person_in(stack, REDON)
        with pytest.raises(Forbidden):
            await s.lend(other, code, {"beneficiary_category": "students", "due_on": soon()})
        await s.lend(await j.token("third_place"), code, {"beneficiary_category": "students", "due_on": soon()})
        with pytest.raises(Forbidden):
            await s.return_loan(other, code, {"condition": "broken"})
        for role in ("asset_manager", "recycler", "auditor"):
            with pytest.raises(Forbidden):
                await s.return_loan(await j.token(role), code, {"condition": "broken"})
        assert (await trail(stack, code))[-1] == "asset.lent"

    async def test_a_device_not_delivered_cannot_be_lent(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("reserved")
        with pytest.raises(DomainError) as refused:
            await loans(stack).lend(await j.token("third_place"), code,
                                    {"beneficiary_category": "students", "due_on": soon()})
        assert refused.value.message_key == "transition.refused"

    @pytest.mark.parametrize(("data", "named"), [
        ({"beneficiary_category": "students", "due_on": soon(), "reference": "Jean Dupont"}, "reference"),
        ({"beneficiary_category": "students", "due_on": soon(), "reference": "jean@exemple.fr"}, "reference"),
        ({"beneficiary_category": "students", "due_on": soon(), "name": "Jean"}, "name"),
        ({"beneficiary_category": "martians", "due_on": soon()}, "beneficiary_category"),
        ({"beneficiary_category": "students", "due_on": "demain"}, "due_on"),
    ])
    async def test_bad_input_names_the_field_and_keeps_no_name(self, stack: Stack, data: dict[str, str],
                                                                named: str) -> None:
        j = Journeys(stack)
        code = await j.device_in("delivered")
        with pytest.raises(InvalidInput) as refused:
            await loans(stack).lend(await j.token("third_place"), code, data)
        assert named in str(refused.value)
        assert await stack.pool.fetchval("SELECT count(*) FROM loans") == 0

    async def test_a_due_date_in_the_past_is_refused(self, stack: Stack) -> None:
        j = Journeys(stack)
        code = await j.device_in("delivered")
        with pytest.raises(DomainError) as refused:
            await loans(stack).lend(await j.token("third_place"), code,
                                    {"beneficiary_category": "students", "due_on": soon(-1)})
        assert refused.value.message_key == "loan.due_invalid"
