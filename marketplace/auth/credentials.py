"""Passwords (argon2id) and session tokens (random, stored only as a SHA-256 hash).

These functions are blocking (argon2id takes 64 MiB and a good part of a second): services call them
through `marketplace.auth.hashing.PASSWORDS`, never on the event loop.
"""

from __future__ import annotations

import functools
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters (t=3, 64 MiB, p=4)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def dummy_hash() -> str:
    """Verified against when the e-mail is unknown (or the account disabled), so that the work done, and so
    the time taken, does not reveal which accounts exist. Same parameters as every real hash."""
    return hash_password("no such account")


def check_password(password_hash: str | None, password: str) -> bool:
    """`verify_password` against the account's hash, or against the dummy one when there is no usable
    account: one argon2id verification either way."""
    if password_hash is None:
        verify_password(dummy_hash(), password)
        return False
    return verify_password(password_hash, password)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
