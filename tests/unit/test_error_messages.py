"""Every refusal the back end can raise reads as a sentence, in French and in English (no raw keys on a page)."""

from __future__ import annotations

import re
from pathlib import Path

from marketplace.api.errors import API_MESSAGES
from marketplace.domain.errors import MESSAGES_FR
from ui.i18n import MESSAGES_EN

ROOT = Path(__file__).resolve().parents[2]
RAISED = re.compile(r'\b(?:DomainError|NotFound|Forbidden|Conflict|InvalidInput|TransitionRefused|'
                    r'AuthenticationFailed|NotAuthenticated)\(\s*"([a-z_]+\.[a-z_]+)"')


def raised_keys() -> set[str]:
    keys: set[str] = set()
    for path in (ROOT / "marketplace").rglob("*.py"):
        keys |= set(RAISED.findall(path.read_text(encoding="utf-8")))
    return keys


def test_the_scan_finds_the_refusals() -> None:
    assert {"offer.not_found", "token.not_found", "webhook.not_found", "auth.admin_only"} <= raised_keys()


def test_every_refusal_has_a_french_sentence() -> None:
    missing = {k for k in raised_keys() if k not in MESSAGES_FR and k not in API_MESSAGES}
    assert not missing


def test_every_refusal_shown_in_the_ui_has_an_english_sentence() -> None:
    ui_keys = {k for k in raised_keys() if not k.startswith("api.")}  # the REST API answers in French
    assert not ui_keys - set(MESSAGES_EN)
    assert not set(MESSAGES_FR) - set(MESSAGES_EN)
