"""The reader's language: the base state every page state inherits (through `ui.state.SessionState`).

Kept apart from `ui.state` so that `ui.i18n` can make text follow the language without importing the
session, its services and, through them, `ui.i18n` again.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from marketplace.i18n import catalogues


def _html_lang(lang: str) -> EventSpec:
    # `lang` is always one of the catalogues' (set_language refuses any other), never text from a request.
    return rx.call_script(f"document.documentElement.lang = '{lang}'")


class LanguageState(rx.State):
    """The language the pages are shown in: French until the reader picks another catalogue's."""

    lang: str = catalogues.SOURCE_LANGUAGE

    def set_language(self, lang: str) -> EventSpec | None:
        """Switch to `lang`; a language that has no catalogue is refused (nothing changes)."""
        if lang not in catalogues.languages():
            return None
        self.lang = lang
        return _html_lang(lang)

    def sync_html_lang(self) -> EventSpec:
        """On every page mount: the compiled `<html lang>` is "fr"; screen readers need the chosen one."""
        return _html_lang(self.lang if self.lang in catalogues.languages() else catalogues.SOURCE_LANGUAGE)
