"""Commands: what a user or a worker asks the marketplace to do (imperative names)."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.intake import RetirementRequest


@dataclass(frozen=True)
class Actor:
    org: str | None = None
    user: str | None = None
    system: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"org": self.org, "user": self.user, "system": self.system}


@dataclass(frozen=True)
class RetireDevice:
    request: RetirementRequest
    actor: Actor


@dataclass(frozen=True)
class RouteDevice:
    asset_id: str
    causation_id: str | None = None
    correlation_id: str | None = None
    exclude: frozenset[str] = field(default_factory=frozenset)
    actor_system: str = "router"  # or "reconciler": who the trail says routed it
