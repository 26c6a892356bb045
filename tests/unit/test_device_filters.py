"""The device lists' filters, checked on the server: each field refused with its own sentence, naming the value."""

from __future__ import annotations

from datetime import date

import pytest

from marketplace.domain.device_filters import catalogue_filter, device_list_filter, pays_choices
from marketplace.domain.errors import InvalidInput
from ui import i18n


def refusal(call: object, lang: str = "fr") -> tuple[str, str]:
    with pytest.raises(InvalidInput) as caught:
        call()  # type: ignore[operator]
    return caught.value.message_key, i18n.error_message(caught.value, lang)


class TestCatalogueFilter:
    def test_typed_numbers_with_a_comma_or_a_point(self) -> None:
        f = catalogue_filter("laptop", "B", "BREST", "1,5", "256", 15.6)
        assert (f.category, f.grade, f.pays, f.min_ram_gb, f.min_storage_gb, f.min_screen_in) == (
            "laptop", "B", "BREST", 1.5, 256, 15.6)
        assert catalogue_filter(min_ram_gb=" ", pays="") == catalogue_filter()

    @pytest.mark.parametrize(("field", "fr", "en"), [
        ("min_ram_gb", "RAM minimale : « huit » n'est pas un nombre de Go", "Minimum RAM: “huit” is not a number of GB"),
        ("min_storage_gb", "Stockage minimal : « huit » n'est pas un nombre de Go", "Minimum storage: “huit”"),
        ("min_screen_in", "Écran minimal : « huit » n'est pas une taille en pouces", "Minimum screen: “huit”"),
    ])
    def test_each_number_field_says_what_it_wants(self, field: str, fr: str, en: str) -> None:
        key, text = refusal(lambda: catalogue_filter(**{field: "huit"}))
        assert key == f"filter.{field}" and text.startswith(fr)
        assert "poids" not in text.lower() and "kilogram" not in text.lower()
        assert refusal(lambda: catalogue_filter(**{field: "huit"}), "en")[1].startswith(en)

    @pytest.mark.parametrize("value", ["-1", "1e3", "0,4,5", "4097", float("nan"), float("inf"), -2.0, True])
    def test_out_of_range_or_misread_ram_is_refused(self, value: object) -> None:
        assert refusal(lambda: catalogue_filter(min_ram_gb=value))[0] == "filter.min_ram_gb"  # type: ignore[arg-type]

    @pytest.mark.parametrize(("field", "value"), [("category", "toaster"), ("grade", "Z"), ("pays", "Brest"),
                                                  ("pays", "Pays de Brest"), ("pays", "brest' OR 1=1")])
    def test_unknown_choices_are_refused_by_name(self, field: str, value: str) -> None:
        key, text = refusal(lambda: catalogue_filter(**{field: value}))
        assert key == f"filter.{field}" and f"« {value} »" in text


class TestDeviceListFilter:
    def test_dates_from_a_date_field_or_typed_in_french(self) -> None:
        f = device_list_filter("retired", "lycee-des-embruns-brest", "BREST", "2026-01-01", "31/12/2026")
        assert (f.retired_from, f.retired_to) == (date(2026, 1, 1), date(2026, 12, 31))

    @pytest.mark.parametrize(("field", "value"), [("retired_from", "31/02/2026"), ("retired_to", "demain"),
                                                  ("state", "stolen"), ("donor", "Lycée des Embruns"),
                                                  ("pays", "XX")])
    def test_each_field_is_refused_with_its_own_key(self, field: str, value: str) -> None:
        key, text = refusal(lambda: device_list_filter(**{field: value}))
        assert key == f"filter.{field}" and value in text

    def test_a_start_after_the_end_is_refused(self) -> None:
        key, text = refusal(lambda: device_list_filter(retired_from="2026-12-31", retired_to="2026-01-01"))
        assert key == "filter.dates_order" and "2026-12-31" in text


def test_pays_are_offered_by_name() -> None:
    choices = pays_choices()
    assert len(choices) == 21 and ("BREST", "Pays de Brest") in choices
    assert [name for _, name in choices] == sorted(name for _, name in choices)
