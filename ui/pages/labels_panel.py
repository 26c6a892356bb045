"""The "print labels" panel of /retirer: an asset manager downloads a PDF sheet of its own devices' labels.

The session token never leaves the server: the handler checks the user and gets a one-time ticket, then
asks the browser to download `/labels/{ticket}.pdf` (served by `ui/http.py`), which works once, within
minutes, and only for the user who asked (see `marketplace/labels/service.py`).
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from datetime import datetime
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.labels.service import STATES, LabelSelection, LabelService, parse_codes
from ui import i18n, routes
from ui.components.fields import select_field, text_field
from ui.components.notice import error_notice, success_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


class LabelsState(SessionState):
    labels_error: str = ""
    labels_ready: bool = False

    @rx.var
    def format_options(self) -> list[list[str]]:
        return [[value, text] for value, text in i18n.options("label_format", self.lang)]

    @rx.var
    def state_options(self) -> list[list[str]]:
        return [["", i18n.text("labels.state_all", self.lang)]] + [
            [s, i18n.label("state", s, self.lang)] for s in STATES
        ]

    async def print_labels(self, form: dict[str, Any]) -> EventSpec | None:
        self.labels_error = ""
        self.labels_ready = False
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        selection = LabelSelection(state=str(form.get("label_state") or "") or None,
                                   codes=parse_codes(str(form.get("label_codes") or "")))
        fmt = str(form.get("label_format") or "a4-3x7")
        try:
            ticket = await LabelService(await marketplace()).create_download(self._token, selection, fmt)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.labels_error = explain(err, self.lang)
            return None
        self.labels_ready = True
        return rx.download(url=f"/labels/{ticket}.pdf", filename=f"etiquettes-{datetime.now():%Y%m%d-%H%M}.pdf")


def labels_panel() -> rx.Component:
    return rx.el.section(
        rx.el.h2(t("labels.title"), id="labels"),
        rx.el.p(t("labels.intro")),
        error_notice(LabelsState.labels_error),
        rx.cond(LabelsState.labels_ready, success_notice(rx.el.p(t("labels.ready")))),
        rx.el.form(
            select_field(t("labels.format"), "label_format", LabelsState.format_options, default="a4-3x7"),
            select_field(t("labels.state"), "label_state", LabelsState.state_options, default=""),
            text_field(t("labels.codes"), "label_codes"),
            rx.el.button(t("labels.print"), type="submit", class_name="button"),
            no_validate=True,
            on_submit=LabelsState.print_labels,
            reset_on_submit=False,
            class_name="form",
        ),
        aria_labelledby="labels",
    )
