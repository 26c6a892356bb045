"""CSV imports of retired stock: pure parsing (`parse_import`) and the import service (`service.py`)."""

from marketplace.imports.rows import ParsedImport, ParsedRow, RowError, parse_import

__all__ = ["ParsedImport", "ParsedRow", "RowError", "parse_import"]
