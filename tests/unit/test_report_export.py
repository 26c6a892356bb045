import json
from datetime import date

from marketplace.reports.export import csv_cell, report_file, table_csv
from marketplace.reports.model import Report, ReportFilter
from marketplace.reports.rules import donation_verdict, target_for


class TestCsvEscaping:
    def test_cells_that_a_spreadsheet_would_run_as_formulas_get_an_apostrophe(self) -> None:
        for text in ("=HYPERLINK(\"http://x\")", "+33 6", "-1+2", "@SUM(A1)", "\tx"):
            assert csv_cell(text) == "'" + text

    def test_ordinary_cells_and_numbers_are_unchanged(self) -> None:
        assert csv_cell("Latitude 5480") == "Latitude 5480"
        assert csv_cell(-3) == "'-3" and csv_cell(12) == "12" and csv_cell(None) == ""

    def test_a_table_escapes_every_cell(self) -> None:
        text = table_csv([{"model": "=cmd|' /C calc'!A0", "n": 1}])
        assert text.splitlines()[1].startswith("\"'=cmd") or text.splitlines()[1].startswith("'=cmd")


class TestReportFiles:
    def test_json_carries_filters_notes_and_tables(self) -> None:
        report = Report("impact", ReportFilter(date(2025, 1, 1), None, "lycee-x", None),
                        tables={"t": [{"d": date(2025, 2, 3)}]}, notes={"assumption": "a"})
        body, media, name = report_file(report, "json")
        data = json.loads(body)
        assert media == "application/json" and name.endswith(".json")
        assert data["filters"]["start"] == "2025-01-01" and data["tables"]["t"][0]["d"] == "2025-02-03"


class TestRules:
    def test_targets_follow_the_decree_and_hold_from_2025_on(self) -> None:
        targets = {2023: 25.0, 2024: 35.0, 2025: 50.0}
        assert [target_for(y, targets) for y in (2022, 2023, 2024, 2025, 2030)] == [None, 25.0, 35.0, 50.0, 50.0]

    def test_recorded_checks_decide_a_donation(self) -> None:
        checks = [{"rule": "plafond_valeur", "passed": False, "detail": "400 € > 300 €"},
                  {"rule": "categorie", "passed": True, "detail": "ok"}]
        assert donation_verdict(checks, "association", 400, ["association"], 300) == (False, "400 € > 300 €")

    def test_without_recorded_checks_the_rule_is_applied_again(self) -> None:
        ok, why = donation_verdict([], "association", 120.0, ["association", "fablab"], 300.0)
        assert ok and "recalculé" in why
        assert not donation_verdict(None, "tiers_lieu", None, ["association"], 300.0)[0]
