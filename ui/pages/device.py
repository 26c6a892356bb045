"""/d/[code]: the page of one device (what its QR label opens).

Not signed in, it is the public passport: category, model, state, grade, avoided emissions and the dated
trail of states, and nothing else (no serial or inventory number, no people, no organisation names in
the trail). Signed in, it adds the donor, the actors, and the actions this user may take now.
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

import reflex as rx

from ui.components.layout import page_shell
from ui.components.notice import error_notice
from ui.i18n import t
from ui.pages.device_actions import device_actions
from ui.pages.device_erasure import erasure_panel
from ui.pages.device_label import label_button
from ui.pages.device_snapshot import snapshot_panel
from ui.pages.device_state import DeviceState


def _facts() -> rx.Component:
    f = DeviceState.facts
    return rx.el.section(
        rx.el.p(t("device.state"), t("punct.colon"), rx.el.strong(f["state"]), class_name="state-line"),
        rx.el.dl(
            rx.el.dt(t("device.category")), rx.el.dd(f["category"]),
            rx.el.dt(t("device.brand_model")), rx.el.dd(f["brand_model"]),
            rx.el.dt(t("device.grade")), rx.el.dd(f["grade"]),
            rx.el.dt(t("device.impact")), rx.el.dd(DeviceState.impact["value"]),
            rx.el.dt(t("device.year")), rx.el.dd(f["year"]),
            rx.el.dt(t("device.code")), rx.el.dd(f["code"], class_name="code"),
            rx.cond(DeviceState.signed_in, rx.fragment(rx.el.dt(t("device.donor")), rx.el.dd(f["donor"]))),
            class_name="facts",
        ),
        rx.el.p(DeviceState.impact["note"], class_name="impact-note"),
        rx.cond(
            DeviceState.chain_ok,
            rx.el.p(t("device.chain_ok"), class_name="chain chain-ok"),
            rx.el.p(t("device.chain_broken"), class_name="chain chain-broken"),
        ),
        rx.cond(~DeviceState.signed_in, rx.el.p(t("device.public_note"), class_name="impact-note")),
    )


def _actions() -> rx.Component:
    """HOOK for the lifecycle work: the actions this signed-in user may take now on this device
    (confirm pickup, record a diagnosis, deliver...), from `Marketplace.available_actions`. Renders
    nothing when signed out; it sits right after the facts so that a phone shows it without scrolling."""
    return device_actions()


def _timeline() -> rx.Component:
    # The public trail has dates and states only: who did what is for signed-in users.
    return rx.el.section(
        rx.el.h2(t("device.timeline"), id="timeline"),
        rx.el.div(
            rx.el.table(
                rx.el.thead(rx.el.tr(
                    rx.el.th(t("device.event"), scope="col"),
                    rx.el.th(t("device.date"), scope="col"),
                    rx.cond(DeviceState.signed_in, rx.el.th(t("device.actor"), scope="col")),
                    rx.cond(DeviceState.signed_in, rx.el.th(t("device.details"), scope="col")),
                )),
                rx.el.tbody(rx.foreach(DeviceState.timeline, lambda e: rx.el.tr(
                    rx.el.td(e["type"]),
                    rx.el.td(rx.el.time(e["date"], date_time=e["iso"])),
                    rx.cond(DeviceState.signed_in, rx.el.td(e["actor"])),
                    rx.cond(DeviceState.signed_in, rx.el.td(
                        e["details"],
                        rx.cond(e["quote_fr"] != "", rx.el.span(" — ", rx.el.q(e["quote_fr"], lang="fr"))),
                        class_name="event-details",
                    )),
                ))),
                aria_labelledby="timeline",
                class_name="table",
            ),
            class_name="table-wrap",
        ),
        aria_labelledby="timeline",
    )


def _qr() -> rx.Component:
    f = DeviceState.facts
    return rx.el.section(
        rx.el.h2(t("device.qr_title"), id="qr"),
        rx.el.figure(
            rx.el.img(src=f["qr_png"], alt=t("device.qr_alt"), width="200", height="200", class_name="qr"),
            rx.el.figcaption(f["qr_url"], class_name="code"),
        ),
        label_button(),
        aria_labelledby="qr",
    )


def device_page() -> rx.Component:
    return page_shell(
        "device.title",
        error_notice(DeviceState.error),
        rx.cond(DeviceState.found, rx.fragment(_facts(), _actions(), snapshot_panel(), erasure_panel(), _timeline(), _qr())),
        subtitle=DeviceState.facts["code"],
    )
