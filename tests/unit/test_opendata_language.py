"""The open-data page (served outside the app) speaks the language asked for in its link, else the browser's."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from ui.opendata_http import page_language, page_text


def request(query: str = "", accept_language: str | None = None) -> Request:
    headers = [(b"accept-language", accept_language.encode())] if accept_language is not None else []
    return Request({"type": "http", "method": "GET", "path": "/donnees-ouvertes", "query_string": query.encode(),
                    "headers": headers})


@pytest.mark.parametrize(("query", "accept", "expected"), [
    ("", None, "fr"),
    ("lang=en", None, "en"),
    ("lang=fr", "en-GB,en;q=0.9", "fr"),
    ("", "en-GB,en;q=0.9,fr;q=0.5", "en"),
    ("", "de-DE,fr;q=0.8,en;q=0.5", "fr"),
    ("", "de-DE", "fr"),
    ("lang=xx", "en", "en"),
])
def test_the_link_wins_then_the_browser_then_french(query: str, accept: str | None, expected: str) -> None:
    assert page_language(request(query, accept)) == expected


def test_both_languages_have_every_text() -> None:
    assert page_text("fr").keys() == page_text("en").keys()
    assert page_text("en")["h1"] == "Open data" and page_text("fr")["h1"] == "Données ouvertes"
    assert (page_text("fr")["other"], page_text("fr")["other_lang"]) == ("English", "en")
    assert (page_text("en")["other"], page_text("en")["other_href"]) == ("Français", "?lang=fr")
