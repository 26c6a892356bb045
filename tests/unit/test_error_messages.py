"""Every refusal the back end can raise reads as a sentence in every language (no raw keys on a page)."""

from __future__ import annotations

import re
from pathlib import Path

from marketplace.i18n import catalogues

ROOT = Path(__file__).resolve().parents[2]
RAISED = re.compile(r'\b(?:DomainError|NotFound|Forbidden|Conflict|InvalidInput|TransitionRefused|'
                    r'AuthenticationFailed|NotAuthenticated)\(\s*"([a-z_]+\.[a-z_]+)"')
CLASS_KEY = re.compile(r'^\s+message_key = "([a-z_]+\.[a-z_]+)"', re.MULTILINE)


def raised_keys() -> set[str]:
    keys: set[str] = set()
    for path in (ROOT / "marketplace").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        keys |= set(RAISED.findall(source)) | set(CLASS_KEY.findall(source))
    return keys


def _sentence_key(message_key: str) -> str:
    """The REST API's own refusals are `api.*` entries; the domain's are `refusal.*`."""
    api = "api." + message_key.removeprefix("api.")
    return api if message_key.startswith("api.") or catalogues.has(api) and not catalogues.has(
        f"refusal.{message_key}") else f"refusal.{message_key}"


def test_the_scan_finds_the_refusals() -> None:
    assert {"offer.not_found", "token.not_found", "webhook.not_found", "auth.admin_only",
            "import.file_invalid"} <= raised_keys()


def test_every_refusal_has_a_french_sentence() -> None:
    missing = {k for k in raised_keys() if not catalogues.has(_sentence_key(k))}
    assert not missing


def test_every_refusal_has_a_sentence_in_every_language() -> None:
    for lang in catalogues.languages():
        missing = {k for k in raised_keys() if not catalogues.translated(_sentence_key(k), lang)}
        assert not missing, lang
        assert all(catalogues.translated(key, lang) for key in catalogues.keys("refusal.")), lang
