"""The opaque cursor of `GET /api/devices` (docs/api.md): where the last page ended, bound to its query.

A cursor is `base64url(JSON [updated_at, id, query]) + "." + check`, where `query` fingerprints the
organisation and the filters it was made for and `check` is the first 16 hex digits of the SHA-256 of the rest.
It carries no right: every call checks again what the organisation may see. The check only turns a cursor
that was edited, truncated or made for another query into a clear 400 instead of a silently wrong page.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from marketplace.domain.errors import InvalidInput

CURSOR_ERROR = "api.bad_cursor"
CURSOR_OF_ANOTHER_QUERY = "api.cursor_other_query"
# Before every device: the first page starts here.
FIRST_PAGE = (datetime.max.replace(tzinfo=UTC), "ffffffff-ffff-ffff-ffff-ffffffffffff")


def _check(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def query_fingerprint(*parts: Any) -> str:
    return _check(json.dumps([None if p is None else str(p) for p in parts]))


def encode_cursor(updated_at: datetime, device_id: str, query: str) -> str:
    body = base64.urlsafe_b64encode(json.dumps([updated_at.isoformat(), str(device_id), query]).encode()).decode()
    body = body.rstrip("=")
    return f"{body}.{_check(body)}"


def decode_cursor(cursor: str, query: str) -> tuple[datetime, str]:
    """(updated_at, id) after which the next page starts; InvalidInput (400) naming what is wrong."""
    body, _, check = cursor.partition(".")
    if not body or check != _check(body):
        raise InvalidInput(CURSOR_ERROR)
    try:
        at_text, device_id, made_for = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        at, device = datetime.fromisoformat(at_text), str(uuid.UUID(device_id))
    except (ValueError, TypeError) as exc:
        raise InvalidInput(CURSOR_ERROR) from exc
    if made_for != query:
        raise InvalidInput(CURSOR_OF_ANOTHER_QUERY)
    if at.tzinfo is None:
        raise InvalidInput(CURSOR_ERROR)
    return at, device
