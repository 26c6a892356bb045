"""Webhook signatures: HMAC-SHA256 over `timestamp + "." + body`, hex, in `X-SecondeVie-Signature: v1=<hex>`.

Receivers recompute it with their secret, compare in constant time, and refuse timestamps older than a few
minutes (a replayed delivery then fails). Pure.
"""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-SecondeVie-Timestamp"
SIGNATURE_HEADER = "X-SecondeVie-Signature"
EVENT_HEADER = "X-SecondeVie-Event"
DELIVERY_HEADER = "X-SecondeVie-Delivery"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def verify(secret: str, timestamp_header: str, signature_header: str, body: bytes, now: float,
           tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does: a fresh timestamp and a matching signature."""
    if not timestamp_header.isdigit() or abs(now - int(timestamp_header)) > tolerance:
        return False
    expected = signature(secret, int(timestamp_header), body)
    return hmac.compare_digest(expected, signature_header.strip())
