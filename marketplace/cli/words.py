"""What the command line prints and its help, in the language of the POSIX locale (LC_ALL, LC_MESSAGES,
LANG) when a catalogue has it, else French: the catalogues' `cli.*` entries."""

from __future__ import annotations

from marketplace.i18n import catalogues


def say(key: str, **params: object) -> str:
    """The catalogue's `key` in the operator's language, its `{placeholders}` filled in."""
    return catalogues.formatted(key, catalogues.language_from_environment(), **params)
