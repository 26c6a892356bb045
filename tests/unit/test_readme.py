"""The README and the settings page stay true: the two commands, a link to every docs page, and a settings
table that matches `marketplace.settings.Settings` both ways, defaults included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marketplace.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS_PAGE = ROOT / "docs" / "settings.md"
# A row of the settings table: | `NAME` | default | what it does |
ROW = re.compile(r"^\|\s*`(?P<name>[A-Za-z0-9_]+)`\s*\|\s*(?P<default>.*?)\s*\|\s*(?P<what>.*?)\s*\|\s*$")
UNSET = "(unset)"


def settings_table() -> dict[str, str]:
    """The first table of docs/settings.md: variable name -> its default cell, as written."""
    rows: dict[str, str] = {}
    seen_table = False
    for line in SETTINGS_PAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            seen_table = True
            if match := ROW.match(line):
                name = match["name"]
                assert name not in rows, f"{name} has two rows in docs/settings.md"
                rows[name] = match["default"]
        elif seen_table:
            break
    assert rows, "docs/settings.md has no settings table"
    return rows


def test_every_setting_has_a_row_in_the_settings_page() -> None:
    rows = settings_table()
    missing = [name.upper() for name in Settings.model_fields if name.upper() not in rows]
    assert not missing, f"settings missing from docs/settings.md: {missing}"


def test_every_row_of_the_settings_page_is_a_real_setting() -> None:
    fields = {name.upper() for name in Settings.model_fields}
    unknown = [name for name in settings_table() if name not in fields]
    assert not unknown, f"rows of docs/settings.md that are not fields of marketplace.settings.Settings: {unknown}"


def test_each_default_in_the_settings_page_is_the_class_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each documented default, set in the environment as written, gives the class's own default.

    `(unset)` stands for a default of None; any other default is one literal in backquotes (lists and maps
    as JSON), read the way the product reads the environment.
    """
    rows = settings_table()
    unset = []
    for name, cell in rows.items():
        if cell == UNSET:
            unset.append(name.lower())
            monkeypatch.delenv(name, raising=False)
            continue
        literal = re.fullmatch(r"`([^`]*)`", cell)
        assert literal, f"{name}: the default {cell!r} is neither {UNSET} nor one literal in backquotes"
        monkeypatch.setenv(name, literal[1])
    for name in Settings.model_fields:  # every field has a row (above); none may leak in from outside
        if name.upper() not in rows:
            monkeypatch.delenv(name.upper(), raising=False)
    from_page = Settings()
    wrong = {}
    for name, field in Settings.model_fields.items():
        if name.upper() not in rows:
            continue
        if (name in unset) != (field.default is None) or getattr(from_page, name) != field.default:
            wrong[name.upper()] = (rows[name.upper()], field.default)
    assert not wrong, f"defaults in docs/settings.md that differ from the class (page, class): {wrong}"


def test_the_readme_shows_the_two_commands() -> None:
    assert "make run" in README and "make test" in README


def test_the_readme_links_every_docs_page() -> None:
    pages = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    unlinked = [name for name in pages if f"](docs/{name})" not in README]
    assert not unlinked, f"docs pages the README does not link to: {unlinked}"
