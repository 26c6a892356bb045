"""`<html lang>` following the reader's language (`assets/html_lang.jsx`), without script evaluation."""

from __future__ import annotations

from typing import Any

import reflex as rx


class HtmlLang(rx.Component):
    """Renders nothing; sets `document.documentElement.lang` to `lang` whenever it changes."""

    library = "$/public/html_lang.jsx"
    tag = "HtmlLang"
    is_default = False

    lang: rx.Var[str]


def html_lang(lang: Any) -> rx.Component:
    return HtmlLang.create(lang=lang)
