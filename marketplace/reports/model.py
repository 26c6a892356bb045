"""What every report is: the filters it was asked with, named tables of plain rows, and its notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

REPORTS = ("flows", "compliance", "impact")


@dataclass(frozen=True)
class ReportFilter:
    """Period (inclusive days, UTC), donor slug and pays code; None means "any"."""

    start: date | None = None
    end: date | None = None
    donor: str | None = None
    pays: str | None = None

    def args(self) -> tuple[Any, ...]:
        """The four SQL filters of `report_queries`: from (inclusive), to (exclusive), donor, pays."""
        start = datetime.combine(self.start, time.min, tzinfo=UTC) if self.start else None
        end = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC) if self.end else None
        return (start, end, self.donor or None, self.pays or None)

    def as_dict(self) -> dict[str, str | None]:
        return {"start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None, "donor": self.donor, "pays": self.pays}


@dataclass
class Report:
    name: str
    filters: ReportFilter
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # French (marketplace/reports/notes.py)
    notes_en: dict[str, str] = field(default_factory=dict)  # the same notes in English
    totals: dict[str, Any] = field(default_factory=dict)
