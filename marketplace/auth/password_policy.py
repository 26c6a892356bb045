"""What a new password must be: long enough and not a common one. No composition rules.

NIST SP 800-63B (5.1.1.2): a length floor and a check against passwords known to be common or breached,
and no rules such as "a digit and a symbol", which make passwords harder to remember and no harder to
guess. The list shipped in `data/common-passwords.txt.gz` is the 10,000 most common passwords of the
zxcvbn project's frequency list (MIT), those of 12 characters or more among its 30,000, and some French
ones (azerty, motdepasse...), lower-cased; the check ignores case.
"""

from __future__ import annotations

import functools
import gzip
from importlib import resources

from marketplace.domain.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 200  # argon2 takes any length; this only bounds the work a form can ask for


@functools.cache
def common_passwords() -> frozenset[str]:
    data = resources.files("marketplace.auth").joinpath("data/common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("utf-8").split())


def check_new_password(password: str, *, email: str = "", name: str = "") -> None:
    """Refuses, saying why, a password too short, too long, common, or made of the person's e-mail or name."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput("password.too_short", min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise InvalidInput("password.too_long", max=MAX_LENGTH)
    folded = password.casefold()
    if folded in common_passwords() or folded.strip() in common_passwords():
        raise InvalidInput("password.too_common")
    own = {email.casefold(), email.split("@")[0].casefold(), name.casefold().replace(" ", "")} - {""}
    if folded.replace(" ", "") in own:
        raise InvalidInput("password.personal")
