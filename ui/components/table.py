"""A data table: translated column headers, one row per item, named by the heading it sits under."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from ui.i18n import t


def data_table(labelledby: str, header_keys: list[str], rows: Any, row: Callable[[Any], rx.Component]) -> rx.Component:
    """`header_keys` are catalogue keys; `rows` a list var; `row` renders one <tr>; the table scrolls sideways
    inside its wrapper on a narrow screen."""
    return rx.el.div(rx.el.table(
        rx.el.thead(rx.el.tr(*[rx.el.th(t(key), scope="col") for key in header_keys])),
        rx.el.tbody(rx.foreach(rows, row)),
        aria_labelledby=labelledby,
        class_name="table",
    ), class_name="table-wrap")
