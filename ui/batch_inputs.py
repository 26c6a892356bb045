"""From the batch form (/mes-appareils/lot) to the shared input and each device's own part. Pure.

The shared fields are the device page's form fields (`ui.action_inputs.action_data`); what belongs to one
device is named after its code: the wiped media `media_<CODE>_<i>_<make|model|serial>`. The services decide
again, device by device, whether each step is allowed and whether its input is valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marketplace.services.bulk_actions import BatchItem
from ui.action_inputs import MAX_MEDIA, action_data

BATCH_STEPS = ("diagnose", "wipe", "refurbish", "harvest", "recycle")  # the workshop's steps, in their order


def medium_name(code: str, i: int, key: str) -> str:
    return f"media_{code}_{i}_{key}"


def _own_media(form: Mapping[str, Any], code: str) -> list[dict[str, str]]:
    media = []
    for i in range(MAX_MEDIA):
        row = {key: str(form.get(medium_name(code, i, key), "") or "").strip() for key in ("make", "model", "serial")}
        if any(row.values()):
            media.append(row)
    return media


def batch_input(action: str, form: Mapping[str, Any], codes: list[str], lang: str, *,
                is_recycler: bool = False) -> tuple[dict[str, Any], list[BatchItem]]:
    """(shared input, one item per code in the batch): for a wipe, each device certifies its own media."""
    if action != "wipe":
        return action_data(action, form, lang, is_recycler=is_recycler), [BatchItem(code, {}) for code in codes]
    # The device page's wipe form has one set of media fields, which `action_data` requires; a batch has one set
    # a device instead (each checked by the services on its own device, and refused by name when empty), so
    # the shared part is read with a stand-in for that slot, then without media.
    stand_in = {f"media_0_{key}": "-" for key in ("make", "model", "serial")}
    shared = action_data(action, {**form, **stand_in}, lang, is_recycler=is_recycler)
    shared.pop("media", None)
    return shared, [BatchItem(code, {"media": _own_media(form, code)}) for code in codes]
