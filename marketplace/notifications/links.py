"""The one-click unsubscribe link: a signed token that turns off one kind for one person, nothing else.

The token is the user id, the kind and an HMAC-SHA256 of both under a key derived from UI_STATE_SECRET
(the notifier writes the link, the UI checks it: both processes have that secret). It never expires:
an old e-mail's link must still work; it can only ever set that person's kind to "never".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass

UNSUBSCRIBE_PATH = "/notifications/desabonnement"


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"seconde-vie unsubscribe v1", hashlib.sha256).digest()


def _mac(secret: str, user_id: uuid.UUID, kind: str) -> bytes:
    return hmac.new(_key(secret), user_id.bytes + kind.encode(), hashlib.sha256).digest()[:16]


def unsubscribe_token(secret: str, user_id: str, kind: str) -> str:
    uid = uuid.UUID(user_id)
    raw = uid.bytes + _mac(secret, uid, kind) + kind.encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass(frozen=True)
class Unsubscribe:
    user_id: str
    kind: str


def read_token(secret: str, token: str) -> Unsubscribe | None:
    """The person and kind a genuine token names; None for anything else."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        uid, mac, kind = uuid.UUID(bytes=raw[:16]), raw[16:32], raw[32:].decode()
    except (ValueError, UnicodeDecodeError):
        return None
    if len(mac) != 16 or not kind or not hmac.compare_digest(mac, _mac(secret, uid, kind)):
        return None
    return Unsubscribe(str(uid), kind)


def unsubscribe_url(base_url: str, secret: str, user_id: str, kind: str) -> str:
    return f"{base_url.rstrip('/')}{UNSUBSCRIBE_PATH}?t={unsubscribe_token(secret, user_id, kind)}"
