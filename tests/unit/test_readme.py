"""The README stays true about what operators can set."""

from __future__ import annotations

from pathlib import Path

from marketplace.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme() -> None:
    missing = [name.upper() for name in Settings.model_fields if f"`{name.upper()}`" not in README]
    assert not missing, f"settings missing from the README's table: {missing}"


def test_the_readme_shows_the_two_commands() -> None:
    assert "make run" in README and "make test" in README
