"""The device-page forms become the inputs of the lifecycle actions (`schemas/actions.py`)."""

from __future__ import annotations

from datetime import datetime

import pytest

from marketplace.domain.errors import InvalidInput
from marketplace.domain.permissions import Action
from schemas.actions import INPUT_OF_ACTION
from ui.action_inputs import action_data, parse_parts, parse_weight
from ui.i18n import error_message

FORMS: dict[str, dict[str, str]] = {
    "claim": {},
    "decline": {"reason": "Pas de place cette semaine"},
    "collect": {"confirm_code": "ABCD-EFGH-JKMN"},
    "diagnose": {"outcome": "parts_only", "findings": "Carte mère HS"},
    "wipe": {"method": "Purge", "technique": "ATA Secure Erase", "tool": "nwipe", "tool_version": "0.36",
             "verification": "full", "operator": "Yann, technicien", "sanitised_on": "2026-03-02",
             "media_0_make": "Samsung", "media_0_model": "PM871", "media_0_serial": "S123",
             "media_1_make": "", "media_1_model": "", "media_1_serial": "", "destination": "reuse",
             "signature": "Yann Kerjean"},
    "refurbish": {"grade": "A", "os_installed": "Linux Mint 22", "tests_passed": "clavier\n\nécran\n"},
    "reserve": {"hold_until": "2030-01-31"},
    "cancel_reservation": {},
    "deliver": {"confirm_code": "ABCD-EFGH-JKMN", "beneficiary_category": "students"},
    "return": {"reason": "Fin du prêt"},
    "harvest": {"parts": "2 x barrette RAM\nventilateur"},
    "recycle": {"recycler": "deee-ouest-recyclage-vitre", "weight_kg": "2,5", "slip_number": "BSD-1",
                "storage_destruction_certified": "on"},
    "write_off": {"reason": "Volé au CDI"},
}


class TestActionData:
    @pytest.mark.parametrize("action", [a.value for a in Action])
    def test_every_filled_form_is_a_valid_input_of_its_action(self, action: str) -> None:
        data = action_data(action, {"action": action, **FORMS[action]}, "fr")
        INPUT_OF_ACTION[action].model_validate(data)

    def test_the_wipe_certificate_keeps_only_the_media_filled_in(self) -> None:
        data = action_data("wipe", FORMS["wipe"], "fr")
        assert data["media"] == [{"make": "Samsung", "model": "PM871", "serial": "S123"}]

    def test_a_recycler_receiving_names_no_recycler(self) -> None:
        data = action_data("recycle", FORMS["recycle"], "fr", is_recycler=True)
        assert "recycler" not in data
        assert data["weight_kg"] == 2.5
        assert data["storage_destruction_certified"] is True

    def test_a_hold_date_lasts_until_the_end_of_that_day_with_its_time_zone(self) -> None:
        hold = datetime.fromisoformat(action_data("reserve", FORMS["reserve"], "fr")["hold_until"])
        assert (hold.date().isoformat(), hold.hour, hold.tzinfo is not None) == ("2030-01-31", 23, True)

    def test_no_hold_date_means_the_default_hold(self) -> None:
        assert action_data("reserve", {"hold_until": ""}, "fr") == {}

    def test_a_weight_that_is_not_a_number_is_refused_with_a_sentence_naming_the_field(self) -> None:
        for typed in ("deux kilos", "012", "1,500"):  # "1,500": a kilo and a half, or 1,500 kg?
            with pytest.raises(InvalidInput) as refused:
                parse_weight(typed, "fr")
            assert "Poids (kg)" in error_message(refused.value, "fr")
            assert "Weight" in error_message(refused.value, "en")
        assert parse_weight("12,5", "fr") == parse_weight("12.5", "en") == 12.5
        assert parse_weight("1 200", "fr") == 1200

    def test_an_empty_required_field_is_named_in_the_readers_language(self) -> None:
        # The forms leave the browser's own checks off (its bubbles speak English on a French page).
        form = {**FORMS["wipe"], "technique": " ", "signature": ""}
        with pytest.raises(InvalidInput) as refused:
            action_data("wipe", form, "fr")
        assert error_message(refused.value, "fr") == "Rien n'a été enregistré ; à remplir : Technique, Signataire."
        with pytest.raises(InvalidInput) as refused:
            action_data("recycle", {"weight_kg": "", "slip_number": "B-1"}, "en")
        assert "Weight" in error_message(refused.value, "en")

    def test_parts_read_a_quantity_or_count_one(self) -> None:
        assert parse_parts("2 × barrette RAM\n  ventilateur \n3x vis") == [
            {"name": "barrette RAM", "quantity": 2}, {"name": "ventilateur", "quantity": 1},
            {"name": "vis", "quantity": 3},
        ]

    def test_harvesting_nothing_is_refused(self) -> None:
        with pytest.raises(InvalidInput):
            action_data("harvest", {"parts": "  \n"}, "en")

    def test_an_unknown_action_passes_its_fields_on_for_the_services_to_refuse(self) -> None:
        assert action_data("teleport", {"action": "teleport", "where": "Mars"}, "fr") == {"where": "Mars"}
