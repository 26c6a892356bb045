"""Validating a form's data into its pydantic model, a failure becoming the `input.invalid` refusal."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from marketplace.domain.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: dict[str, object]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise InvalidInput(detail=detail) from exc
