"""Messages that screen readers announce: errors (alert) and confirmations (status)."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx


def error_notice(message: Any) -> rx.Component:
    """An error sentence, announced at once; renders nothing when the message is empty."""
    return rx.cond(message != "", rx.el.p(message, role="alert", class_name="notice notice-error"))


def success_notice(*children: Any) -> rx.Component:
    """A confirmation, announced politely."""
    return rx.el.div(*children, role="status", class_name="notice notice-success")
