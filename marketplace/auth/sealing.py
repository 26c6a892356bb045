"""Sealing a secret that must sit in a store the UI does not control (Reflex's state on disk or in Redis).

The UI keeps each tab's state in Reflex's state manager: files under `.states/` by default, Redis when several
UI processes run. Whoever can read that store must not find a session token they could use: the state holds
the token sealed (Fernet: AES-128-CBC and HMAC-SHA256) with a key derived from `UI_STATE_SECRET`, which lives in
the environment of the UI processes only. Without the setting, a key is drawn for the process: sealed tokens
then do not survive a restart (people sign in again), which is what a forgotten secret should cost.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _fernet(secret: str | None) -> Fernet:
    if not secret:
        log.warning("UI_STATE_SECRET is not set: sessions will not survive a restart of the UI process")
        secret = secrets.token_urlsafe(32)
    key = base64.urlsafe_b64encode(hashlib.sha256(("seconde-vie ui state " + secret).encode()).digest())
    return Fernet(key)


def seal(value: str, secret: str | None) -> str:
    """`value` as an opaque text only the holder of `secret` can open ("" stays "")."""
    return _fernet(secret).encrypt(value.encode()).decode("ascii") if value else ""


def unseal(sealed: str, secret: str | None) -> str:
    """The value `seal` sealed, or "" when it cannot be opened (another secret, a process restarted without one)."""
    if not sealed:
        return ""
    try:
        return _fernet(secret).decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        return ""
