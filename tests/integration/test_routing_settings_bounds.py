"""The routing settings on the real database (issue 23): the service refuses a value out of its bounds or
one it could misread, whatever page sent it, and changes nothing; French decimals are read as meant; the
preview routes real devices with the real scorer and saves nothing."""

from __future__ import annotations

import pytest

from marketplace.domain.errors import Forbidden, InvalidInput
from tests.integration.journeys import Journeys
from tests.integration.stack import Stack


@pytest.mark.parametrize(("changes", "field"), [
    ({"routing_weight_territory": "4"}, "routing_weight_territory"),  # in the environment's range, not in /admin's
    ({"routing_weight_territory": "04"}, "routing_weight_territory"),  # "0,4" with its comma lost
    ({"routing_weight_fairness": "abc"}, "routing_weight_fairness"),
    ({"routing_k": "2,5"}, "routing_k"),
    ({"routing_k": "21"}, "routing_k"),
    ({"pickup_deadline_hours": "0"}, "pickup_deadline_hours"),
    ({"offer_ttl_hours": "1,500"}, "offer_ttl_hours"),
    ({"routing_k": "2", "routing_max_rounds": "11"}, "routing_max_rounds"),  # nothing of a refused change is kept
])
async def test_the_server_refuses_out_of_range_or_misread_values_and_changes_nothing(
    stack: Stack, changes: dict[str, str], field: str
) -> None:
    admin = await Journeys(stack).token("admin")
    before = await stack.marketplace.routing_settings(admin)
    with pytest.raises(InvalidInput) as refused:
        await stack.marketplace.change_routing_settings(admin, changes)
    assert refused.value.params["field"] == field
    with pytest.raises(InvalidInput):
        await stack.marketplace.preview_routing_settings(admin, changes)
    assert await stack.marketplace.routing_settings(admin) == before
    assert await stack.marketplace.routing_settings_history(admin) == []


async def test_a_french_decimal_is_saved_as_meant(stack: Stack) -> None:
    admin = await Journeys(stack).token("admin")
    changed = await stack.marketplace.change_routing_settings(
        admin, {"routing_weight_territory": "0,4", "offer_ttl_hours": "48,5"})
    assert changed == ["routing_weight_territory", "offer_ttl_hours"]
    current = await stack.marketplace.routing_settings(admin)
    assert current["routing_weight_territory"] == 0.4 and current["offer_ttl_hours"] == 48.5


async def test_the_weights_cannot_all_be_zero(stack: Stack) -> None:
    admin = await Journeys(stack).token("admin")
    weights = ["routing_weight_territory", "routing_weight_fairness", "routing_weight_capacity",
               "routing_weight_reliability"]
    await stack.marketplace.change_routing_settings(admin, dict.fromkeys(weights[1:], "0"))
    with pytest.raises(InvalidInput) as refused:
        await stack.marketplace.change_routing_settings(admin, {"routing_weight_territory": "0"})
    assert refused.value.message_key == "setting.weights_zero"
    assert (await stack.marketplace.routing_settings(admin))["routing_weight_territory"] == 0.5


async def test_the_preview_routes_recent_devices_with_the_proposed_settings_and_saves_nothing(stack: Stack) -> None:
    j = Journeys(stack)
    admin = await j.token("admin")
    codes = {await j.retire() for _ in range(3)}
    preview = await stack.marketplace.preview_routing_settings(admin, {"routing_k": "1"})
    assert preview.sampled >= 3
    changed = {row.code: row for row in preview.changed}
    assert codes <= set(changed)  # three offers today, one after: each of them changes
    for code in codes:
        row = changed[code]
        assert len(row.before) == 3 and row.after == row.before[:1]
        assert all(" " in name or name[:1].isupper() for name in row.before)  # names, not slugs
    unchanged = await stack.marketplace.preview_routing_settings(admin, {"routing_k": "3"})
    assert unchanged.changed == []
    assert (await stack.marketplace.routing_settings(admin))["routing_k"] == 3
    assert await stack.marketplace.routing_settings_history(admin) == []
    with pytest.raises(Forbidden):
        await stack.marketplace.preview_routing_settings(await j.token("auditor"), {"routing_k": "1"})
