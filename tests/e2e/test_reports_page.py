"""/rapports in Chromium (issue 7): the auditor reads the three reports over the demo data, filters them,
downloads a CSV and a JSON through one-time links; a third place is refused."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from marketplace.reports.export import report_file
from marketplace.reports.model import Report, ReportFilter
from tests.e2e.test_walking_skeleton import sign_in, sign_out


def figure(section: Locator, label: str) -> float:
    """A figure of a report's summary (`<dt>label</dt><dd>figure</dd>`), French number format."""
    text = section.locator("dt", has_text=label).locator("xpath=following-sibling::dd[1]").inner_text()
    return float(text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", "."))


def column(section: Locator, table: str, index: int) -> list[float]:
    """The figures of one column of a report table (by the table's accessible name)."""
    cells = section.get_by_role("table", name=table).locator("tbody tr").locator(f"td:nth-child({index})")
    return [float(c.replace("\u202f", "").replace(",", ".")) for c in cells.all_inner_texts()]


def download(page: Page, section: Locator, button: str, tmp_path: Path) -> tuple[bytes, str]:
    with page.expect_download() as info:
        section.get_by_role("button", name=button).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_bytes(), info.value.url


def test_the_auditor_reads_filters_and_downloads_the_reports(page: Page, tmp_path: Path) -> None:
    sign_in(page, "auditor")
    page.get_by_role("navigation").get_by_role("link", name="Rapports").click()
    expect(page.get_by_role("heading", level=1, name="Rapports")).to_be_visible()
    flows = page.get_by_role("region", name="Flux des appareils")
    compliance = page.get_by_role("region", name="Conformité au réemploi")
    impact = page.get_by_role("region", name="Impact", exact=True)
    for section in (flows, compliance, impact):
        expect(section).to_be_visible()
    expect(flows.get_by_role("table", name="Appareils par état")).to_be_visible()

    # Flows: the demo retires about 200 devices; the table by state adds up to the total shown.
    total = figure(flows, "Appareils réformés")
    assert total >= 200
    assert sum(column(flows, "Appareils par état", 2)) == total
    assert sum(column(flows, "Appareils par catégorie", 2)) == total
    expect(flows.get_by_role("figure").first.get_by_role("list")).to_be_visible()  # the chart, as a list of figures

    # Compliance: one row per donor and year, against the target; the totals are the rows' sums.
    eligible = figure(compliance, "Appareils de moins de 10 ans")
    assert sum(column(compliance, "Par donateur et par année, face à l'objectif", 4)) == eligible
    expect(compliance.get_by_role("table", name="Par donateur et par année, face à l'objectif")).to_contain_text("50")
    expect(compliance).to_contain_text("2023-266")

    # Impact: the factors and the substitution assumption are stated; the total is the categories' sum.
    expect(impact).to_contain_text("Hypothèse de substitution")
    expect(impact).to_contain_text("ADEME")
    co2 = figure(impact, "Émissions évitées (kg CO2e)")
    assert abs(sum(column(impact, "Émissions évitées par catégorie", 4)) - co2) < 0.5

    # The CSV of the table by state, through a one-time link: the same figures as the page.
    body, url = download(page, flows, "Télécharger en CSV", tmp_path)
    assert "/rapports/" in url
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert sum(int(r["devices"]) for r in rows) == total
    assert page.request.get(url).status == 404  # the ticket worked once

    # The JSON of the compliance report: the same totals as the page.
    body, _ = download(page, compliance, "Télécharger en JSON", tmp_path)
    assert json.loads(body)["totals"]["eligible"] == eligible

    # A donor filter narrows the flows.
    page.get_by_label("Donateur", exact=True).select_option(index=1)
    page.get_by_role("button", name="Afficher les rapports").click()
    expect(flows.locator("dt", has_text="Appareils réformés")).to_be_visible()
    page.wait_for_function("total => { const dd = [...document.querySelectorAll('dt')].find(d => "
                           "d.textContent.includes('Appareils réformés')).nextElementSibling; "
                           "return parseFloat(dd.textContent.replace(/\\s/g, '').replace(',', '.')) < total; }",
                           arg=total)
    sign_out(page)


def test_a_third_place_is_refused(page: Page) -> None:
    sign_in(page, "third_place")
    expect(page.get_by_role("navigation").get_by_role("link", name="Rapports")).to_have_count(0)
    page.goto("/rapports")
    expect(page.get_by_role("alert")).to_contain_text("réservés aux auditeurs et aux administrateurs")
    expect(page.get_by_role("region", name="Flux des appareils")).to_have_count(0)
    sign_out(page)


def test_a_cell_that_starts_with_a_formula_sign_is_escaped_in_the_csv() -> None:
    """Unit level: a device model typed as a formula reaches the spreadsheet as text."""
    report = Report("compliance", ReportFilter(), tables={"evidence": [
        {"code": "ABC", "model": "=HYPERLINK(\"http://x\")", "brand": "@SUM(A1)", "note": "-2+3"}]})
    body, media, name = report_file(report, "csv", "evidence")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1] == ["ABC", "'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'-2+3"]
    assert media.startswith("text/csv") and name.endswith("evidence.csv")
