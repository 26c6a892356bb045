"""Category names in words, for what the back end writes itself (labels, reports' notes)."""

from __future__ import annotations

from marketplace.i18n import catalogues


def category_name(category: str, lang: str = catalogues.SOURCE_LANGUAGE) -> str:
    """A device category as readers name it (`vocab.category.<code>`; French by default); the code when the
    catalogues do not know it."""
    key = f"vocab.category.{category}"
    return catalogues.text(key, lang) if catalogues.has(key) else category
