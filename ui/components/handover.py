"""The handover forms of the device page (`domain/handover.py`): the handing party confirms with the device
code and may show a one-time code; the receiving party types that code. Pure functions of the actions state.
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx

from ui.i18n import t


def code_field(field: Any, action: str) -> rx.Component:
    """The receiving party's one field: six digits, a numeric keypad on a phone."""
    return field(t("act.handover_code"), f"{action}-handover-code", "handover_code", required=True,
                 input_mode="numeric", auto_complete="one-time-code", max_length=20)


def device_code_field(field: Any, action: str) -> rx.Component:
    return field(t("act.confirm_code"), f"{action}-code", "confirm_code", required=True,
                 auto_capitalize="characters", spell_check=False)


def by_side(s: Any, giver: rx.Component, receiver: rx.Component) -> rx.Component:
    """The form of the side the user's organisation takes in the pending handover."""
    return rx.cond(s.handover_side == "receiver", receiver, giver)


def code_panel(s: Any) -> rx.Component:
    """The handing party's button and, once pressed, the code to show the other party."""
    return rx.el.section(
        rx.el.h3(t("act.show_code_title"), id="act-show-code"),
        rx.el.p(t("act.show_code_hint"), class_name="hint"),
        rx.el.button(t("act.show_code"), type="button", on_click=s.show_handover_code, class_name="button"),
        rx.cond(
            s.shown_code != "",
            rx.el.div(
                rx.el.p(t("act.code_for"), " ", rx.el.strong(s.shown_for)),
                rx.el.p(s.shown_code, class_name="handover-code"),
                rx.el.p(t("act.code_valid"), class_name="hint"),
                role="status",
            ),
        ),
        aria_labelledby="act-show-code",
        class_name="action-card handover-panel",
    )
