"""The camera QR reader (`assets/qr_scanner.jsx`, built on the npm package @zxing/browser) as a component.

A NoSSRComponent: it touches `navigator.mediaDevices`, which exists only in the browser, so Reflex loads
it on the client only.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import passthrough_event_spec

ZXING = ["@zxing/browser@0.2.1", "@zxing/library@0.23.0"]


class QrScanner(rx.NoSSRComponent):
    """Opens the back camera and calls `on_scan` with the text of each QR code it reads."""

    library = "$/public/qr_scanner.jsx"
    lib_dependencies = ZXING
    tag = "QrScanner"
    is_default = False

    video_label: rx.Var[str]
    starting_text: rx.Var[str]
    running_text: rx.Var[str]
    unavailable_text: rx.Var[str]

    # Reflex's idiom for an event trigger with one string argument (a call inside the annotation).
    on_scan: rx.EventHandler[passthrough_event_spec(str)]  # type: ignore[type-arg, valid-type]


def qr_scanner(**props: Any) -> rx.Component:
    return QrScanner.create(**props)
