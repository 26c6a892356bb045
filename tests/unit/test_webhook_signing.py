"""Webhook signatures as a receiver checks them (docs/api.md, "Webhooks")."""

from __future__ import annotations

import hashlib
import hmac

from marketplace.webhooks.delivery import RetryPolicy
from marketplace.webhooks.signing import signature, verify

BODY = b'{"type":"asset.offered"}'


class TestSignature:
    def test_is_hmac_sha256_over_timestamp_dot_body(self) -> None:
        expected = hmac.new(b"whsec_s", b"1700000000." + BODY, hashlib.sha256).hexdigest()
        assert signature("whsec_s", 1700000000, BODY) == f"v1={expected}"

    def test_receiver_refuses_a_changed_body_a_wrong_secret_and_an_old_timestamp(self) -> None:
        sig = signature("whsec_s", 1700000000, BODY)
        assert verify("whsec_s", "1700000000", sig, BODY, now=1700000010)
        assert not verify("whsec_s", "1700000000", sig, BODY + b" ", now=1700000010)
        assert not verify("whsec_other", "1700000000", sig, BODY, now=1700000010)
        assert not verify("whsec_s", "1700000000", sig, BODY, now=1700000000 + 301)
        assert not verify("whsec_s", "abc", sig, BODY, now=1700000000)


class TestBackoff:
    def test_doubles_up_to_the_cap(self) -> None:
        policy = RetryPolicy(base_seconds=30, cap_seconds=3600)
        assert [policy.delay(n) for n in (1, 2, 3, 4, 8)] == [30, 60, 120, 240, 3600]
