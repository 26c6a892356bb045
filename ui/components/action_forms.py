"""The form of each lifecycle step on the device page. Pure functions of the state class they submit to.

Every control has a visible label tied to it, ids are prefixed with the action (several forms share a
page), and each form says which action it is in a hidden field: the server takes that name only as a
request, and the services decide again whether this user may do it to this device now.
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx

from ui.action_inputs import MAX_MEDIA
from ui.components.handover import by_side, code_field, device_code_field
from ui.i18n import t

REPORT_UPLOAD_ID = "wipe-report"  # the nwipe report that fills the wipe form


def field(label: Any, id_: str, name: str, *, type_: str = "text", required: bool = False, hint: Any = None,
          **props: Any) -> rx.Component:
    """A labelled input; `hint` (examples, the expected form) is shown under the label and read with the field."""
    if hint is None:
        return rx.el.div(
            rx.el.label(label, html_for=id_),
            rx.el.input(id=id_, name=name, type=type_, required=required, **{"auto_complete": "off", **props}),
            class_name="field",
        )
    return rx.el.div(
        rx.el.label(label, html_for=id_),
        rx.el.p(hint, id=f"{id_}-hint", class_name="hint"),
        rx.el.input(id=id_, name=name, type=type_, required=required, aria_describedby=f"{id_}-hint",
                    **{"auto_complete": "off", **props}),
        class_name="field",
    )


def area(label: Any, id_: str, name: str, *, required: bool = False, **props: Any) -> rx.Component:
    return rx.el.div(
        rx.el.label(label, html_for=id_),
        rx.el.textarea(id=id_, name=name, required=required, rows=3, **props),
        class_name="field",
    )


def choice(label: Any, id_: str, name: str, options: Any, *, default: Any = "") -> rx.Component:
    """A labelled native select; `options` is a var holding [value, label] pairs."""
    return rx.el.div(
        rx.el.label(label, html_for=id_),
        rx.el.select(
            rx.foreach(options, lambda pair: rx.el.option(pair[1], value=pair[0])),
            id=id_, name=name, default_value=default,
        ),
        class_name="field",
    )


def tick(label: Any, id_: str, name: str) -> rx.Component:
    return rx.el.div(
        rx.el.input(id=id_, name=name, type="checkbox"),
        rx.el.label(label, html_for=id_),
        class_name="field field-check",
    )


def action_form(action: str, title: Any, submit: Any, on_submit: Any, *fields: rx.Component,
                hint: Any = None, before: rx.Component | None = None, form_key: Any = None) -> rx.Component:
    """One step: a headed section with its form (keyboard: Tab through the fields, Enter submits). `before`
    goes between the heading and the form; a new `form_key` remounts the form with its default values."""
    heading_id = f"act-{action}"
    return rx.el.section(
        rx.el.h3(title, id=heading_id),
        *([rx.el.p(hint, class_name="hint")] if hint is not None else []),
        *([before] if before is not None else []),
        rx.el.form(
            rx.el.input(type="hidden", name="action", default_value=action),
            *fields,
            rx.el.button(submit, type="submit", class_name="button"),
            no_validate=True,
            on_submit=on_submit,
            reset_on_submit=False,
            method="post",
            class_name="form",
            **({"key": form_key} if form_key is not None else {}),
        ),
        aria_labelledby=heading_id,
        class_name="action-card",
    )


def _medium(i: int, values: Any) -> rx.Component:
    optional = [" ", t("act.medium_optional")] if i > 0 else []
    return rx.el.fieldset(
        rx.el.legend(t("act.medium"), f" {i + 1}", *optional),
        *[field(t(f"act.medium_{k}"), f"wipe-media-{i}-{k}", f"media_{i}_{k}", required=i == 0,
                default_value=values[f"media_{i}_{k}"]) for k in ("make", "model", "serial")],
        class_name="fieldset",
    )


def _report_upload(s: Any) -> rx.Component:
    """The nwipe report that fills the wipe form: its drop zone (named by its visible text), the timezone of
    the station's clock, and the button that has the server read it for this device."""
    zone = rx.upload(
        rx.el.p(t("act.report_drop"), id="wipe-report-label"),
        id=REPORT_UPLOAD_ID, accept={"text/plain": [".log", ".txt"], "application/pdf": [".pdf"]},  # log or PDF
        max_files=1, multiple=False,
        class_name="upload-zone",
    )
    zone.children[0].children[0].custom_attrs["aria-labelledby"] = "wipe-report-label"
    return rx.el.div(
        rx.el.h4(t("act.report_title")),
        rx.el.p(t("act.report_hint"), class_name="hint"),
        zone,
        rx.el.p(rx.foreach(rx.selected_files(REPORT_UPLOAD_ID), lambda name: rx.el.span(name, " "))),
        rx.el.div(
            rx.el.label(t("act.report_timezone"), html_for="wipe-report-zone"),
            rx.el.select(rx.foreach(s.timezone_options, lambda pair: rx.el.option(pair[1], value=pair[0])),
                         id="wipe-report-zone", value=s.report_timezone, on_change=s.set_report_timezone),
            class_name="field",
        ),
        rx.el.button(t("act.report_read"), type="button", class_name="button",
                     on_click=s.read_report(rx.upload_files_chunk(upload_id=REPORT_UPLOAD_ID))),
        rx.cond(s.report_name != "", rx.el.div(
            rx.el.p(t("act.report_read_done"), " ", rx.el.strong(s.report_name)),
            rx.cond(s.report_unchecked, rx.el.p(t("act.report_unchecked"))),
            role="status", class_name="notice notice-success",
        )),
        class_name="report-upload",
    )


def forms(s: Any) -> dict[str, rx.Component]:
    """action -> its form, for the actions state `s` (its `submit` handler and option vars)."""
    go = s.submit
    w = s.wipe_values  # the wipe form's defaults: an nwipe report's values once one was read

    def beneficiary() -> rx.Component:
        return choice(t("act.beneficiary"), "deliver-beneficiary", "beneficiary_category", s.beneficiary_options,
                      default="students")

    return {
        "claim": action_form("claim", t("act.claim"), t("act.claim_submit"), go),
        "decline": action_form("decline", t("act.decline"), t("act.decline_submit"), go,
                               field(t("act.reason"), "decline-reason", "reason", required=True)),
        "collect": by_side(
            s,
            action_form("collect", t("act.collect"), t("act.collect_submit"), go, device_code_field(field, "collect"),
                        hint=t("act.collect_hint")),
            action_form("collect", t("act.collect"), t("act.collect_submit"), go, code_field(field, "collect"),
                        hint=t("act.handover_code_hint")),
        ),
        "diagnose": action_form("diagnose", t("act.diagnose"), t("act.diagnose_submit"), go,
                                choice(t("act.outcome"), "diagnose-outcome", "outcome", s.outcome_options,
                                       default="refurbishable"),
                                area(t("act.findings"), "diagnose-findings", "findings")),
        "wipe": action_form(
            "wipe", t("act.wipe"), t("act.wipe_submit"), go,
            choice(t("act.method"), "wipe-method", "method", s.method_options, default=w["method"]),
            field(t("act.technique"), "wipe-technique", "technique", required=True, hint=t("act.technique_hint"),
                  default_value=w["technique"]),
            field(t("act.tool"), "wipe-tool", "tool", required=True, hint=t("act.tool_hint"),
                  default_value=w["tool"]),
            field(t("act.tool_version"), "wipe-tool-version", "tool_version", required=True,
                  default_value=w["tool_version"]),
            choice(t("act.verification"), "wipe-verification", "verification", s.verification_options,
                   default=w["verification"]),
            # The signed-in person by default (editable: a colleague may have done the wipe).
            field(t("act.operator"), "wipe-operator", "operator", required=True, default_value=s.user_name),
            field(t("act.sanitised_on"), "wipe-date", "sanitised_on", type_="date", required=True,
                  default_value=w["sanitised_on"]),
            *[_medium(i, w) for i in range(MAX_MEDIA)],
            choice(t("act.destination"), "wipe-destination", "destination", s.destination_options,
                   default="reuse"),
            field(t("act.signature"), "wipe-signature", "signature", required=True, default_value=s.user_name),
            before=_report_upload(s), form_key=s.fill_key,
        ),
        "refurbish": action_form("refurbish", t("act.refurbish"), t("act.refurbish_submit"), go,
                                 choice(t("act.grade"), "refurbish-grade", "grade", s.grade_options, default="B"),
                                 field(t("act.os_installed"), "refurbish-os", "os_installed",
                                       default_value="Linux Mint", required=True),
                                 area(t("act.tests_passed"), "refurbish-tests", "tests_passed")),
        "reserve": action_form("reserve", t("act.reserve"), t("act.reserve_submit"), go,
                               field(t("act.hold_until"), "reserve-hold", "hold_until", type_="date")),
        "cancel_reservation": action_form("cancel_reservation", t("act.cancel_reservation"),
                                          t("act.cancel_submit"), go,
                                          field(t("act.cancel_reason"), "cancel-reason", "reason")),
        "deliver": by_side(
            s,
            action_form("deliver", t("act.deliver"), t("act.deliver_submit"), go, device_code_field(field, "deliver"),
                        beneficiary(), hint=t("act.collect_hint")),
            action_form("deliver", t("act.deliver"), t("act.deliver_submit"), go, code_field(field, "deliver"),
                        beneficiary(), hint=t("act.handover_code_hint")),
        ),
        "return": action_form("return", t("act.return"), t("act.return_submit"), go,
                              field(t("act.reason"), "return-reason", "reason", required=True)),
        "harvest": action_form("harvest", t("act.harvest"), t("act.harvest_submit"), go,
                               area(t("act.parts"), "harvest-parts", "parts", required=True)),
        "recycle": action_form(
            "recycle", rx.cond(s.is_recycler, t("act.recycle_own"), t("act.recycle")), t("act.recycle_submit"), go,
            rx.cond(s.is_recycler, rx.fragment(),
                    choice(t("act.recycler"), "recycle-recycler", "recycler", s.recycler_options)),
            field(t("act.weight"), "recycle-weight", "weight_kg", required=True, input_mode="decimal"),
            field(t("act.slip"), "recycle-slip", "slip_number", required=True),
            tick(t("act.destruction"), "recycle-destruction", "storage_destruction_certified"),
        ),
        "write_off": action_form("write_off", t("act.write_off"), t("act.write_off_submit"), go,
                                 field(t("act.reason"), "write-off-reason", "reason", required=True)),
    }
