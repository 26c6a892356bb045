"""The session token sits sealed in the UI's state store (issue 16, item 10): only the holder of the secret
opens it, and a store read with another secret, or tampered with, gives nothing."""

from __future__ import annotations

from marketplace.auth.sealing import seal, unseal

TOKEN = "Zk3n8m0b6WQvJmS1f0aN7kqzYxQyUo9gq6t2r4s8u0w"


class TestSealing:
    def test_the_secret_opens_what_it_sealed(self) -> None:
        sealed = seal(TOKEN, "the deployment's secret")
        assert TOKEN not in sealed
        assert unseal(sealed, "the deployment's secret") == TOKEN

    def test_another_secret_opens_nothing(self) -> None:
        assert unseal(seal(TOKEN, "one secret"), "another secret") == ""

    def test_a_tampered_seal_opens_nothing(self) -> None:
        sealed = seal(TOKEN, "s")
        assert unseal(sealed[:-2] + ("AA" if sealed[-2:] != "AA" else "BB"), "s") == ""
        assert unseal("not a seal at all", "s") == ""

    def test_without_a_secret_the_process_key_seals_and_opens(self) -> None:
        assert unseal(seal(TOKEN, None), None) == TOKEN
        assert unseal(seal(TOKEN, None), "a secret") == ""

    def test_nothing_stays_nothing(self) -> None:
        assert seal("", "s") == "" and unseal("", "s") == ""
