"""Issue 15: every user-facing text is in the gettext catalogues, translated in every shipped language, and
a language is added by adding a catalogue (the Breton test catalogue of tests/fixtures/locale shows it)."""

from __future__ import annotations

import io
import json
import os
import shutil
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from marketplace.i18n import catalogues
from marketplace.i18n.compile import compile_catalogues, source_languages

LOCALE = catalogues.LOCALE_DIR
POT = LOCALE / "messages.pot"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "locale"
SHIPPED = sorted(p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/messages.po"))


def _read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp, locale=lang)


def _po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "messages.po"


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _entries(catalogue: Catalog) -> list[tuple[str, str, str]]:
    return [(m.context or "", m.id, m.string) for m in catalogue if m.id]  # type: ignore[misc]


def _without_generator(po: bytes) -> bytes:
    """The file without Babel's own version line (another Babel writes another version, nothing else)."""
    return b"\n".join(line for line in po.split(b"\n") if not line.startswith(b'"Generated-By: Babel'))


@pytest.fixture
def with_breton(tmp_path: Path) -> Iterator[Path]:
    """The shipped catalogues plus the Breton test one, compiled in a folder of their own, read from there."""
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE, locale, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copytree(FIXTURES / "br", locale / "br")
    compile_catalogues(locale)
    with catalogues.locale_dir(locale):
        yield locale


class TestTheSourceCatalogue:
    def test_every_entry_has_a_key_of_its_own_and_french_text(self) -> None:
        entries = _entries(_read(POT))
        keys = [key for key, _, _ in entries]
        assert len(entries) > 700 and all(keys) and len(set(keys)) == len(keys)
        assert all(french.strip() or key.startswith(("format.", "punct.")) for key, french, _ in entries)

    def test_the_languages_name_themselves(self) -> None:
        assert catalogues.languages() == ("fr", *SHIPPED) and "en" in SHIPPED
        assert [catalogues.name(lang) for lang in catalogues.languages()][:2] == ["Français", "English"]

    def test_every_vocabulary_value_has_its_words_and_every_word_a_value(self) -> None:
        from ui.i18n import VOCABULARIES

        declared = {f"vocab.{name}.{value}" for name, values in VOCABULARIES.items() for value in values}
        assert declared == set(catalogues.keys("vocab."))

    def test_the_compiled_french_is_the_source(self) -> None:
        for key, french, _ in _entries(_read(POT)):
            assert catalogues.text(key, "fr") == french, key
        assert set(catalogues.keys()) == {key for key, _, _ in _entries(_read(POT))}


@pytest.mark.parametrize("lang", SHIPPED)
class TestEveryShippedCatalogue:
    def test_every_entry_is_translated_and_none_is_fuzzy(self, lang: str) -> None:
        po = _read(_po(lang), lang)
        missing = [m.context for m in po if m.id and (not m.string or m.fuzzy)]
        assert not missing
        assert {key for key, _, _ in _entries(po)} == {key for key, _, _ in _entries(_read(POT))}

    def test_the_placeholders_are_the_same_as_in_french(self, lang: str) -> None:
        for key, french, translation in _entries(_read(_po(lang), lang)):
            assert _placeholders(translation) == _placeholders(french), key

    def test_it_has_no_obsolete_entry(self, lang: str) -> None:
        assert not _read(_po(lang), lang).obsolete

    def test_it_is_what_pybabel_update_leaves(self, lang: str) -> None:
        """In sync with the .pot: `pybabel update` (the same code, in memory) would not change one byte."""
        po = _read(_po(lang), lang)
        po.update(_read(POT))
        out = io.BytesIO()
        write_po(out, po, width=76)
        assert _without_generator(out.getvalue()) == _without_generator(_po(lang).read_bytes())

    def test_its_compiled_catalogue_is_up_to_date(self, lang: str) -> None:
        for key, _, translation in _entries(_read(_po(lang), lang)):
            assert catalogues.text(key, lang) == translation, key


class TestCompiling:
    def test_compiling_twice_gives_the_same_bytes(self, tmp_path: Path) -> None:
        locale = tmp_path / "locale"
        shutil.copytree(LOCALE, locale, ignore=shutil.ignore_patterns("*.mo"))
        first = {p: p.read_bytes() for p in compile_catalogues(locale)}
        second = {p: p.read_bytes() for p in compile_catalogues(locale)}
        assert first == second and len(first) == 1 + len(SHIPPED)
        assert source_languages(locale) == ["fr", *SHIPPED]

    def test_a_missing_compiled_catalogue_names_the_command_to_run(self, tmp_path: Path) -> None:
        locale = tmp_path / "locale"
        shutil.copytree(LOCALE, locale, ignore=shutil.ignore_patterns("*.mo"))
        with catalogues.locale_dir(locale), pytest.raises(catalogues.CatalogueError, match="make messages"):
            catalogues.text("nav.home", "fr")

    def test_a_catalogue_older_than_its_po_names_the_command_to_run(self, tmp_path: Path) -> None:
        locale = tmp_path / "locale"
        shutil.copytree(LOCALE, locale, ignore=shutil.ignore_patterns("*.mo"))
        compile_catalogues(locale)
        mo = locale / "en" / "LC_MESSAGES" / "messages.mo"
        po_time = (locale / "en" / "LC_MESSAGES" / "messages.po").stat().st_mtime
        os.utime(mo, (po_time - 10, po_time - 10))
        with catalogues.locale_dir(locale), pytest.raises(catalogues.CatalogueError, match="older than messages.po"):
            catalogues.languages()


class TestALanguageIsACatalogue:
    def test_the_breton_catalogue_makes_breton_a_language(self, with_breton: Path) -> None:
        assert catalogues.languages() == ("fr", "br", *SHIPPED)
        assert catalogues.name("br") == "Brezhoneg"
        assert catalogues.text("nav.home", "br") == "Degemer"
        assert catalogues.translated("nav.home", "br") and not catalogues.translated("nav.signin", "br")

    def test_what_breton_lacks_is_read_in_french(self, with_breton: Path) -> None:
        assert catalogues.text("nav.signin", "br") == "Se connecter"
        assert catalogues.text("no.such.key", "br") == "no.such.key"

    def test_the_ui_helpers_read_breton(self, with_breton: Path) -> None:
        from ui import i18n

        assert i18n.label("state", "retired", "br") == "lamet"
        assert i18n.label("state", "offered", "br") == "proposé"
        assert i18n.languages() == ("fr", "br", *SHIPPED)

    def test_the_switcher_has_a_button_for_breton(self, with_breton: Path) -> None:
        from ui.components.layout import language_switcher

        rendered = [str(button) for button in language_switcher()]
        assert len(rendered) == 3
        breton = rendered[1]
        assert '"aria-label":"Tremen e brezhoneg"' in breton and 'lang:"br"' in breton and '"Brezhoneg"' in breton
        assert "set_language" in breton and '["lang"] : "br"' in breton

    def test_static_text_follows_every_language(self, with_breton: Path) -> None:
        from ui.i18n import t

        compiled = str(t("nav.home"))
        assert "Degemer" in compiled and "Home" in compiled and "Accueil" in compiled

    def test_the_language_state_refuses_a_language_without_a_catalogue(self, with_breton: Path) -> None:
        from ui.language import LanguageState

        class Reader:  # the handler's own function, on a stand-in for the state
            lang = "fr"

        reader, set_language = Reader(), LanguageState.set_language.fn  # type: ignore[attr-defined]
        set_language(reader, "xx")
        assert reader.lang == "fr"
        set_language(reader, "br")
        assert reader.lang == "br"


class TestTheSwitcherAsShipped:
    def test_one_button_per_other_language_named_in_it(self) -> None:
        from ui.components.layout import language_switcher

        english, = [str(b) for b in language_switcher() if 'lang:"en"' in str(b)]
        assert '"aria-label":"Switch to English"' in english and '"English"' in english
        french, = [str(b) for b in language_switcher() if 'lang:"fr"' in str(b)]
        assert f'"aria-label":{json.dumps("Passer en français")}' in french and json.dumps("Français") in french


class TestTheOperatorsLanguage:
    @pytest.mark.parametrize(("environ", "expected"), [
        ({}, "fr"),
        ({"LANG": "C.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_FR.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "de_DE.UTF-8", "LANG": "en_GB"}, "fr"),
        ({"LC_ALL": "", "LANG": "en"}, "en"),
    ])
    def test_the_locale_names_the_language_when_a_catalogue_has_it(self, environ: dict[str, str],
                                                                   expected: str) -> None:
        assert catalogues.language_from_environment(environ) == expected

    def test_the_command_line_speaks_it(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from marketplace.cli.main import build_parser

        for variable in ("LC_ALL", "LC_MESSAGES"):
            monkeypatch.delenv(variable, raising=False)
        monkeypatch.setenv("LANG", "en_GB.UTF-8")
        assert "Serve the web UI." in build_parser().format_help()
        monkeypatch.setenv("LANG", "C.UTF-8")
        assert "Servir l'interface web." in build_parser().format_help()
