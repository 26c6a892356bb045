"""/enlevements/<id>/remise and /livraisons/<organisation>/remise: the scanning session of a handover, on a phone
(a pickup's, or a delivery of several reservations to a tiers-lieu).

The camera stays open; each label read is checked against the devices expected (`domain/pickups.ScanSession`):
ticked off with a beep and a vibration, or flagged at once when it is not in the pickup or was read already;
the missing ones are listed. Then the person confirms: the handing party (the donor, the workshop) alone, the
receiving party with the one-time code the handing party's screen shows, and every scanned device is
collected (delivered) in one transaction (the server checks everything again: this page's lists are only
what the person sees).
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.domain.codes import format_code, normalise_code
from marketplace.domain.pickups import Scan, ScanSession
from marketplace.i18n import catalogues
from marketplace.services.lookup import code_in
from ui import i18n, routes
from ui.components.fields import select_field, text_field
from ui.components.layout import nav_link, page_shell
from ui.components.notice import error_notice, success_notice
from ui.components.qr_scanner import qr_scanner
from ui.components.scan_feedback import scan_feedback
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState


class PickupScanState(SessionState):
    error: str = ""
    kind: str = ""  # pickup or delivery
    handing: bool = False
    found: bool = False
    finished: bool = False
    side: str = ""
    other: str = ""
    back: str = ""
    message: str = ""
    flagged: bool = False
    signal: str = ""
    result: str = ""
    result_missing: str = ""
    ticked: list[str] = []  # noqa: RUF012 (Reflex copies defaults per session)
    unexpected: list[str] = []  # noqa: RUF012
    _expected: list[str] = []  # noqa: RUF012
    _names: dict[str, str] = {}  # noqa: RUF012
    _reads: int = 0

    def _target(self) -> tuple[str, str]:
        """(pickup or delivery, the pickup's id or the other organisation's slug), from the address."""
        parts = self.router.url.path.strip("/").split("/")
        kind = "delivery" if parts[0] == routes.DELIVERIES.strip("/") else "pickup"
        return kind, parts[1] if len(parts) > 1 else ""

    @rx.var
    def ticked_rows(self) -> list[dict[str, str]]:
        return [{"code": format_code(c), "device": self._names.get(c, "")} for c in reversed(self.ticked)]

    @rx.var
    def unexpected_rows(self) -> list[str]:
        return [format_code(c) for c in self.unexpected]

    @rx.var
    def missing_rows(self) -> list[dict[str, str]]:
        return [{"code": format_code(c), "device": self._names.get(c, "")}
                for c in self._expected if c not in self.ticked]

    @rx.var
    def beneficiary_options(self) -> list[list[str]]:
        return [[value, label] for value, label in i18n.options("beneficiary", self.lang)]

    @rx.var
    def progress(self) -> str:
        return catalogues.formatted("scan.progress", self.lang, n=len(self.ticked), total=len(self._expected))

    async def load(self) -> EventSpec | None:
        self.error = self.message = self.signal = self.result = self.result_missing = ""
        self.found = self.finished = self.flagged = False
        self.ticked, self.unexpected, self._expected, self._names, self._reads = [], [], [], {}, 0
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        kind, key = self._target()
        service = await marketplace()
        try:
            if kind == "pickup":
                p = await service.pickup(self._token, key)
                devices, side, back = p.devices, p.side, routes.pickup(p.id)
                other = p.claimer_name if p.side == "donor" else p.donor_name
            else:
                d = await service.delivery(self._token, key)
                devices, side, back = d.devices, d.side, routes.DELIVERIES
                other = d.receiver_name if d.side == "giver" else d.giver_name
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        lang = self.lang
        expected = [d for d in devices if d.status == "expected"]
        self._expected = [d.code.replace("-", "") for d in expected]
        self._names = {d.code.replace("-", ""): f"{i18n.label('category', d.category, lang)} {d.brand} {d.model}"
                       for d in expected}
        self.kind, self.side, self.back, self.other, self.found = kind, side, back, other, True
        self.handing = side in ("donor", "giver")
        return None

    def on_scan(self, text: str) -> None:
        self._read(code_in(text))

    def typed(self, form: dict[str, Any]) -> None:
        self._read(str(form.get("scanned_code", "")))

    def _read(self, text: str) -> None:
        if not self.found or self.finished:
            return
        code = normalise_code(text[:60])
        session = ScanSession(tuple(self._expected), list(self.ticked), list(self.unexpected))
        verdict = session.read(code)
        self.ticked, self.unexpected = session.ticked, session.unexpected
        shown = format_code(code) if code else text[:40]
        name = self._names.get(code or "", "")
        self.message = catalogues.formatted(f"scan.{verdict.value}", self.lang, code=shown, device=name)
        self.flagged = verdict is not Scan.expected
        self._reads += 1
        self.signal = f"{self._reads}:{'flag' if self.flagged else 'ok'}"

    async def confirm(self, form: dict[str, Any]) -> EventSpec | None:
        self.error = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        typed = str(form.get("handover_code", "")) or None
        kind, key = self._target()
        service = await marketplace()
        try:
            if kind == "pickup":
                done = await service.collect_pickup(self._token, key, list(self.ticked), typed)
            else:
                done = await service.deliver_scanned(self._token, key, list(self.ticked),
                                                     str(form.get("beneficiary_category", "")), typed)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self.finished = True
        self.result = catalogues.formatted("scan.collected" if kind == "pickup" else "scan.delivered", self.lang,
                                           n=len(done.collected))
        self.result_missing = ", ".join(done.missing)
        return None


def _camera() -> rx.Component:
    s = PickupScanState
    return rx.el.section(
        qr_scanner(
            on_scan=s.on_scan,
            video_label=t("scan.video"),
            starting_text=t("scan.starting"),
            running_text=t("scan.running_session"),
            unavailable_text=t("scan.unavailable"),
        ),
        scan_feedback(signal=s.signal),
        rx.cond(s.message != "",
                rx.el.p(s.message, role="status", data_flagged=rx.cond(s.flagged, "true", "false"),
                        class_name=rx.cond(s.flagged, "notice notice-error scan-verdict",
                                           "notice notice-success scan-verdict"))),
        rx.el.form(
            text_field(t("scan.code"), "scanned_code", autocomplete="off", auto_capitalize="characters",
                       spell_check=False, max_length=60),
            rx.el.button(t("scan.add"), type="submit", class_name="button button-quiet"),
            on_submit=s.typed,
            reset_on_submit=True,
            class_name="form form-inline",
        ),
        aria_label=t("scan.video"),
    )


def _lists() -> rx.Component:
    s = PickupScanState
    return rx.fragment(
        rx.el.h2(s.progress, id="scanned"),
        rx.el.ul(rx.foreach(s.ticked_rows, lambda r: rx.el.li(rx.el.span(r["code"], class_name="code"), " ",
                                                             r["device"])),
                 aria_labelledby="scanned", class_name="scan-list"),
        rx.cond(s.unexpected_rows.length() > 0, rx.fragment(
            rx.el.h2(t("scan.unexpected_title"), id="unexpected"),
            rx.el.ul(rx.foreach(s.unexpected_rows, lambda c: rx.el.li(rx.el.span(c, class_name="code"))),
                     aria_labelledby="unexpected", class_name="scan-list scan-flagged"),
        )),
        rx.el.h2(t("scan.missing_title"), id="missing"),
        rx.cond(s.missing_rows.length() > 0,
                rx.el.ul(rx.foreach(s.missing_rows, lambda r: rx.el.li(rx.el.span(r["code"], class_name="code"),
                                                                      " ", r["device"])),
                         aria_labelledby="missing", class_name="scan-list"),
                rx.el.p(t("scan.none_missing"))),
    )


def _confirm() -> rx.Component:
    s = PickupScanState
    return rx.el.section(
        rx.el.h2(t("scan.confirm_title"), id="confirm"),
        rx.cond(s.handing, rx.el.p(t("scan.confirm_donor")),
                rx.cond(s.kind == "pickup", rx.el.p(t("scan.confirm_claimer")), rx.el.p(t("scan.confirm_place")))),
        rx.el.form(
            rx.cond(s.kind == "delivery", select_field(t("act.beneficiary"), "beneficiary_category",
                                                       s.beneficiary_options)),
            rx.cond(~s.handing,
                    text_field(t("act.handover_code"), "handover_code", required=True, input_mode="numeric",
                               autocomplete="one-time-code", max_length=20)),
            rx.el.button(t("scan.confirm"), type="submit", class_name="button"),
            on_submit=s.confirm,
            reset_on_submit=False,
            class_name="form",
        ),
        aria_labelledby="confirm",
    )


def pickup_scan_page() -> rx.Component:
    s = PickupScanState
    return page_shell(
        "scan.session_title",
        error_notice(s.error),
        rx.cond(
            s.found,
            rx.fragment(
                rx.el.p(rx.cond(s.kind == "pickup", t("scan.with"), t("scan.with_delivery")), " ",
                        rx.el.strong(s.other), " — ", nav_link(rx.cond(s.kind == "pickup", t("scan.back"), t("scan.back_delivery")), s.back)),
                rx.cond(
                    s.finished,
                    success_notice(rx.el.p(s.result),
                                   rx.cond(s.result_missing != "",
                                           rx.el.p(rx.cond(s.kind == "pickup", t("scan.still_claimed"),
                                                           t("scan.still_reserved")), " ", s.result_missing))),
                    rx.fragment(_camera(), _lists(), _confirm()),
                ),
            ),
        ),
    )
