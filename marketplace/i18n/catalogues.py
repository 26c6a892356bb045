"""The compiled catalogues at run time: one `messages.mo` per language, keyed by the stable text keys.

`locale/messages.pot` is the French source and `locale/<lang>/LC_MESSAGES/messages.po` its translations;
`python -m marketplace.i18n.compile` (`make messages`) writes the `.mo` files this module reads. Nothing is
read at import: the first lookup loads the catalogues and they stay cached. French is the fallback of every
other language, and a key no catalogue has is returned as it is (a visible bug, never a crash).
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SOURCE_LANGUAGE = "fr"
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
COMPILE_COMMAND = "make messages (or: python -m marketplace.i18n.compile)"


class CatalogueError(RuntimeError):
    """A catalogue is not compiled, or older than its source: the message names the command to run."""


@dataclass(frozen=True)
class _Loaded:
    languages: tuple[str, ...]
    translations: dict[str, gettext.GNUTranslations]
    own: dict[str, frozenset[str]]  # the keys each language's own catalogue has


_locale_dir = LOCALE_DIR
_loaded: _Loaded | None = None
_revision = 0


def source_of(locale_dir: Path, lang: str) -> Path:
    """The file a language's `.mo` is compiled from: the `.pot` for French, the language's `.po` otherwise."""
    if lang == SOURCE_LANGUAGE:
        return locale_dir / f"{DOMAIN}.pot"
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compiled_of(locale_dir: Path, lang: str) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _check_compiled(locale_dir: Path, lang: str) -> Path:
    mo, source = compiled_of(locale_dir, lang), source_of(locale_dir, lang)
    if not mo.exists():
        raise CatalogueError(f"{mo} is missing: compile the catalogues with {COMPILE_COMMAND}")
    if source.exists() and mo.stat().st_mtime < source.stat().st_mtime:
        raise CatalogueError(f"{mo} is older than {source.name}: compile the catalogues with {COMPILE_COMMAND}")
    return mo


def _load(locale_dir: Path) -> _Loaded:
    others = sorted(
        child.name for child in locale_dir.iterdir()
        if child.is_dir() and child.name != SOURCE_LANGUAGE
        and (compiled_of(locale_dir, child.name).exists() or source_of(locale_dir, child.name).exists())
    ) if locale_dir.is_dir() else []
    languages = (SOURCE_LANGUAGE, *others)
    translations: dict[str, gettext.GNUTranslations] = {}
    for lang in languages:
        with _check_compiled(locale_dir, lang).open("rb") as fp:
            translations[lang] = gettext.GNUTranslations(fp)
    own = {lang: frozenset(_own_keys(t)) for lang, t in translations.items()}
    for lang in others:
        translations[lang].add_fallback(translations[SOURCE_LANGUAGE])
    return _Loaded(languages, translations, own)


def _catalogues() -> _Loaded:
    global _loaded
    if _loaded is None:
        _loaded = _load(_locale_dir)
    return _loaded


def use_locale_dir(locale_dir: Path | None) -> None:
    """Read the catalogues of another folder from the next lookup on (tests); None: the shipped ones."""
    global _locale_dir, _loaded, _revision
    _locale_dir = LOCALE_DIR if locale_dir is None else locale_dir
    _loaded = None
    _revision += 1


def revision() -> int:
    """Changes whenever the catalogues are pointed elsewhere: a key for caches of texts read from them."""
    return _revision


@contextmanager
def locale_dir(path: Path) -> Iterator[None]:
    """The catalogues of `path` for the duration of a `with` block (tests)."""
    previous = _locale_dir
    use_locale_dir(path)
    try:
        yield
    finally:
        use_locale_dir(previous)


def languages() -> tuple[str, ...]:
    """The languages whose catalogue is present, French first."""
    return _catalogues().languages


def text(key: str, lang: str) -> str:
    """The text of `key` in `lang`; French when that language lacks it (or is unknown); the key itself when
    no catalogue has it."""
    loaded = _catalogues()
    translations = loaded.translations.get(lang) or loaded.translations[SOURCE_LANGUAGE]
    return translations.gettext(key)


def has(key: str) -> bool:
    """Whether the French source catalogue has `key`."""
    return key in _catalogues().own[SOURCE_LANGUAGE]


def keys(prefix: str = "") -> tuple[str, ...]:
    """Every key of the French source catalogue that starts with `prefix`, sorted."""
    return tuple(sorted(k for k in _catalogues().own[SOURCE_LANGUAGE] if k.startswith(prefix)))


def translated(key: str, lang: str) -> bool:
    """Whether `lang`'s own catalogue has `key` (rather than falling back to French)."""
    return key in _catalogues().own.get(lang, frozenset())


def name(lang: str) -> str:
    """A language's name in that language, as its catalogue writes it ("Français", "English")."""
    return text("lang.name", lang)


def formatted(key: str, lang: str, /, **params: object) -> str:
    """`text(key, lang)` with its `{placeholders}` filled in (`str.format`; errors are the caller's)."""
    return text(key, lang).format(**params)


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the POSIX locale asks for (LC_ALL, else LC_MESSAGES, else LANG) when it names one of the
    catalogues' languages ("en_GB.UTF-8" -> "en"); French otherwise (and for "C" or "POSIX")."""
    env = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:
            lang = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return lang if lang in languages() else SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def _own_keys(translations: gettext.GNUTranslations) -> set[str]:
    # GNUTranslations keeps what it read in `_catalog` (not public API, but there since Python 2); the
    # header entry (msgid "") is metadata, not a key.
    catalogue: dict[object, str] = getattr(translations, "_catalog", {})
    return {k for k in catalogue if isinstance(k, str) and k}
