"""Dead letters on `assets.deadletter.v1`: a message that could not be processed, with the reason."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class DeadLetter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    original: str = Field(description="The original message: UTF-8 text, or base64 when not valid UTF-8.")
    original_encoding: str = Field(description="`utf-8` or `base64`.")
    original_key: str | None = None
    topic: str
    partition: int
    offset: int
    error: str = Field(description="Why the message was refused, naming the field at fault.")
    consumer: str
    attempts: int = Field(ge=1)
    failed_at: datetime
