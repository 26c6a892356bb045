"""Public device codes: 12 Crockford base32 characters (60 random bits), shown as XXXX-XXXX-XXXX."""

from __future__ import annotations

import re

from marketplace.domain.ids import random_bytes

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{12}$")


def new_code() -> str:
    """A fresh random code, unformatted (uniqueness is enforced by the database): 60 bits of OS randomness,
    five bits per character."""
    bits = int.from_bytes(random_bytes(8), "big") >> 4
    return "".join(ALPHABET[(bits >> shift) & 31] for shift in range(55, -1, -5))


def format_code(code: str) -> str:
    return f"{code[0:4]}-{code[4:8]}-{code[8:12]}"


def normalise_code(text: str) -> str | None:
    """Accept what people type or scan (lower case, dashes, spaces, O for 0); None when malformed."""
    cleaned = re.sub(r"[\s\-]", "", text).upper().translate(_DECODE_ALIASES)
    return cleaned if _CODE_RE.match(cleaned) else None
