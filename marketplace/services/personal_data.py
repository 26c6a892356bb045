"""An account's personal data, for admins: the export (a JSON document) and the erasure.

Erasure keeps the user row and its id, which the trail and other tables point at (asset events are never
edited: their chains still verify), and replaces the name and the e-mail by a pseudonym made of the id;
sessions, links, queued or sent e-mails and the e-mail's sign-in counter are deleted.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from marketplace.adapters import personal_data
from marketplace.domain.errors import DomainError
from marketplace.services.base import ServiceBase


def _user_id(text: str) -> str:
    try:
        return str(uuid.UUID(text))
    except ValueError as exc:
        raise DomainError("user.not_found") from exc


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


class PersonalDataServices(ServiceBase):
    async def export_account(self, token: str | None, user_id: str) -> str:
        """What the product keeps about one person, as JSON (GDPR art. 15 and 20). Admins only."""
        await self._require_admin(token)
        async with self.pool.acquire() as conn:
            found = await personal_data.export(conn, _user_id(user_id))
        if found is None:
            raise DomainError("user.not_found")
        found["exported_at"] = datetime.now(UTC)
        return json.dumps(_jsonable(found), ensure_ascii=False, indent=2, sort_keys=True)

    async def erase_account(self, token: str | None, user_id: str) -> None:
        """Erase a person's name and e-mail for good (GDPR art. 17). Admins only, and not their own account."""
        admin = await self._require_admin(token)
        target = _user_id(user_id)
        if target == admin.id:
            raise DomainError("user.erase_self")
        async with self.pool.acquire() as conn, conn.transaction():
            if not await personal_data.erase(conn, target):
                raise DomainError("user.not_found")
