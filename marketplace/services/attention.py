"""What needs the caller's attention now: the counts behind each role's home page."""

from __future__ import annotations

from marketplace.adapters.attention_queries import attention_counts
from marketplace.routing_settings import effective_settings
from marketplace.services.base import ServiceBase
from schemas.views import AttentionView

# Which counts concern which role: a lycée has no offers, a workshop no donations.
_BY_ROLE: dict[str, tuple[str, ...]] = {
    "asset_manager": ("donations_awaiting_pickup",),
    "refurbisher": ("offers_expiring", "pickups_to_collect", "devices_waiting"),
    "maker": ("offers_expiring", "pickups_to_collect", "devices_waiting"),
    "recycler": ("offers_expiring", "pickups_to_collect", "devices_waiting"),
    "third_place": ("reservations_to_collect",),
    "auditor": (),
}
_ADMIN = ("dead_letters", "unclaimed_devices")


class AttentionServices(ServiceBase):
    async def attention(self, token: str | None) -> AttentionView:
        """Counts of what the caller can act on now; the ones that do not concern the role are None."""
        user = await self._require(token)
        async with self.pool.acquire() as conn:
            settings = await effective_settings(conn, self.settings)
            row = await attention_counts(conn, user.org_slug, settings.routing_max_rounds)
        wanted = set(_BY_ROLE.get(user.role, ())) | (set(_ADMIN) if user.is_admin else set())
        return AttentionView(**{name: (int(row[name]) if name in wanted else None) for name in AttentionView.model_fields})
