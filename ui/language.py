"""The reader's language: the base state every page state inherits (through `ui.state.SessionState`).

Kept apart from `ui.state` so that `ui.i18n` can make text follow the language without importing the
session, its services and, through them, `ui.i18n` again.
"""

from __future__ import annotations

import reflex as rx

from marketplace.i18n import catalogues


class LanguageState(rx.State):
    """The language the pages are shown in: French until the reader picks another catalogue's."""

    lang: str = catalogues.SOURCE_LANGUAGE

    def set_language(self, lang: str) -> None:
        """Switch to `lang`; a language that has no catalogue is refused (nothing changes). Every page's
        `HtmlLang` (ui/components/html_lang.py) then sets `<html lang>`, which screen readers need."""
        if lang not in catalogues.languages():
            return
        self.lang = lang
