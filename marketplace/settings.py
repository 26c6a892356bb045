"""Settings, read from the environment (prefix-free names, as operators expect)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of the product; each one can be set as an environment variable of the same name."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    database_url: str | None = Field(
        default=None,
        description="PostgreSQL DSN. When unset, `seconde-vie up` starts an embedded PostgreSQL under DATA_DIR.",
    )
    kafka_bootstrap_servers: str | None = Field(
        default=None,
        description="Kafka bootstrap servers. When unset, `seconde-vie up` starts an embedded Tansu broker.",
    )
    data_dir: Path = Field(default=Path(".data"), description="Where embedded services keep their data.")
    broker_host: str = Field(default="127.0.0.1", description="Address of the embedded broker.")
    broker_port: int = Field(default=9092, description="Port of the embedded broker.")
    ui_host: str = Field(default="127.0.0.1", description="Address the UI listens on.")
    ui_port: int = Field(default=3000, description="Port the UI listens on (frontend and backend on one port).")
    base_url: str | None = Field(
        default=None,
        description="Public address of the UI, encoded in QR labels. Defaults to http://UI_HOST:UI_PORT.",
    )
    demo_mode: bool = Field(
        default=False,
        description="Load the Bretagne demo data and its demo accounts. Never enable in production.",
    )
    topic_partitions: int = Field(default=6, description="Partitions of each topic created at start.")
    topic_replication_factor: int = Field(
        default=1, ge=1, description="Replicas of each topic created at start: 1 for one broker, 3 for a three-node cluster.",
    )
    # Upper bounds and finite values: admins change these at run time, and a value the router or the timers
    # cannot turn into a query or a deadline would stop every batch (found by tests/integration/test_fuzz_forms.py).
    routing_k: int = Field(default=3, le=100, description="How many organisations a device is offered to at once.")
    offer_ttl_hours: float = Field(default=72.0, le=8760, allow_inf_nan=False,
                                   description="How long an offer stays open.")
    # The routing policy (LIFECYCLE.md, "Routing policy"); legal thresholds from shared/data/regulation.md.
    routing_weight_territory: float = Field(default=0.5, ge=0, le=1000, allow_inf_nan=False,
                                            description="Weight of nearness in an offer's score.")
    routing_weight_fairness: float = Field(
        default=0.25, ge=0, le=1000, allow_inf_nan=False,
        description="Weight of fairness: fewest devices received for its capacity over the window.",
    )
    routing_weight_capacity: float = Field(default=0.1, ge=0, le=1000, allow_inf_nan=False,
                                           description="Weight of free capacity in the score.")
    routing_weight_reliability: float = Field(
        default=0.15, ge=0, le=1000, allow_inf_nan=False,
        description="Weight of reliability: each no-show over the window halves it.",
    )
    routing_round_radius_km: list[float] = Field(
        default=[120.0, 200.0],
        description="Reach of routing rounds 1, 2...: same department or within this many km; later rounds: the region.",
    )
    routing_fairness_days: int = Field(default=30, ge=1, description="Window for devices received and no-shows.")
    reuse_max_age_years: int = Field(
        default=10, description="Older devices go to fab labs and recyclers, not refurbishers (décret 2023-266).",
    )
    donation_ceiling_eur: float = Field(
        default=300.0, description="Unit-value ceiling of a free donation (CG3P L3212-2, arrêté du 6 mai 2022).",
    )
    donation_recipient_kinds: list[str] = Field(
        default=["association", "fablab"], description="Organisation kinds that may receive donations (CG3P L3212-2).",
    )
    weee_kinds: list[str] = Field(default=["recycler"], description="Kinds that take devices as WEEE, not as a donation.")
    refurbisher_kinds: list[str] = Field(
        default=["association"], description="Kinds offered devices fit for reuse (under the age limit, not broken).",
    )
    end_of_life_kinds: list[str] = Field(
        default=["fablab", "recycler"], description="Kinds offered devices past reuse (over the age limit or broken).",
    )
    routing_max_rounds: int = Field(
        default=3, ge=1, le=10, description="Routing rounds before a device goes to the admins' unclaimed list.",
    )
    pickup_deadline_hours: float = Field(
        default=168.0, gt=0, le=8760, allow_inf_nan=False,
        description="Time to collect a claimed device before the claim lapses (a no-show).",
    )
    ui_state_secret: str | None = Field(
        default=None,
        description="Key that seals the session token in the UI's state store (files under .states/, or Redis); "
                    "the same for every UI process. `seconde-vie up` makes one under DATA_DIR when unset.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis for the UI's state and the shared rate limits (redis://...). When unset, `seconde-vie up` "
                    "starts a redis-server under DATA_DIR; `seconde-vie ui` alone then runs one process.",
    )
    ui_processes: int = Field(
        default=2, ge=1, le=32,
        description="UI processes (Granian workers) sharing UI_PORT, when REDIS_URL is set (one without Redis).",
    )
    api_rate_per_second: float = Field(
        default=20.0, gt=0, le=100_000, allow_inf_nan=False,
        description="Requests per second one API token may make, sustained (counted across the UI processes).",
    )
    api_burst: int = Field(default=60, ge=1, le=1_000_000, description="Requests one API token may make at once.")
    oidc_issuer: str | None = Field(
        default=None,
        description="The OpenID Connect provider's issuer URL (ProConnect); unset, the ProConnect sign-in is off.",
    )
    oidc_client_id: str | None = Field(default=None, description="The client id ProConnect gave the service.")
    oidc_client_secret: str | None = Field(
        default=None, description="The client secret ProConnect gave the service (from the environment only).")
    oidc_scopes: str = Field(default="openid email given_name usual_name siret",
                             description="The scopes asked of the provider: the claims the service needs.")
    max_active_reservations: int = Field(
        default=20, ge=1, le=10000,
        description="How many devices one organisation may hold reserved at once, so that no tiers-lieu hoards the catalogue.",
    )
    timer_interval_seconds: float = Field(default=5.0, gt=0, description="How often the timer worker looks for due deadlines.")
    reconcile_after_seconds: float = Field(
        default=120.0, gt=0,
        description="A device `retired` this long without an offer is routed again by the reconciler.",
    )
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server the e-mails go through. When unset, `seconde-vie up` starts a local catcher that "
                    "writes every message under DATA_DIR/mail/ (shown to admins on /admin/courriels).",
    )
    smtp_port: int = Field(default=25, ge=1, le=65535, description="Port of the SMTP server (587 for STARTTLS, 465 for TLS).")
    smtp_security: Literal["none", "starttls", "tls"] = Field(
        default="none", description="`starttls` (upgrade, required), `tls` (TLS from the start) or `none` (a local relay).",
    )
    smtp_user: str | None = Field(default=None, description="SMTP user name, when the server asks for one.")
    smtp_password: str | None = Field(default=None, description="SMTP password (from the environment only).")
    mail_from: str = Field(default="Seconde Vie <ne-pas-repondre@seconde-vie.localhost>",
                           description="The From of every e-mail.")
    mail_reply_to: str | None = Field(default=None, description="The Reply-To of every e-mail (a mailbox people read).")
    notify_group_minutes: float = Field(
        default=5.0, ge=0, le=1440, allow_inf_nan=False,
        description="Notifications of one kind for one person within this many minutes go out as one e-mail.",
    )
    mailer_interval_seconds: float = Field(default=5.0, gt=0, description="How often the mailer folds and sends.")
    session_ttl_hours: float = Field(default=12.0, description="How long a sign-in session lasts.")
    invitation_ttl_hours: float = Field(
        default=72.0, gt=0, allow_inf_nan=False,
        description="How long an invitation link stays valid; a new invitation revokes the previous one.",
    )
    reset_link_ttl_minutes: float = Field(
        default=60.0, gt=0, allow_inf_nan=False, description="How long a password-reset link stays valid.",
    )
    account_link_retention_days: float = Field(
        default=30.0, ge=0, allow_inf_nan=False,
        description="How long used, revoked or expired invitation and reset links are kept (past their expiry) "
                    "before the timers delete them.",
    )
    session_retention_days: float = Field(
        default=30.0, ge=0, allow_inf_nan=False,
        description="How long ended sessions (expired or signed out) are kept, with their address, before the "
                    "timers delete them.",
    )
    mail_retention_days: float = Field(
        default=90.0, ge=0, allow_inf_nan=False,
        description="How long sent e-mails stay in the mail queue (the notification log) before the timers "
                    "delete them.",
    )
    relay_batch_size: int = Field(default=1000, description="Outbox rows the relay publishes per batch.")
    outbox_retention_hours: float = Field(
        default=168.0, ge=0, allow_inf_nan=False,
        description="How long the relay keeps published outbox rows (to inspect or re-publish them) before "
                    "deleting them, checked every minute; 0 deletes them at the first check.",
    )
    relay_idle_seconds: float = Field(
        default=1.0,
        description="Longest the relay waits with an empty outbox; a committed row wakes it at once (LISTEN/NOTIFY).",
    )
    kafka_session_timeout_ms: int = Field(
        default=10_000, description="Consumer-group session timeout: how fast a dead worker's partitions move on.",
    )
    kafka_heartbeat_interval_ms: int = Field(default=3_000, description="Consumer-group heartbeat interval.")
    db_pool_size: int = Field(default=5, description="Connections per process in the PostgreSQL pool.")
    reuse_targets: dict[int, float] = Field(
        default={2023: 25.0, 2024: 35.0, 2025: 50.0},
        description="Reuse share to reach (%) from each year on (décret 2023-266: 25% 2023, 35% 2024, 50% from 2025).",
    )

    @property
    def public_base_url(self) -> str:
        return (self.base_url or f"http://{self.ui_host}:{self.ui_port}").rstrip("/")

    @property
    def bootstrap_servers(self) -> str:
        return self.kafka_bootstrap_servers or f"{self.broker_host}:{self.broker_port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
