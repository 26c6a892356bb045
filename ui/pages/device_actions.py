"""The lifecycle actions on the device page: the forms of the steps this user may take now, and submitting one.

Only the forms of `Marketplace.available_actions` are shown, but that is a courtesy, not a control: the
submit handler accepts any action name and hands it to `Marketplace.perform`, which checks the session,
role, organisation, custody, state and data again on the server. A forged event is refused there.
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx

from marketplace.domain.nwipe_pdf import (
    MAX_PDF_BYTES,  # the larger of the two: a log is refused past its own limit
)
from marketplace.domain.permissions import Action
from marketplace.services.erasure_reports import ErasureReports
from ui import i18n, routes
from ui.action_inputs import MAX_MEDIA, action_data
from ui.components.action_forms import forms
from ui.components.handover import code_panel
from ui.components.notice import error_notice, success_notice
from ui.i18n import t
from ui.pages.device_erasure import ErasureState
from ui.pages.device_state import DeviceState
from ui.services import explain, marketplace
from ui.state import SessionState

STATION_ZONES = ("Europe/Paris", "UTC")



def _filled(certificate: dict[str, Any]) -> dict[str, str]:
    """The wipe form's fields as the report filled them (the person edits them before saving)."""
    fields = {k: str(certificate.get(k) or "") for k in ("method", "technique", "tool", "tool_version",
                                                           "verification", "sanitised_on")}
    fields["sanitised_on"] = fields["sanitised_on"][:10]
    for i, medium in enumerate(certificate.get("media", [])[:MAX_MEDIA]):
        fields |= {f"media_{i}_{k}": str(medium.get(k) or "") for k in ("make", "model", "serial")}
    return fields


class DeviceActionsState(SessionState):
    actions: list[str] = []  # noqa: RUF012 (Reflex copies defaults per session)
    error: str = ""
    done_state: str = ""
    in_catalogue: bool = False  # just refurbished: now in the tiers-lieux' catalogue
    is_recycler: bool = False
    recycler_options: list[list[str]] = []  # noqa: RUF012
    handover_side: str = ""  # "giver" or "receiver" of the device's pending handover, when it is an action here
    shown_code: str = ""  # the one-time handover code the giver shows, "482 913"
    shown_for: str = ""  # the organisation that must type it
    certificate_ready: bool = False  # a wipe certificate this person may download
    # An nwipe report read for the wipe form: its fields filled from it (`fill_key` remounts the form with them),
    # the file kept here (never sent back to the browser) until the certificate is saved with it.
    report_fill: dict[str, str] = {}  # noqa: RUF012
    report_name: str = ""
    report_unchecked: bool = False
    report_timezone: str = "Europe/Paris"
    fill_key: int = 0
    _report_raw: bytes = b""

    @rx.var
    def wipe_values(self) -> dict[str, str]:
        values = {"method": "Purge", "verification": "full", "technique": "", "tool": "", "tool_version": "",
                  "sanitised_on": date.today().isoformat()}
        values |= {f"media_{i}_{k}": "" for i in range(MAX_MEDIA) for k in ("make", "model", "serial")}
        return values | self.report_fill

    @rx.var
    def timezone_options(self) -> list[list[str]]:
        return [[zone, i18n.text(f"act.report_zone.{zone}", self.lang)] for zone in STATION_ZONES]

    def set_report_timezone(self, value: str) -> None:
        self.report_timezone = value if value in STATION_ZONES else "Europe/Paris"

    def _forget_report(self) -> None:
        self.report_fill, self.report_name, self.report_unchecked, self._report_raw = {}, "", False, b""
        self.fill_key += 1

    @rx.event(background=True)
    async def read_report(self, chunks: rx.UploadChunkIterator):  # type: ignore[no-untyped-def]
        """The uploaded nwipe log, read and checked by the server for this device (nothing recorded yet): the
        wipe form is filled from it. Read up to the size limit only; a refusal becomes a sentence."""
        async with self:
            token, lang, code, zone = self._token, self.lang, self._code(), self.report_timezone
            self.error, self.done_state = "", ""
        name, data = "", b""
        async for chunk in chunks:
            if name and chunk.filename != name:
                break  # one report at a time
            name = name or chunk.filename or "nwipe.log"
            data += chunk.data
            if len(data) > MAX_PDF_BYTES:
                break
        if not name:
            return
        try:
            m = await marketplace()
            result = await ErasureReports(m.pool, m.settings).submit_raw(token, code, data, zone, {}, True, lang)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            async with self:
                self._forget_report()
                self.error = explain(err, lang)
            return
        async with self:
            self.report_fill, self.report_name, self._report_raw = _filled(result.certificate), name[:100], data
            self.report_unchecked = not result.media_checked
            self.fill_key += 1

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
    def beneficiary_options(self) -> list[list[str]]:
        return i18n.option_pairs("beneficiary", self.lang)

    @rx.var
    def today(self) -> str:
        return date.today().isoformat()

    def _code(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    async def load(self) -> None:
        self.error = ""
        self.done_state = ""
        self._forget_report()
        await self._load_actions()

    async def submit(self, form: dict[str, Any]) -> Any:
        """Run the action the form names, for the device of this page; any refusal becomes a sentence."""
        self.error = ""
        self.done_state = ""
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        action = str(form.get("action", ""))[:40]
        try:
            data = action_data(action, form, self.lang, is_recycler=user.role == "recycler")
            if action == "wipe" and self._report_raw:  # certified by the report read above, kept as evidence
                m = await marketplace()
                await ErasureReports(m.pool, m.settings).submit_raw(self._token, self._code(), self._report_raw,
                                                                    self.report_timezone, data, False, self.lang)
                state = "wiped"
                self._forget_report()
            else:
                state = (await (await marketplace()).perform(self._token, self._code(), action, data)).state
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            await self._load_actions()
            return None
        self.done_state = i18n.label("state", state, self.lang)
        summary_state = state
        self.in_catalogue = action == "refurbish" and summary_state == "refurbished"
        await self._load_actions()
        if action == "wipe":
            return [DeviceState.load, ErasureState.load]  # and the report now kept as evidence
        return DeviceState.load  # the facts and the trail now show the new event

    async def download_certificate(self) -> Any:
        """The wipe certificate's PDF: the server checks who may have it and gives a one-time link."""
        self.error = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            ticket = await (await marketplace()).wipe_certificate_ticket(self._token, self._code())
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        return rx.download(url=f"/documents/{ticket}.pdf", filename=f"certificat-effacement-{self._code()}.pdf")

    async def show_handover_code(self) -> Any:
        """A new one-time code for the handing party's screen; the server decides whether this user may have one."""
        self.error = ""
        self.shown_code = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            shown = await (await marketplace()).show_handover_code(self._token, self._code())
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self.shown_code, self.shown_for = f"{shown.code[:3]} {shown.code[3:]}", shown.receiver
        return None

    async def _load_actions(self) -> None:
        self.actions = []
        self.handover_side = ""
        self.shown_code = ""
        user = await self._current_user()
        if user is None:
            return
        self.is_recycler = user.role == "recycler"
        service = await marketplace()
        self.certificate_ready = await service.has_wipe_certificate(self._token, self._code())
        try:
            self.actions = await service.available_actions(self._token, self._code())
            if "collect" in self.actions or "deliver" in self.actions:
                self.handover_side = await service.handover_side(self._token, self._code())
            if "recycle" in self.actions and not self.is_recycler:
                self.recycler_options = [[slug, name] for slug, name in await service.recyclers(self._token)]
        except Exception as err:  # noqa: BLE001 (the device page itself says why a device cannot be shown)
            explain(err, self.lang)


def device_actions() -> rx.Component:
    """The actions section of the device page (signed-in users only)."""
    s = DeviceActionsState
    by_action = forms(s)
    return rx.cond(
        s.signed_in,
        rx.el.section(
            rx.el.h2(t("act.title"), id="actions"),
            error_notice(s.error),
            rx.cond(s.done_state != "", success_notice(
                rx.el.p(t("act.done"), " ", rx.el.strong(s.done_state)),
                rx.cond(s.in_catalogue, rx.el.p(t("act.in_catalogue"), " ",
                                                rx.el.a(t("act.in_catalogue_link"), href=routes.MY_DEVICES))),
            )),
            rx.cond(s.actions.length() == 0, rx.el.p(t("act.none"))),  # type: ignore[attr-defined]
            *[rx.cond(s.actions.contains(a.value), by_action[a.value]) for a in Action],  # type: ignore[attr-defined]
            rx.cond(s.handover_side == "giver", code_panel(s)),
            rx.cond(s.certificate_ready, rx.el.p(rx.el.button(
                t("act.certificate_download"), type="button", on_click=s.download_certificate,
                class_name="button button-quiet"))),
            aria_labelledby="actions",
            class_name="actions-panel",
        ),
    )
