"""Reports as CSV and JSON files.

CSV cells that a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage return)
get a leading apostrophe (OWASP "CSV injection"): device models, notes and slugs come from users.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from marketplace.reports.model import Report

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(value: Any) -> Any:
    """A JSON-ready value (dates as ISO 8601, decimals as floats)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    value = plain(value)
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def table_csv(rows: list[dict[str, Any]]) -> str:
    """One table as CSV (header from the first row's keys)."""
    out = io.StringIO()
    if not rows:
        return ""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_cell(k) for k in rows[0]])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row.values()])
    return out.getvalue()


def report_json(report: Report) -> str:
    return json.dumps({"report": report.name, "filters": report.filters.as_dict(), "notes": report.notes,
                       "notes_en": report.notes_en, "totals": plain(report.totals), "tables": plain(report.tables)},
                      ensure_ascii=False, indent=1)


def report_file(report: Report, fmt: str, table: str | None = None) -> tuple[bytes, str, str]:
    """(content, media type, file name) of a report in `fmt` ("csv": one table, the first by default)."""
    stem = f"seconde-vie-{report.name}"
    if fmt == "json":
        return report_json(report).encode("utf-8"), "application/json", f"{stem}.json"
    name = table if table in report.tables else next(iter(report.tables))
    # A BOM so that spreadsheet programs read the French accents as UTF-8.
    return ("\ufeff" + table_csv(report.tables[name])).encode("utf-8"), "text/csv; charset=utf-8", f"{stem}-{name}.csv"
