"""Avoided emissions: manufacturing + assembly of a new device of the same category, factors cited."""

from __future__ import annotations

import pytest

from marketplace.domain.impact import avoided_emissions, default_factors, parse_factors

pytestmark = pytest.mark.unit

CSV = """category,manufacturing_kg_co2e,assembly_distribution_kg_co2e,use_kg_co2e_per_year,source
laptop,170.3,12.3,1.7,"ADEME/Arcep 2022"
network,60.8,,,"proxy"
printer,,,,"none"
"""


class TestAvoidedEmissions:
    def test_a_reused_laptop_avoids_the_manufacturing_and_assembly_of_a_new_one(self) -> None:
        figure = avoided_emissions("laptop", "delivered", parse_factors(CSV))
        assert figure.kg == pytest.approx(182.6)
        assert figure.reason == "reuse"
        assert figure.factor is not None and figure.factor.source == "ADEME/Arcep 2022"

    def test_a_missing_assembly_figure_counts_as_zero(self) -> None:
        assert avoided_emissions("network", "retired", parse_factors(CSV)).kg == pytest.approx(60.8)

    def test_a_category_without_a_factor_has_no_figure(self) -> None:
        for category in ("printer", "server"):
            figure = avoided_emissions(category, "retired", parse_factors(CSV))
            assert (figure.kg, figure.reason) == (None, "no_factor")

    @pytest.mark.parametrize("state", ["harvested", "recycled", "written_off"])
    def test_a_device_that_got_no_second_life_avoids_nothing(self, state: str) -> None:
        figure = avoided_emissions("laptop", state, parse_factors(CSV))
        assert (figure.kg, figure.reason) == (None, "not_reused")
        assert figure.factor is not None  # the factor is still shown, for transparency

    def test_the_shipped_factors_are_those_of_the_shared_data(self) -> None:
        factors = default_factors()
        assert set(factors) == {"laptop", "desktop", "monitor", "smartphone", "tablet", "network"}
        assert avoided_emissions("desktop", "refurbished", factors).kg == pytest.approx(204.4)
