"""The device page's "print its label" button (issue 23): the donor's asset manager prints the one label of
this device (62 mm roll) without going through /retirer's sheet panel.

The server decides: the label service prints only the signed-in asset manager's own devices (another donor's
code matches nothing and is refused), through the same one-time ticket as the sheets.
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from marketplace.labels.service import LabelSelection, LabelService, parse_codes
from ui import routes
from ui.components.notice import error_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


class DeviceLabelState(SessionState):
    label_error: str = ""

    async def print_label(self) -> EventSpec | None:
        self.label_error = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        code = self.router.url.path.rstrip("/").rsplit("/", 1)[-1][:40]
        try:
            ticket = await LabelService(await marketplace()).create_download(
                self._token, LabelSelection(codes=parse_codes(code)), "roll-62")
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.label_error = explain(err, self.lang)
            return None
        return rx.download(url=f"/labels/{ticket}.pdf")  # named by the server (its donor, the date)


def label_button() -> rx.Component:
    """Shown to asset managers (the donors); the service refuses a device that is not their organisation's."""
    s = DeviceLabelState
    return rx.cond(s.user_role == "asset_manager", rx.el.div(
        error_notice(s.label_error),
        rx.el.button(t("device.print_label"), type="button", on_click=s.print_label, class_name="button",
                     aria_describedby="print-label-hint"),
        rx.el.p(t("device.print_label_hint"), id="print-label-hint", class_name="hint"),
    ))
