import hashlib

import pytest

from marketplace.domain.digest import HeadsDigest, heads_digest

A = "0193aaaa-0000-7000-8000-000000000001"
B = "0193bbbb-0000-7000-8000-000000000002"


class TestHeadsDigest:
    def test_is_sha256_of_sorted_lines_as_documented(self) -> None:
        expected = hashlib.sha256(f"{A}:3:{'a' * 64}\n{B}:1:{'b' * 64}\n".encode()).hexdigest()
        assert heads_digest([(B, 1, "b" * 64), (A, 3, "a" * 64)]) == expected

    def test_any_change_of_a_head_changes_the_digest(self) -> None:
        base = heads_digest([(A, 3, "a" * 64), (B, 1, "b" * 64)])
        assert heads_digest([(A, 2, "a" * 64), (B, 1, "b" * 64)]) != base
        assert heads_digest([(A, 3, "c" * 64), (B, 1, "b" * 64)]) != base
        assert heads_digest([(A, 3, "a" * 64)]) != base

    def test_no_heads_digest_to_the_empty_string(self) -> None:
        assert heads_digest([]) == hashlib.sha256(b"").hexdigest()

    def test_streaming_refuses_unsorted_heads(self) -> None:
        digest = HeadsDigest()
        digest.add(B, 1, "b" * 64)
        with pytest.raises(ValueError):
            digest.add(A, 1, "a" * 64)

    def test_counts_devices_and_events(self) -> None:
        digest = HeadsDigest()
        digest.add(A, 3, "a" * 64)
        digest.add(B, 2, "b" * 64)
        assert (digest.devices, digest.events) == (2, 5)
