"""Form fields with a visible label tied to the control (so `get_by_label` and screen readers find it)."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx


def text_field(label: Any, name: str, *, type_: str = "text", required: bool = False,
               autocomplete: str = "off", **props: Any) -> rx.Component:
    """A labelled text input, submitted under `name`."""
    return rx.el.div(
        rx.el.label(label, html_for=name),
        rx.el.input(id=name, name=name, type=type_, required=required, auto_complete=autocomplete, **props),
        class_name="field",
    )


def select_field(label: Any, name: str, options: Any, *, default: str = "") -> rx.Component:
    """A labelled native select; `options` is a var holding a list of [value, label] pairs."""
    return rx.el.div(
        rx.el.label(label, html_for=name),
        rx.el.select(
            rx.foreach(options, lambda pair: rx.el.option(pair[1], value=pair[0])),
            id=name,
            name=name,
            default_value=default,
        ),
        class_name="field",
    )


def checkbox_field(label: Any, name: str, *, checked: bool = False) -> rx.Component:
    """A labelled checkbox; the form submits "on" when it is ticked."""
    return rx.el.div(
        rx.el.input(id=name, name=name, type="checkbox", default_checked=checked),
        rx.el.label(label, html_for=name),
        class_name="field field-check",
    )
