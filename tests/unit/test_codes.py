from __future__ import annotations

from marketplace.domain.codes import ALPHABET, format_code, new_code, normalise_code


class TestDeviceCodes:
    def test_codes_are_12_crockford_characters_shown_in_three_groups(self) -> None:
        code = new_code()
        assert len(code) == 12 and normalise_code(code) == code
        assert format_code(code) == f"{code[:4]}-{code[4:8]}-{code[8:]}"

    def test_what_people_type_is_accepted(self) -> None:
        assert normalise_code(" abcd-efgh-0o1l ") == "ABCDEFGH0011"

    def test_malformed_codes_are_refused(self) -> None:
        for text in ["", "ABCD-EFGH", "ABCD-EFGH-JKMNP", "ABCD-EFGH-JKU!", "<script>"]:
            assert normalise_code(text) is None

    def test_codes_do_not_repeat(self) -> None:
        assert len({new_code() for _ in range(10_000)}) == 10_000

    def test_every_character_of_a_code_is_drawn_from_the_whole_alphabet(self) -> None:
        codes = [new_code() for _ in range(3_000)]
        for position in range(12):
            assert {code[position] for code in codes} == set(ALPHABET)
