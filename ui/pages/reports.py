"""/rapports (auditors and admins): flows, reuse compliance and impact, filtered, charted and downloadable.

Every figure comes from `marketplace.reports.service.ReportService`, which checks the role again on every
call. Charts are CSS bars next to their figures (the list items carry the text, the bars are decoration);
downloads follow the label sheets' pattern: the signed-in handler gets a one-time ticket and the browser
fetches `/rapports/{ticket}` once (`ui/http.py`); the session token never leaves the server.
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from datetime import datetime
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.reports.model import Report
from marketplace.reports.service import ReportService, may_read_reports, parse_filter
from ui import i18n, routes
from ui.components.admin_gate import GRANTED, REFUSED
from ui.components.fields import select_field, text_field
from ui.components.layout import page_shell
from ui.components.notice import error_notice, success_notice
from ui.i18n import t
from ui.i18n_reasons import check_text
from ui.services import explain, marketplace
from ui.state import SessionState

# table id -> (report, source table, [(column key, header key)])
TABLES: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "by_state": ("flows", "by_state", [("state", "rep.col.state"), ("devices", "rep.col.devices")]),
    "by_category": ("flows", "by_category", [("category", "rep.col.category"), ("devices", "rep.col.devices")]),
    "by_donor": ("flows", "by_donor", [("donor", "rep.col.donor"), ("devices", "rep.col.devices")]),
    "by_pays": ("flows", "by_pays", [("pays", "rep.col.pays"), ("devices", "rep.col.devices")]),
    "by_month": ("flows", "by_month", [("month", "rep.col.month"), ("devices", "rep.col.devices")]),
    "time_in_state": ("flows", "time_in_state", [
        ("state", "rep.col.state"), ("stays", "rep.col.stays"), ("current", "rep.col.current"),
        ("mean_hours", "rep.col.mean_hours"), ("median_hours", "rep.col.median_hours")]),
    "offers": ("flows", "offers", [("status", "rep.col.status"), ("offers", "rep.col.offers")]),
    "no_shows": ("flows", "no_shows", [("name", "rep.col.org"), ("no_shows", "rep.col.no_shows"),
                                       ("claims", "rep.col.claims")]),
    "by_donor_year": ("compliance", "by_donor_year", [
        ("donor_name", "rep.col.donor"), ("year", "rep.col.year"), ("retired", "rep.col.retired"),
        ("eligible", "rep.col.eligible"), ("reused", "rep.col.reused"), ("in_progress", "rep.col.in_progress"),
        ("reuse_share_pct", "rep.col.share"), ("with_in_progress_pct", "rep.col.share_in_progress"),
        ("target_pct", "rep.col.target"), ("met", "rep.col.met")]),
    "evidence": ("compliance", "evidence", [
        ("code", "rep.col.code"), ("donor", "rep.col.donor"), ("retired_year", "rep.col.retired_year"),
        ("category", "rep.col.category"), ("model", "rep.col.model"), ("year", "rep.col.purchase_year"),
        ("outcome", "rep.col.outcome"), ("delivered_at", "rep.col.delivered_at")]),
    "deliveries": ("compliance", "deliveries", [
        ("code", "rep.col.code"), ("donor", "rep.col.donor"), ("delivered_at", "rep.col.delivered_at"),
        ("claimer", "rep.col.claimer"), ("third_place", "rep.col.third_place"),
        ("unit_value_eur", "rep.col.unit_value"), ("eligible", "rep.col.donation_ok"), ("checks", "rep.col.checks")]),
    "impact_by_category": ("impact", "by_category", [
        ("category", "rep.col.category"), ("devices", "rep.col.devices"),
        ("kg_co2e_per_device", "rep.col.kg_per_device"), ("kg_co2e", "rep.col.kg_co2e")]),
    "weee": ("impact", "weee", [("category", "rep.col.category"), ("devices", "rep.col.devices"),
                                ("weight_kg", "rep.col.weight_kg")]),
}
# chart id -> (table id, label column, value column)
CHARTS: dict[str, tuple[str, str, str]] = {
    "by_state": ("by_state", "state", "devices"),
    "by_month": ("by_month", "month", "devices"),
    "compliance": ("by_donor_year", "donor_name", "reuse_share_pct"),
    "impact": ("impact_by_category", "category", "kg_co2e"),
}
CSV_TABLES = {"flows": ["by_state", "by_category", "by_donor", "by_pays", "by_month", "time_in_state", "offers",
                        "no_shows"],
              "compliance": ["by_donor_year", "evidence", "deliveries"],
              "impact": ["by_category", "devices", "weee"]}


def number(value: Any, lang: str) -> str:
    """A figure as its language writes it (French decimal comma, narrow no-break space for thousands)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return i18n.text("rep.yes" if value else "rep.no", lang)
    if isinstance(value, int):
        text = f"{value:,}"
    else:
        text = f"{float(value):,.1f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


def cell(column: str, row: dict[str, Any], lang: str) -> str:
    """One cell of a report table, as people read it."""
    value = row.get(column)
    if column == "model":
        return f"{row.get('brand') or ''} {row.get('model') or ''}".strip()
    if column == "state":
        return i18n.label("state", value, lang) or "—"
    if column == "category":
        return i18n.label("category", value, lang)
    if column == "status":
        return i18n.text(f"rep.status.{value}", lang)
    if column == "outcome":
        return i18n.text(f"rep.outcome.{value}", lang)
    if column == "met":
        return i18n.text("rep.met_none" if value is None else "rep.met_yes" if value else "rep.met_no", lang)
    if column == "checks":  # the eligibility checks' French wording, recognised and translated
        return check_text(str(value or ""), lang)
    if column in ("year", "retired_year", "month"):
        return "—" if value is None else str(value)
    if isinstance(value, datetime):
        return i18n.when(value, lang)
    if isinstance(value, bool | int | float) or value is None or type(value).__name__ == "Decimal":
        return number(value, lang)
    return str(value)


def table_rows(report: Report, source: str, columns: list[tuple[str, str]], lang: str) -> list[list[str]]:
    return [[cell(c, row, lang) for c, _ in columns] for row in report.tables.get(source, [])]


def chart_rows(report: Report, source: str, label: str, value: str, lang: str) -> list[dict[str, str]]:
    """Bars scaled to the largest value: the label, the figure and the bar's width (%)."""
    rows = [r for r in report.tables.get(source, []) if r.get(value) is not None]
    top = max((float(r[value]) for r in rows), default=0.0) or 1.0
    return [{"label": cell(label, r, lang) + (f" {r['year']}" if "year" in r and label == "donor_name" else ""),
             "value": number(r[value], lang), "width": f"{max(0.0, 100.0 * float(r[value]) / top):.1f}%"}
            for r in rows]


def totals(reports: dict[str, Report], lang: str) -> dict[str, str]:
    flows = reports["flows"].totals
    compliance = reports["compliance"].totals
    impact = reports["impact"].totals
    return {
        "devices": number(flows.get("devices", 0), lang),
        "offers_claimed": number(flows.get("offers_claimed", 0), lang),
        "offers_expired": number(flows.get("offers_expired", 0), lang),
        "eligible": number(compliance.get("eligible", 0), lang),
        "reused": number(compliance.get("reused", 0), lang),
        "reuse_share": number(compliance.get("reuse_share_pct"), lang),
        "devices_reused": number(impact.get("devices_reused", 0), lang),
        "co2": number(float(impact.get("kg_co2e_avoided", 0.0)), lang),
        "weee_kg": number(float(impact.get("weee_kg", 0.0)), lang),
    }


class ReportsState(SessionState):
    access: str = ""
    error: str = ""
    downloaded: str = ""
    start: str = ""
    end: str = ""
    donor: str = ""
    pays: str = ""
    csv_table: dict[str, str] = {"flows": "by_state", "compliance": "by_donor_year", "impact": "by_category"}  # noqa: RUF012
    _reports: dict[str, Report] = {}  # noqa: RUF012 (Reflex copies defaults per session)
    _donors: list[tuple[str, str]] = []  # noqa: RUF012
    _pays: list[tuple[str, str]] = []  # noqa: RUF012

    @rx.var
    def donor_options(self) -> list[list[str]]:
        return [["", i18n.text("rep.any", self.lang)]] + [[slug, name] for slug, name in self._donors]

    @rx.var
    def pays_options(self) -> list[list[str]]:
        return [["", i18n.text("rep.any", self.lang)]] + [[code, name] for code, name in self._pays]

    @rx.var
    def tables(self) -> dict[str, list[list[str]]]:
        if len(self._reports) < 3:
            return {key: [] for key in TABLES}
        return {key: table_rows(self._reports[name], source, columns, self.lang)
                for key, (name, source, columns) in TABLES.items()}

    @rx.var
    def charts(self) -> dict[str, list[dict[str, str]]]:
        if len(self._reports) < 3:
            return {key: [] for key in CHARTS}
        return {key: chart_rows(self._reports[TABLES[table][0]], TABLES[table][1], label, value, self.lang)
                for key, (table, label, value) in CHARTS.items()}

    @rx.var
    def has_reports(self) -> bool:
        return len(self._reports) == 3

    @rx.var
    def figures(self) -> dict[str, str]:
        if len(self._reports) < 3:
            return {}
        return totals(self._reports, self.lang)

    @rx.var
    def notes(self) -> dict[str, str]:
        if len(self._reports) < 3:
            return {}
        in_english = self.lang == "en"
        c, i, f = ((r.notes_en if in_english else r.notes) for r in
                   (self._reports["compliance"], self._reports["impact"], self._reports["flows"]))
        return {"flows_period": f.get("period", ""), "time_in_state": f.get("time_in_state", ""),
                "regulation": c.get("regulation", ""), "donation": c.get("donation", ""), "rule": c.get("rule", ""),
                "compliance_period": c.get("period", ""), "assumption": i.get("assumption", ""),
                "factors": i.get("factors", ""), "impact_period": i.get("period", "")}

    @rx.var
    def csv_options(self) -> dict[str, list[list[str]]]:
        return {name: [[table, table] for table in tables] for name, tables in CSV_TABLES.items()}

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.downloaded = ""
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        if not may_read_reports(user.role, user.is_admin):
            self.access = REFUSED
            self._reports = {}
            return None
        self.access = GRANTED
        try:
            self._donors, self._pays = await ReportService(await marketplace()).choices(self._token)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        await self._build()
        return None

    async def apply(self, form: dict[str, Any]) -> None:
        self.start = str(form.get("rep_start") or "")[:10]
        self.end = str(form.get("rep_end") or "")[:10]
        self.donor = str(form.get("rep_donor") or "")[:80]
        self.pays = str(form.get("rep_pays") or "")[:20]
        self.error = ""
        self.downloaded = ""
        await self._build()

    def choose_table(self, name: str, table: str) -> None:
        if name in CSV_TABLES and table in CSV_TABLES[name]:
            self.csv_table = {**self.csv_table, name: table}

    async def download(self, name: str, fmt: str) -> EventSpec | None:
        self.error = ""
        self.downloaded = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        table = self.csv_table.get(name) if fmt == "csv" else None
        try:
            filters = parse_filter(self._filter_values())
            ticket = await ReportService(await marketplace()).create_download(self._token, name, filters, fmt, table)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self.downloaded = i18n.text("rep.download_ready", self.lang)
        stem = f"seconde-vie-{name}" + (f"-{table}" if table else "")
        return rx.download(url=f"/rapports/{ticket}", filename=f"{stem}-{datetime.now():%Y%m%d-%H%M}.{fmt}")

    def _filter_values(self) -> dict[str, str]:
        return {"start": self.start, "end": self.end, "donor": self.donor, "pays": self.pays}

    async def _build(self) -> None:
        try:
            service = ReportService(await marketplace())
            filters = parse_filter(self._filter_values())
            self._reports = {name: await service.report(self._token, name, filters)
                             for name in ("flows", "compliance", "impact")}
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self._reports = {}
            self.error = explain(err, self.lang)


# --- components --------------------------------------------------------------------------------------------

def _table(key: str, title_key: str, heading: int = 3) -> rx.Component:
    columns = TABLES[key][2]
    title_id = f"rep-{key.replace('_', '-')}"
    rows = ReportsState.tables[key]
    heading_el = rx.el.h3 if heading == 3 else rx.el.h4
    return rx.el.section(
        heading_el(t(title_key), id=title_id),
        rx.cond(
            rows.length() > 0,
            rx.el.div(rx.el.table(
                rx.el.thead(rx.el.tr(*[rx.el.th(t(header), scope="col") for _, header in columns])),
                rx.el.tbody(rx.foreach(rows, lambda row: rx.el.tr(rx.foreach(row, lambda c: rx.el.td(c))))),
                aria_labelledby=title_id,
                class_name="table",
            ), class_name="table-wrap"),
            rx.el.p(t("rep.empty")),
        ),
        aria_labelledby=title_id,
    )


def _chart(key: str, title_key: str) -> rx.Component:
    """Horizontal bars; each item reads "label: figure", the bar itself is hidden from screen readers."""
    title_id = f"rep-chart-{key.replace('_', '-')}"
    return rx.el.figure(
        rx.el.figcaption(t("rep.chart_of"), t("punct.colon"), t(title_key), id=title_id),
        rx.el.ul(
            rx.foreach(ReportsState.charts[key], lambda bar: rx.el.li(
                rx.el.span(bar["label"], t("punct.colon"), rx.el.strong(bar["value"]),
                           style={"display": "inline-block", "min_width": "16rem"}),
                rx.el.span(aria_hidden="true", style={
                    "display": "inline-block", "height": "0.9rem", "width": bar["width"], "max_width": "60%",
                    "background": "#1d5a8c", "vertical_align": "middle", "border_radius": "2px"}),
                style={"list_style": "none", "margin": "0.15rem 0"},
            )),
            aria_labelledby=title_id,
            style={"padding": "0", "max_width": "60rem"},
        ),
        style={"margin": "1rem 0"},
    )


def _figure(label_key: str, key: str) -> rx.Component:
    return rx.el.div(rx.el.dt(t(label_key)), rx.el.dd(ReportsState.figures[key]))


def _downloads(name: str) -> rx.Component:
    s = ReportsState
    field = f"rep-csv-{name}"
    return rx.el.div(
        rx.el.div(
            rx.el.label(t("rep.table"), html_for=field),
            rx.el.select(
                rx.foreach(s.csv_options[name], lambda pair: rx.el.option(pair[1], value=pair[0])),
                id=field, value=s.csv_table[name],
                on_change=lambda value: s.choose_table(name, value),  # type: ignore[call-arg]
            ),
            class_name="field",
        ),
        rx.el.button(t("rep.csv"), type="button", class_name="button",
                     on_click=s.download(name, "csv")),  # type: ignore[call-arg]
        " ",
        rx.el.button(t("rep.json"), type="button", class_name="button button-quiet",
                     on_click=s.download(name, "json")),  # type: ignore[call-arg]
        class_name="form",
        role="group",
        aria_label=t("rep.downloads"),
    )


def _note(label_key: str, key: str) -> rx.Component:
    """A report's note, in the reader's language (the service words each one in both)."""
    return rx.el.p(rx.el.strong(t(label_key)), t("punct.colon"), rx.el.span(ReportsState.notes[key]))


def _filters() -> rx.Component:
    s = ReportsState
    return rx.el.section(
        rx.el.h2(t("rep.filters"), id="rep-filters"),
        rx.el.form(
            text_field(t("rep.start"), "rep_start", type_="date", default_value=s.start),
            text_field(t("rep.end"), "rep_end", type_="date", default_value=s.end),
            select_field(t("rep.donor"), "rep_donor", s.donor_options, default=""),
            select_field(t("rep.pays"), "rep_pays", s.pays_options, default=""),
            rx.el.button(t("rep.apply"), type="submit", class_name="button"),
            no_validate=True,
            on_submit=s.apply,
            reset_on_submit=False,
            class_name="form",
        ),
        rx.el.p(t("rep.period_note")),
        aria_labelledby="rep-filters",
    )


def _report_section(name: str, figures: list[tuple[str, str]], *body: rx.Component) -> rx.Component:
    """One report: its heading (`rep.<name>`), its key figures, its notes, charts and tables, its downloads."""
    return rx.el.section(
        rx.el.h2(t(f"rep.{name}"), id=f"rep-{name}"),
        rx.el.dl(*[_figure(label_key, key) for label_key, key in figures], class_name="facts"),
        *body,
        _downloads(name),
        aria_labelledby=f"rep-{name}",
    )


def _flows() -> rx.Component:
    return _report_section(
        "flows",
        [("rep.flows_total", "devices"), ("rep.offers_claimed", "offers_claimed"),
         ("rep.offers_expired", "offers_expired")],
        _note("rep.note", "flows_period"),
        _chart("by_state", "rep.by_state"),
        _table("by_state", "rep.by_state"),
        _table("by_category", "rep.by_category"),
        _table("by_donor", "rep.by_donor"),
        _table("by_pays", "rep.by_pays"),
        _chart("by_month", "rep.by_month"),
        _table("by_month", "rep.by_month"),
        _table("time_in_state", "rep.time_in_state"),
        _note("rep.note", "time_in_state"),
        _table("offers", "rep.offers"),
        _table("no_shows", "rep.no_shows"),
    )


def _compliance() -> rx.Component:
    return _report_section(
        "compliance",
        [("rep.eligible_total", "eligible"), ("rep.reused_total", "reused"), ("rep.reuse_share", "reuse_share")],
        _note("rep.regulation", "regulation"),
        _note("rep.note", "rule"),
        _note("rep.note", "compliance_period"),
        _chart("compliance", "rep.by_donor_year"),
        _table("by_donor_year", "rep.by_donor_year"),
        _table("evidence", "rep.evidence"),
        rx.el.p(t("rep.screen_rows")),
        _table("deliveries", "rep.deliveries"),
        _note("rep.regulation", "donation"),
    )


def _impact() -> rx.Component:
    return _report_section(
        "impact",
        [("rep.devices_reused", "devices_reused"), ("rep.co2_avoided", "co2"), ("rep.weee_kg", "weee_kg")],
        _note("rep.assumption", "assumption"),
        _note("rep.factors", "factors"),
        _note("rep.note", "impact_period"),
        _chart("impact", "rep.impact_by_category"),
        _table("impact_by_category", "rep.impact_by_category"),
        _table("weee", "rep.weee"),
    )


def reports_page() -> rx.Component:
    s = ReportsState
    return page_shell(
        "rep.title",
        rx.cond(
            s.access == GRANTED,
            rx.fragment(
                rx.el.p(t("rep.intro")),
                error_notice(s.error),
                rx.cond(s.downloaded != "", success_notice(rx.el.p(s.downloaded))),
                _filters(),
                rx.cond(s.has_reports, rx.fragment(_flows(), _compliance(), _impact())),
            ),
            rx.cond(s.access == REFUSED, error_notice(t("rep.refused")), rx.el.p(t("rep.loading"), role="status")),
        ),
    )
