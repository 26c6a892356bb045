"""What admins type as allowed domains and SIRETs is normalised, and nonsense is refused."""

from __future__ import annotations

import pytest

from marketplace.domain.errors import InvalidInput
from marketplace.services.proconnect_admin import parse_domains, parse_sirets


class TestAllowanceLists:
    def test_domains_are_lower_cased_deduplicated_and_may_start_with_an_at(self) -> None:
        assert parse_domains("Bretagne.bzh, @ac-rennes.fr bretagne.bzh") == ["ac-rennes.fr", "bretagne.bzh"]

    @pytest.mark.parametrize("bad", ["bzh", "*.bretagne.bzh", "a@b.fr", "exa mple..fr", "-x.fr"])
    def test_a_string_that_is_not_a_domain_is_refused(self, bad: str) -> None:
        with pytest.raises(InvalidInput):
            parse_domains(bad)

    def test_sirets_may_be_typed_with_spaces(self) -> None:
        assert parse_sirets("233 500 016 00040, 23350001600040") == ["23350001600040"]

    @pytest.mark.parametrize("bad", ["2335000160004", "2335000160004x", "233500016000400"])
    def test_a_siret_is_fourteen_digits(self, bad: str) -> None:
        with pytest.raises(InvalidInput):
            parse_sirets(bad)

    def test_empty_allows_nobody(self) -> None:
        assert parse_domains("  ") == [] and parse_sirets("") == []
