"""What an admin page shows before it knows who is asking, to an admin, and to anyone else."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx

from ui.components.notice import error_notice
from ui.i18n import t

GRANTED = "granted"
REFUSED = "refused"


def admin_only(access: Any, *content: rx.Component) -> rx.Component:
    """`access` is "" until the page's load handler asked the marketplace, then granted or refused.

    Nothing of the content is rendered for a refused user; the services refuse them again anyway."""
    return rx.cond(
        access == GRANTED,
        rx.fragment(*content),
        rx.cond(access == REFUSED, error_notice(t("ops.admin_only")), rx.el.p(t("ops.loading"), role="status")),
    )
