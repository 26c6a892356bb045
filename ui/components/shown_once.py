"""Secrets shown once (a new API token, a webhook's signing secret), held in the browser only.

Reflex stores every state var of a tab on disk (`.states/`) or in Redis; a secret put there would outlive its
showing in a store many people can read. The handler sends the secret with `reveal(field_id, secret)`, an
event that sets the value of a read-only field of the page (Reflex's `_set_value`, no script evaluated, so the
page's Content-Security-Policy holds), and keeps only a "shown" flag in the state.
"""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from ui.components.notice import success_notice

FIELD_FOR_API = "new-api-token"
FIELD_FOR_WEBHOOK = "new-webhook-secret"


def reveal(field_id: str, secret: str) -> EventSpec:
    """The event that puts `secret` into the page's field (and nowhere in the state)."""
    return rx.set_value(field_id, secret)


def shown_once(field_id: str, shown: Any, note: Any, label: Any) -> rx.Component:
    """The notice with the read-only field the secret lands in; always mounted, hidden until `shown`."""
    return rx.el.div(
        success_notice(
            rx.el.p(note),
            rx.el.label(label, html_for=field_id, class_name="visually-hidden"),
            rx.el.input(id=field_id, read_only=True, class_name="input code shown-once", spell_check=False,
                        auto_complete="off"),
        ),
        hidden=~shown,
    )
