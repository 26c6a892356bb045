"""A table of devices (code linked to the device page, device, state...): the lists every role works from."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from schemas.views import DeviceSummary
from ui import i18n, routes
from ui.components.layout import nav_link
from ui.i18n import t


def device_row(d: DeviceSummary, lang: str) -> dict[str, str]:
    """What a list shows of one device, as text in the user's language."""
    return {
        "code": d.code,
        "href": routes.device(d.code),
        "device": f"{i18n.label('category', d.category, lang)} {d.brand} {d.model}",
        "state": i18n.label("state", d.state, lang),
        "donor": d.donor_name,
        "custodian": d.custodian_slug or "—",
        "grade": d.grade or "—",
        "ram": _size(d.ram_gb, lang),
        "storage": _size(d.storage_gb, lang),
        "screen": _size(d.screen_in, lang),
        "pays": d.pays_code,
        "updated_at": i18n.when(d.updated_at, lang),
    }


def _size(value: float | None, lang: str) -> str:
    """A size as the reader writes numbers (French: 15,6), "—" when the record does not say."""
    if value is None:
        return "—"
    return f"{value:g}".replace(".", i18n.text("format.decimal_mark", lang))


def device_table(caption_id: str, rows: Any, columns: list[str],
                 extra: Callable[[Any], rx.Component] | None = None, extra_header: str = "col.action") -> rx.Component:
    """`columns` are keys of `device_row` (after the code); `extra` renders one more cell (a button)."""
    headers = [rx.el.th(t("col.code"), scope="col"),
               *[rx.el.th(t(f"col.{c}"), scope="col") for c in columns]]
    if extra is not None:
        headers.append(rx.el.th(t(extra_header), scope="col"))

    def row(r: Any) -> rx.Component:
        cells = [rx.el.td(nav_link(r["code"], r["href"]), class_name="code"), *[rx.el.td(r[c]) for c in columns]]
        if extra is not None:
            cells.append(rx.el.td(extra(r)))
        return rx.el.tr(*cells)

    return rx.el.div(
        rx.el.table(
            rx.el.thead(rx.el.tr(*headers)),
            rx.el.tbody(rx.foreach(rows, row)),
            aria_labelledby=caption_id,
            class_name="table",
        ),
        class_name="table-wrap",
    )
