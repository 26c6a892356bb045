"""/scan: read a device's QR label with the camera, or type its code; either opens the device page."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.services.lookup import Client, code_in, open_device
from ui import routes
from ui.components.fields import text_field
from ui.components.layout import page_shell
from ui.components.notice import error_notice
from ui.components.qr_scanner import qr_scanner
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


class ScanState(SessionState):
    error: str = ""

    async def on_scan(self, text: str) -> EventSpec | None:
        return await self._open(text)

    async def submit(self, form: dict[str, Any]) -> EventSpec | None:
        return await self._open(str(form.get("code", "")))

    async def _open(self, text: str) -> EventSpec | None:
        """Check the code on the server (misses are rate-limited there), then go to its page."""
        self.error = ""
        code = code_in(text)
        user = await self._current_user()
        client = Client(self.router.session.client_ip, self.router.session.client_token)
        try:
            page = await open_device(await marketplace(), code, self._token if user else None, client)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        return rx.redirect(routes.device(page.qr_url.rsplit("/", 1)[-1]))


def _camera() -> rx.Component:
    return rx.el.section(
        rx.el.p(t("scan.intro")),
        qr_scanner(
            on_scan=ScanState.on_scan,
            video_label=t("scan.video"),
            starting_text=t("scan.starting"),
            running_text=t("scan.running"),
            unavailable_text=t("scan.unavailable"),
        ),
        aria_label=t("scan.video"),
    )


def _typed() -> rx.Component:
    return rx.el.section(
        rx.el.h2(t("scan.type_title"), id="type-code"),
        rx.el.form(
            text_field(t("scan.code"), "code", required=True, autocomplete="off", auto_capitalize="characters",
                       spell_check=False, max_length=40),
            rx.el.button(t("scan.open"), type="submit", class_name="button"),
            no_validate=True,
            on_submit=ScanState.submit,
            reset_on_submit=False,
            class_name="form",
        ),
        aria_labelledby="type-code",
    )


def scan_page() -> rx.Component:
    return page_shell("scan.title", error_notice(ScanState.error), _camera(), _typed())
