"""The batch form's fields become one shared input and each device's own part (ui/batch_inputs.py)."""

from __future__ import annotations

import pytest

from marketplace.domain.errors import InvalidInput
from ui.batch_inputs import batch_input, medium_name

WIPE = {"method": "Purge", "technique": "1 passe de zéros", "tool": "nwipe", "tool_version": "0.34",
        "verification": "full", "operator": "Yann", "sanitised_on": "2026-12-02", "destination": "reuse",
        "signature": "Yann"}


def test_each_device_of_a_wipe_batch_certifies_its_own_media() -> None:
    form = dict(WIPE)
    form |= {medium_name("AAAA-BBBB-CCCC", 0, k): v for k, v in (("make", "Samsung"), ("model", "PM981"),
                                                                   ("serial", "S1"))}
    form |= {medium_name("DDDD-EEEE-FFFF", 0, "serial"): "S2"}
    shared, items = batch_input("wipe", form, ["AAAA-BBBB-CCCC", "DDDD-EEEE-FFFF", "GGGG-HHHH-JJJJ"], "fr")
    assert "media" not in shared and shared["tool"] == "nwipe"
    assert [i.own for i in items] == [
        {"media": [{"make": "Samsung", "model": "PM981", "serial": "S1"}]},
        {"media": [{"make": "", "model": "", "serial": "S2"}]},  # incomplete: the services refuse it, by name
        {"media": []},  # none: refused too
    ]


def test_the_shared_fields_are_still_required() -> None:
    with pytest.raises(InvalidInput):
        batch_input("wipe", {**WIPE, "technique": ""}, ["AAAA-BBBB-CCCC"], "fr")


def test_other_steps_share_everything() -> None:
    shared, items = batch_input("diagnose", {"outcome": "parts_only", "findings": "écran"}, ["AAAA-BBBB-CCCC"], "fr")
    assert shared == {"outcome": "parts_only", "findings": "écran"} and items[0].own == {}
