"""Forms the UI submits (validated again by the services)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from schemas.common import Category, Condition


class RetireDeviceForm(BaseModel):
    """One device retired by hand by an asset manager."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    category: Category
    brand: str = Field(min_length=1, max_length=100)
    model: str = Field(min_length=1, max_length=150)
    serial: str = Field(min_length=1, max_length=100)
    year: int | None = None
    condition: Condition = Condition.unknown
    has_storage: bool = True
    inventory_number: str | None = Field(default=None, max_length=100)
