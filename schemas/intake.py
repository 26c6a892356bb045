"""The intake message: what a donor system writes to `assets.retirements.v1` to retire one device."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from schemas.common import Category, Condition, storable

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Specs(BaseModel):
    """Technical specifications, all optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cpu: str | None = Field(default=None, max_length=120, examples=["Intel Core i5-7300U"])
    ram_gb: float | None = Field(default=None, ge=0, le=4096, examples=[8])
    storage_gb: float | None = Field(default=None, ge=0, le=1_000_000, examples=[256])
    storage_type: str | None = Field(default=None, max_length=20, examples=["ssd"])
    screen_in: float | None = Field(default=None, ge=0, le=120, examples=[14])
    os: str | None = Field(default=None, max_length=120, description="Operating system as the donor's inventory "
                           "names it (before the wipe).", examples=["Windows 10 Éducation"])

    _storable = field_validator("*")(storable)


class RetirementRequest(BaseModel):
    """Retire one device. The same `request_id` from the same donor retires the device once."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    request_id: str = Field(
        min_length=1, max_length=200, description="Idempotency key chosen by the sender, unique per donor.",
        examples=["glpi-export-2026-11-28-000123"],
    )
    donor: str = Field(
        min_length=1, max_length=100, pattern=SLUG_PATTERN, description="Slug of the donor organisation.",
        examples=["lycee-chateaubriand-rennes"],
    )
    category: Category = Field(description="Kind of device.", examples=["laptop"])
    brand: str = Field(min_length=1, max_length=100, examples=["Dell"])
    model: str = Field(min_length=1, max_length=150, examples=["Latitude 5480"])
    serial: str = Field(min_length=1, max_length=100, description="Manufacturer serial number.",
                        examples=["5CG7331XYZ"])
    year: int | None = Field(default=None, description="Year of purchase.", examples=[2018])
    condition: Condition = Field(default=Condition.unknown, examples=["working"])
    has_storage: bool = Field(description="Whether the device holds data-bearing storage.", examples=[True])
    inventory_number: str | None = Field(default=None, max_length=100, description="The donor's asset tag.")
    site: str | None = Field(default=None, max_length=200, description="Where the device is kept.")
    specs: Specs | None = None
    weight_kg: float | None = Field(default=None, gt=0, le=2000)
    unit_value_eur: float | None = Field(default=None, ge=0, le=1_000_000)
    notes: str | None = Field(default=None, max_length=2000)

    _storable = field_validator("*")(storable)

    @model_validator(mode="after")
    def _year_is_plausible(self) -> RetirementRequest:
        if self.year is not None and not 1980 <= self.year <= date.today().year:
            raise ValueError(f"year must be between 1980 and {date.today().year}, got {self.year}")
        return self
