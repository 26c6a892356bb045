"""How many sign-in attempts an e-mail and a client address get, and what a refusal says (pure).

Attempts are counted per e-mail whether or not an account has it: an unknown e-mail is refused after
as many tries as a real one, with the same words, so the limit tells nothing about which accounts exist.
An attempt is counted before the password is checked (a burst of parallel guesses cannot overtake the
count) and forgotten when it succeeds. Counters live in PostgreSQL (`sign_in_throttles`, keyed by a
SHA-256 of the e-mail or address) so that every UI process sees the same ones.

A counter's window is `WINDOW_MINUTES` from its first attempt; reaching the limit starts a lock of the
same length from that attempt, and attempts refused during the lock do not extend it. When the window or
the lock is over, the counter starts again from one: a wrong password now and then never locks anyone for
good. Admins can end a lock early from /admin/comptes.
"""

from __future__ import annotations

from marketplace.domain.errors import AuthenticationFailed

ACCOUNT_ATTEMPTS = 5  # per e-mail: the sixth attempt in the window is refused
# One address may be a whole lycée behind its NAT, so it gets more room than one account; successful
# sign-ins are given back, only failures use it up.
ADDRESS_ATTEMPTS = 30
WINDOW_MINUTES = 15  # how long attempts are remembered, and how long a lock lasts
MAX_DELAY_S = 2.0


class AccountLocked(AuthenticationFailed):
    """Too many attempts for one e-mail (an account or not)."""

    message_key = "auth.locked"


class TooManyAttempts(AuthenticationFailed):
    """Too many failed attempts from one client address."""

    message_key = "auth.rate_limited"


def failure_delay_s(attempts: int) -> float:
    """How long a failed attempt waits before it answers: longer as an e-mail's attempts add up."""
    return min(0.25 * max(attempts, 1), MAX_DELAY_S)


def typed_email(email: str) -> str:
    """The e-mail as looked up and counted. Text no account can have (NUL, unpaired surrogates, longer than
    an e-mail can be) becomes one placeholder, so that it is counted and checked like any unknown e-mail
    instead of failing in the database."""
    email = email.strip()
    try:
        email.encode("utf-8")
    except UnicodeEncodeError:
        return "\ufffd"
    return "\ufffd" if "\x00" in email or len(email) > 320 else email
