"""/mes-appareils/lot (refurbishers, makers, recyclers): one workshop step for a batch of devices, one form.

The person picks the step (diagnose, wipe, refurbish, harvest, recycle), puts devices in the batch (from the
list of the organisation's devices ready for that step, or by scanning or typing their codes), fills the
form once (for a wipe, each device's own media on its line) and submits. Each device then goes through or
is refused on its own, and the page says which, by code (`services.bulk_actions`). The lists here are a
courtesy: the server checks role, custody and state again for every device.
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.domain.codes import format_code, normalise_code
from marketplace.services.bulk_actions import MAX_BATCH
from schemas.views import DeviceSummary
from ui import i18n, routes
from ui.batch_inputs import BATCH_STEPS, batch_input, medium_name
from ui.components.action_forms import area, choice, field, tick
from ui.components.layout import nav_link, page_shell
from ui.components.notice import error_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState

WORKSHOP_ROLES = ("refurbisher", "maker", "recycler")



class BatchState(SessionState):
    allowed: bool = True
    step: str = "diagnose"
    error: str = ""
    is_recycler: bool = False
    recycler_options: list[list[str]] = []  # noqa: RUF012 (Reflex copies defaults per session)
    batch: list[str] = []  # noqa: RUF012  # the codes in the batch, formatted, in the order added
    results: list[dict[str, str]] = []  # noqa: RUF012
    _ready: list[DeviceSummary] = []  # noqa: RUF012  # my devices that may take `step` now
    _known: dict[str, DeviceSummary] = {}  # noqa: RUF012  # every device of mine seen, by code

    @rx.var
    def step_options(self) -> list[list[str]]:
        return [[step, i18n.text(f"act.{step}", self.lang)] for step in BATCH_STEPS]

    @rx.var
    def outcome_options(self) -> list[list[str]]:
        return i18n.option_pairs("outcome", self.lang)

    @rx.var
    def grade_options(self) -> list[list[str]]:
        return i18n.option_pairs("grade", self.lang)

    @rx.var
    def method_options(self) -> list[list[str]]:
        return i18n.option_pairs("wipe_method", self.lang)

    @rx.var
    def verification_options(self) -> list[list[str]]:
        return i18n.option_pairs("verification", self.lang)

    @rx.var
    def destination_options(self) -> list[list[str]]:
        return i18n.option_pairs("destination", self.lang)

    @rx.var
    def ready_rows(self) -> list[dict[str, str]]:
        return [self._row(d.code) for d in self._ready if d.code not in self.batch]

    @rx.var
    def batch_rows(self) -> list[dict[str, str]]:
        return [self._row(code) for code in self.batch]

    @rx.var
    def batch_count(self) -> str:
        return i18n.count(len(self.batch), self.lang)

    @rx.var
    def done_count(self) -> str:
        return i18n.count(sum(1 for r in self.results if r["ok"]), self.lang)

    @rx.var
    def refused_count(self) -> str:
        return i18n.count(sum(1 for r in self.results if not r["ok"]), self.lang)

    def _row(self, code: str) -> dict[str, str]:
        d = self._known.get(code)
        device = f"{i18n.label('category', d.category, self.lang)} {d.brand} {d.model}" if d else "—"
        return {
            "code": code, "href": routes.device(code), "device": device,
            "state": i18n.label("state", d.state, self.lang) if d else "—",
            "make": f"{medium_name(code, 0, 'make')}", "model": f"{medium_name(code, 0, 'model')}",
            "serial": f"{medium_name(code, 0, 'serial')}",
            "make_label": f"{i18n.text('act.medium_make', self.lang)} ({code})",
            "model_label": f"{i18n.text('act.medium_model', self.lang)} ({code})",
            "serial_label": f"{i18n.text('act.medium_serial', self.lang)} ({code})",
            "add_label": f"{i18n.text('batch.add', self.lang)} {device} ({code})",
            "remove_label": f"{i18n.text('batch.remove', self.lang)} {device} ({code})",
        }

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.results = []
        self.batch = []
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.allowed = user.role in WORKSHOP_ROLES
        self.is_recycler = user.role == "recycler"
        if self.allowed:
            await self._load_ready()
        return None

    async def choose_step(self, step: str) -> None:
        """Another step: the batch starts again (a device ready for one step is rarely ready for the next)."""
        self.step = step if step in BATCH_STEPS else "diagnose"
        self.batch = []
        self.results = []
        self.error = ""
        await self._load_ready()

    def add(self, code: str) -> None:
        self._add([code])

    def add_all(self) -> None:
        self._add([d.code for d in self._ready])

    def remove(self, code: str) -> None:
        self.batch = [c for c in self.batch if c != code]

    def add_codes(self, form: dict[str, Any]) -> None:
        """Codes typed, or scanned by a USB scanner (which types them), one a line or separated by spaces."""
        self.error = ""
        words = str(form.get("codes", ""))[:20_000].replace(",", " ").replace(";", " ").split()
        wrong = [w[:40] for w in words if normalise_code(w) is None]
        self._add([format_code(c) for c in (normalise_code(w) for w in words) if c is not None])
        if wrong:
            self.error = i18n.text("batch.not_codes", self.lang).format(codes=", ".join(wrong[:5]))

    def _add(self, codes: list[str]) -> None:
        for code in codes:
            if code not in self.batch and len(self.batch) < MAX_BATCH:
                self.batch = [*self.batch, code]

    async def submit(self, form: dict[str, Any]) -> EventSpec | None:
        self.error = ""
        self.results = []
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            shared, items = batch_input(self.step, form, list(self.batch), self.lang,
                                        is_recycler=user.role == "recycler")
            outcomes = await (await marketplace()).perform_batch(self._token, self.step, shared, items)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        rows = []
        for o in outcomes:
            done = o.device is not None
            text = (i18n.label("state", o.device.state, self.lang) if o.device is not None
                    else explain(o.refusal, self.lang) if o.refusal is not None else "")
            rows.append({"code": o.code, "href": routes.device(o.code), "ok": "1" if done else "", "text": text})
        self.results = rows
        # The devices that went through leave the batch; the refused ones stay, to be fixed or removed.
        went = {r["code"] for r in rows if r["ok"]}
        self.batch = [c for c in self.batch if c not in went]
        await self._load_ready()
        return None

    async def _load_ready(self) -> None:
        self._ready = []
        service = await marketplace()
        try:
            mine = await service.my_devices(self._token, limit=MAX_BATCH * 2)
            self._known = {d.code: d for d in mine}
            self._ready = [d for d in mine if self.step in await service.available_actions(self._token, d.code)]
            if self.step == "recycle" and not self.is_recycler:
                self.recycler_options = [[slug, name] for slug, name in await service.recyclers(self._token)]
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)


def _shared_fields(s: type[BatchState]) -> rx.Component:
    """The step's form fields that every device of the batch shares (as on the device page)."""
    return rx.match(
        s.step,
        ("diagnose", rx.fragment(
            choice(t("act.outcome"), "batch-outcome", "outcome", s.outcome_options, default="refurbishable"),
            area(t("act.findings"), "batch-findings", "findings"),
        )),
        ("wipe", rx.fragment(
            choice(t("act.method"), "batch-method", "method", s.method_options, default="Purge"),
            field(t("act.technique"), "batch-technique", "technique", required=True),
            field(t("act.tool"), "batch-tool", "tool", required=True),
            field(t("act.tool_version"), "batch-tool-version", "tool_version", required=True),
            choice(t("act.verification"), "batch-verification", "verification", s.verification_options,
                   default="full"),
            field(t("act.operator"), "batch-operator", "operator", required=True),
            field(t("act.sanitised_on"), "batch-date", "sanitised_on", type_="date", required=True),
            choice(t("act.destination"), "batch-destination", "destination", s.destination_options,
                   default="reuse"),
            field(t("act.signature"), "batch-signature", "signature", required=True),
        )),
        ("refurbish", rx.fragment(
            choice(t("act.grade"), "batch-grade", "grade", s.grade_options, default="B"),
            field(t("act.os_installed"), "batch-os", "os_installed", default_value="Linux Mint", required=True),
            area(t("act.tests_passed"), "batch-tests", "tests_passed"),
        )),
        ("harvest", area(t("act.parts"), "batch-parts", "parts", required=True)),
        ("recycle", rx.fragment(
            rx.cond(s.is_recycler, rx.fragment(),
                    choice(t("act.recycler"), "batch-recycler", "recycler", s.recycler_options)),
            field(t("act.weight"), "batch-weight", "weight_kg", required=True, input_mode="decimal"),
            field(t("act.slip"), "batch-slip", "slip_number", required=True),
            tick(t("act.destruction"), "batch-destruction", "storage_destruction_certified"),
        )),
        rx.fragment(),
    )


def _media_cells(r: Any) -> rx.Component:
    """A wipe's first medium, device by device (its certificate lists what was wiped in it)."""
    def cell(key: str) -> rx.Component:
        return rx.el.div(
            rx.el.label(r[f"{key}_label"], html_for=r[key], class_name="visually-hidden"),
            rx.el.input(id=r[key], name=r[key], placeholder=t(f"act.medium_{key}"), auto_complete="off"),
            class_name="medium-cell",
        )
    return rx.el.div(cell("make"), cell("model"), cell("serial"), class_name="medium-cells")


def _batch_item(r: Any) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            nav_link(r["code"], r["href"]), " ", rx.el.span(r["device"]), " · ", rx.el.span(r["state"]),
            rx.el.button(t("batch.remove"), type="button", aria_label=r["remove_label"],
                         on_click=BatchState.remove(r["code"]),  # type: ignore[call-arg]
                         class_name="button button-quiet"),
            class_name="batch-line",
        ),
        rx.cond(BatchState.step == "wipe", _media_cells(r)),
        class_name="batch-item",
    )


def _ready_item(r: Any) -> rx.Component:
    return rx.el.li(
        nav_link(r["code"], r["href"]), " ", rx.el.span(r["device"]),
        rx.el.button(t("batch.add"), type="button", aria_label=r["add_label"],
                     on_click=BatchState.add(r["code"]),  # type: ignore[call-arg]
                     class_name="button button-quiet"),
        class_name="batch-line",
    )


def _result_item(r: Any) -> rx.Component:
    return rx.el.li(
        nav_link(r["code"], r["href"]), " : ",
        rx.cond(r["ok"] != "", rx.el.strong(t("batch.result_done")), rx.el.strong(t("batch.result_refused"))),
        " — ", r["text"],
        class_name=rx.cond(r["ok"] != "", "result-done", "result-refused"),
    )


def batch_page() -> rx.Component:
    s = BatchState
    return page_shell(
        "batch.title",
        rx.cond(
            s.allowed,
            rx.fragment(
                rx.el.p(t("batch.intro")),
                error_notice(s.error),
                rx.cond(s.results.length() > 0, rx.el.section(  # type: ignore[attr-defined]
                    rx.el.h2(t("batch.results"), id="batch-results"),
                    rx.el.p(s.done_count, " ", t("batch.done_count"), " · ", s.refused_count, " ",
                            t("batch.refused_count")),
                    rx.el.ul(rx.foreach(s.results, _result_item), class_name="plain-list"),
                    aria_labelledby="batch-results", role="status", class_name="notice",
                )),
                rx.el.div(
                    rx.el.label(t("batch.step"), html_for="batch-step"),
                    rx.el.select(rx.foreach(s.step_options, lambda p: rx.el.option(p[1], value=p[0])),
                                 id="batch-step", value=s.step, on_change=s.choose_step),
                    class_name="field",
                ),
                rx.el.section(
                    rx.el.h2(t("batch.ready"), id="batch-ready"),
                    rx.cond(
                        s.ready_rows.length() > 0,  # type: ignore[attr-defined]
                        rx.fragment(
                            rx.el.p(rx.el.button(t("batch.add_all"), type="button", on_click=s.add_all,
                                                 class_name="button button-quiet")),
                            rx.el.ul(rx.foreach(s.ready_rows, _ready_item), class_name="plain-list"),
                        ),
                        rx.el.p(t("batch.none_ready")),
                    ),
                    rx.el.form(
                        area(t("batch.codes"), "batch-codes", "codes", aria_describedby="batch-codes-hint"),
                        rx.el.p(t("batch.codes_hint"), id="batch-codes-hint", class_name="hint"),
                        rx.el.button(t("batch.add_codes"), type="submit", class_name="button button-quiet"),
                        on_submit=s.add_codes, reset_on_submit=True, method="post", class_name="form",
                    ),
                    aria_labelledby="batch-ready",
                ),
                rx.el.section(
                    rx.el.h2(t("batch.in_batch"), " (", s.batch_count, ")", id="batch-list"),
                    rx.cond(
                        s.batch.length() > 0,  # type: ignore[attr-defined]
                        rx.el.form(
                            rx.cond(s.step == "wipe", rx.el.p(t("batch.media_hint"), class_name="hint")),
                            rx.el.ul(rx.foreach(s.batch_rows, _batch_item), class_name="plain-list"),
                            _shared_fields(s),
                            rx.el.button(t("batch.submit"), type="submit", class_name="button"),
                            on_submit=s.submit, reset_on_submit=False, method="post", class_name="form",
                        ),
                        rx.el.p(t("batch.empty")),
                    ),
                    aria_labelledby="batch-list",
                ),
            ),
            error_notice(t("role.required")),
        ),
    )
