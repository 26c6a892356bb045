"""`python -m marketplace.i18n.compile [LOCALE_DIR]`: the catalogues as the `.mo` files read at run time.

Translators work on `msgctxt` (the stable key) + `msgid` (the French) + `msgstr`; the program looks texts up
by key alone. So each language's `.mo` maps key -> text: French from the `.pot` (its msgids), every other
language from its `.po` (its msgstrs; an untranslated or fuzzy entry is left out, the reader then gets the
French). The output depends only on the sources (no dates of the moment), so compiling twice gives the
same bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from marketplace.i18n.catalogues import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE, compiled_of, source_of


def read_catalogue(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp, locale=lang, domain=DOMAIN)


def keyed(source: Catalog, lang: str) -> Catalog:
    """The catalogue by key: msgid = msgctxt, msgstr = the language's text (the msgid for French)."""
    out = Catalog(locale=lang, domain=DOMAIN, project=source.project, version=source.version,
                  creation_date=source.creation_date, revision_date=source.revision_date, fuzzy=False)
    for message in source:
        if not message.id or not message.context:
            continue
        text = message.id if lang == SOURCE_LANGUAGE else message.string
        if not isinstance(text, str) or not text or (message.fuzzy and lang != SOURCE_LANGUAGE):
            continue
        out.add(message.context, text)
    return out


def source_languages(locale_dir: Path) -> list[str]:
    """French, then every language that has a `.po`."""
    others = sorted(p.parent.parent.name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [SOURCE_LANGUAGE, *[lang for lang in others if lang != SOURCE_LANGUAGE]]


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write every language's `.mo`; the paths written."""
    written = []
    for lang in source_languages(locale_dir):
        lang_for_babel = None if lang == SOURCE_LANGUAGE else lang  # the .pot has no locale of its own
        catalogue = keyed(read_catalogue(source_of(locale_dir, lang), lang_for_babel), lang)
        target = compiled_of(locale_dir, lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as fp:
            write_mo(fp, catalogue)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for path in compile_catalogues(Path(args[0]) if args else LOCALE_DIR):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
