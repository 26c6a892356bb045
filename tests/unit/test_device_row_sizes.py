"""The lists show a device's sizes as the reader writes numbers, and a dash when its record does not say."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.views import DeviceSummary
from ui.components.device_table import device_row


def summary(**specs: float | None) -> DeviceSummary:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    return DeviceSummary(id="1", code="ABCD-EFGH-JKMN", category="monitor", brand="Iiyama", model="XU2493HS",
                         year=2019, condition="working", state="refurbished", donor_slug="lycee-des-embruns-brest",
                         donor_name="Lycée des Embruns", pays_code="BREST", custodian_slug=None, retired_at=now,
                         updated_at=now, **specs)


def test_sizes_in_french_and_in_english() -> None:
    device = summary(ram_gb=7.7, storage_gb=256.0, screen_in=23.8)
    fr, en = device_row(device, "fr"), device_row(device, "en")
    assert (fr["ram"], fr["storage"], fr["screen"]) == ("7,7", "256", "23,8")
    assert (en["ram"], en["storage"], en["screen"]) == ("7.7", "256", "23.8")


def test_a_size_the_record_does_not_give_is_a_dash() -> None:
    row = device_row(summary(), "fr")
    assert (row["ram"], row["storage"], row["screen"]) == ("—", "—", "—")
