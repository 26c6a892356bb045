"""The scanning session's beep and vibration (`assets/scan_feedback.jsx`): each new `signal` plays once."""

from __future__ import annotations

from typing import Any

import reflex as rx


class ScanFeedback(rx.NoSSRComponent):
    """`signal` is "<n>:ok" or "<n>:flag"; a new value beeps and vibrates (where the phone can)."""

    library = "$/public/scan_feedback.jsx"
    tag = "ScanFeedback"
    is_default = False

    signal: rx.Var[str]


def scan_feedback(**props: Any) -> rx.Component:
    return ScanFeedback.create(**props)
