"""Numbers as people type them (issue 23): the French comma and the point read the same; what could be a
misreading ("04", "1,500", "abc") is refused with the field named, never guessed; each routing setting has
its bounds, checked by the service whatever the page did."""

from __future__ import annotations

import pytest

from marketplace.domain.errors import InvalidInput
from marketplace.domain.numbers import parse_decimal, parse_whole, written
from marketplace.domain.routing_bounds import BOUNDS, WEIGHT_KEYS, read_changes
from marketplace.routing_settings import EDITABLE
from ui.i18n import error_message

DEFAULTS = {"routing_weight_territory": 0.5, "routing_weight_fairness": 0.25, "routing_weight_capacity": 0.1,
            "routing_weight_reliability": 0.15}


@pytest.mark.parametrize(("typed", "value"), [
    ("0,4", 0.4), ("0.4", 0.4), (" 0,4 ", 0.4), ("4", 4.0), ("0", 0.0), ("-0", 0.0), ("12,75", 12.75),
    ("1 000", 1000.0), ("1\u202f000,5", 1000.5), ("1\u00a0000", 1000.0), ("00,5", 0.5), ("04,5", 4.5),
    ("0,125", 0.125), (3, 3.0), (0.25, 0.25),
])
def test_the_comma_and_the_point_read_the_same_number(typed: object, value: float) -> None:
    assert parse_decimal(typed, "routing_weight_territory") == value


@pytest.mark.parametrize(("typed", "reason"), [
    ("04", "number.leading_zero"), ("007", "number.leading_zero"), ("", "number.empty"), ("  ", "number.empty"),
    ("abc", "number.not_a_number"), ("0,4,5", "number.not_a_number"), ("1.000,5", "number.not_a_number"),
    ("4 5", "number.not_a_number"), ("1e3", "number.not_a_number"), ("inf", "number.not_a_number"),
    ("1_000", "number.not_a_number"), ("0,", "number.not_a_number"), (",4", "number.not_a_number"),
    ("\u0664", "number.not_a_number"), ("1,500", "number.thousands_or_decimals"),
    ("2.000", "number.thousands_or_decimals"), (float("nan"), "number.not_a_number"), (True, "number.not_a_number"),
])
def test_what_could_be_misread_is_refused_with_its_reason(typed: object, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_decimal(typed, "routing_weight_territory")
    assert refused.value.message_key == reason
    assert refused.value.params["field"] == "routing_weight_territory"


def test_a_refusal_names_the_field_by_its_label_in_the_readers_language() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_decimal("04", "routing_weight_territory")
    french, english = error_message(refused.value, "fr"), error_message(refused.value, "en")
    assert "Poids : proximité" in french and "« 04 »" in french and "0,4 ou 4" in french
    assert "Weight: nearness" in english and "0.4 or 4" in english
    assert "routing_weight" not in french + english


def test_a_count_is_a_whole_number() -> None:
    assert parse_whole("3", "routing_k") == 3
    for typed in ("2,5", "3.0", "3,0"):
        with pytest.raises(InvalidInput) as refused:
            parse_whole(typed, "routing_k")
        assert refused.value.message_key == "number.not_whole"


def test_a_value_is_written_back_in_the_readers_decimal_mark() -> None:
    assert written(72.0) == "72" and written(0.25) == "0,25" and written(0.001, ".") == "0.001" and written(3) == "3"


def test_every_editable_setting_has_bounds() -> None:
    assert set(BOUNDS) == set(EDITABLE)


@pytest.mark.parametrize(("key", "typed", "value"), [
    ("routing_k", "1", 1), ("routing_k", "20", 20), ("routing_max_rounds", "10", 10),
    ("offer_ttl_hours", "0,001", 0.001), ("offer_ttl_hours", "720", 720.0), ("pickup_deadline_hours", "2160", 2160.0),
    ("routing_weight_territory", "0", 0.0), ("routing_weight_territory", "1", 1.0),
])
def test_the_bounds_are_included(key: str, typed: str, value: float) -> None:
    assert read_changes({key: typed}, DEFAULTS) == {key: value}


@pytest.mark.parametrize(("key", "typed", "reason"), [
    ("routing_k", "0", "number.out_of_range"), ("routing_k", "21", "number.out_of_range"),
    ("routing_max_rounds", "11", "number.out_of_range"), ("offer_ttl_hours", "0", "number.above_range"),
    ("offer_ttl_hours", "721", "number.above_range"), ("pickup_deadline_hours", "-1", "number.above_range"),
    ("pickup_deadline_hours", "2161", "number.above_range"), ("routing_weight_fairness", "4", "number.out_of_range"),
    ("routing_weight_capacity", "-0,1", "number.out_of_range"), ("routing_weight_reliability", "1,01", "number.out_of_range"),
])
def test_out_of_bounds_is_refused_with_the_bounds_said(key: str, typed: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_changes({key: typed}, DEFAULTS)
    assert refused.value.message_key == reason and refused.value.params["field"] == key
    assert str(BOUNDS[key].high).removesuffix(".0") in error_message(refused.value, "fr")


def test_the_weights_may_not_all_be_zero() -> None:
    only_territory = {**dict.fromkeys(WEIGHT_KEYS, 0.0), "routing_weight_territory": 0.5}
    assert read_changes({"routing_weight_fairness": "0"}, only_territory) == {"routing_weight_fairness": 0.0}
    with pytest.raises(InvalidInput) as refused:
        read_changes({"routing_weight_territory": "0"}, only_territory)
    assert refused.value.message_key == "setting.weights_zero"
    assert "Poids : proximité" in error_message(refused.value, "fr")


def test_unknown_settings_are_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        read_changes({"demo_mode": "1"}, DEFAULTS)
    assert refused.value.message_key == "setting.unknown"
