"""Filter fields whose refusal is shown under them: each field checked on its own (the same checks the service
makes again), so "RAM minimale : huit" and "Écran minimal : grand" are both named, each at its field."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import reflex as rx

from marketplace.domain.errors import DomainError
from ui import i18n


def field_errors(checks: Mapping[str, Callable[[], object]], lang: str) -> dict[str, str]:
    """field name -> its refusal in `lang`, for the fields whose check refuses what was typed."""
    errors = {}
    for name, check in checks.items():
        try:
            check()
        except DomainError as err:
            errors[name] = i18n.error_message(err, lang)
    return errors


def filter_field(label: Any, id_: str, name: str, errors: Any, **props: Any) -> rx.Component:
    """A labelled text or date input; its error (from the `errors` var, by `name`) under it, tied to it."""
    wrong = errors.contains(name)
    error_id = f"{id_}-error"
    return rx.el.div(
        rx.el.label(label, html_for=id_),
        rx.el.input(id=id_, name=name, auto_complete="off", aria_invalid=rx.cond(wrong, "true", "false"),
                    aria_describedby=rx.cond(wrong, error_id, ""), **{"type": "text", **props}),
        rx.cond(wrong, rx.el.p(errors[name], id=error_id, class_name="field-error")),
        class_name="field",
    )
