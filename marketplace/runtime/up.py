"""`seconde-vie up`: the whole product on one machine.

Starts what is not configured (embedded PostgreSQL when DATABASE_URL is unset, the embedded broker
when KAFKA_BOOTSTRAP_SERVERS is unset, a redis-server for the UI's state when REDIS_URL is unset),
prepares the database and topics, then runs the relay, the workers and the UI (UI_PROCESSES Granian
workers) as child processes until Ctrl-C.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from pathlib import Path

from events.provisioning import ensure_topics
from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.runtime.database_setup import prepare_database
from marketplace.runtime.embedded import EmbeddedBroker, EmbeddedPostgres, EmbeddedRedis
from marketplace.runtime.supervisor import Supervisor
from marketplace.settings import Settings

ROLE_LABELS = {
    "asset_manager": "gestionnaire de parc (lycée)", "refurbisher": "reconditionneur (association)",
    "maker": "fab lab", "third_place": "tiers-lieu", "recycler": "recycleur", "auditor": "auditeur",
    "admin": "administrateur (Région)",
}


def ui_state_secret(settings: Settings) -> str:
    """UI_STATE_SECRET, or the one kept under DATA_DIR (made on first start, readable by its owner only)."""
    if settings.ui_state_secret is not None:
        return settings.ui_state_secret
    path = settings.data_dir / "ui-state-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def mail_folder(settings: Settings) -> Path:
    """Where the local SMTP catcher writes the e-mails it receives (DATA_DIR/mail)."""
    return settings.data_dir / "mail"


def run_up(settings: Settings) -> int:
    sup = Supervisor()
    env: dict[str, str] = {}
    dsn = settings.database_url
    if not dsn:
        pg = EmbeddedPostgres(settings.data_dir)
        dsn = pg.start()
        sup.on_shutdown(pg.stop)
        sup.say("up", f"embedded PostgreSQL ready (data in {pg.pgdata})")
    bootstrap = settings.kafka_bootstrap_servers
    if not bootstrap:
        broker = EmbeddedBroker(settings.broker_host, settings.broker_port, settings.data_dir)
        bootstrap = broker.start()
        sup.on_shutdown(broker.stop)
        sup.say("up", f"embedded broker (Tansu) ready on {bootstrap}")
    redis_url = settings.redis_url
    if not redis_url:
        redis = EmbeddedRedis(settings.data_dir)
        redis_url = redis.start()
        sup.on_shutdown(redis.stop)
        sup.say("up", f"embedded Redis ready on {redis.host}:{redis.port} (UI state, data in {redis.folder})")
    env.update(DATABASE_URL=dsn, KAFKA_BOOTSTRAP_SERVERS=bootstrap, UI_STATE_SECRET=ui_state_secret(settings),
               REDIS_URL=redis_url)
    if not settings.smtp_host:
        from marketplace.notifications.catcher import MailCatcher

        catcher = MailCatcher(mail_folder(settings))
        catcher.start()
        sup.on_shutdown(catcher.stop)
        env.update(SMTP_HOST=catcher.host, SMTP_PORT=str(catcher.port), SMTP_SECURITY="none")
        sup.say("up", f"local SMTP catcher on {catcher.host}:{catcher.port}: e-mails go to {catcher.folder} "
                      "(admins read them on /admin/courriels)")
    os.environ.update(env)

    applied = asyncio.run(prepare_database(dsn, demo=settings.demo_mode))
    sup.say("up", "migrations applied: " + (", ".join(applied) if applied else "none (up to date)"))
    ensure_topics(bootstrap, settings.topic_partitions)

    cli = [sys.executable, "-m", "marketplace.cli.main"]
    sup.add("relay", cli + ["relay"], env)
    sup.add("workers", cli + ["worker", "intake", "router", "matcher"], env)
    sup.add("timers", cli + ["timers"], env)
    sup.add("notifier", cli + ["notifier"], env)
    sup.add("webhooks", cli + ["webhooks"], env)
    sup.add("ui", cli + ["ui"], env)
    _print_welcome(sup, settings)
    return sup.run()


def _print_welcome(sup: Supervisor, settings: Settings) -> None:
    sup.say("up", f"UI: {settings.public_base_url}, {settings.ui_processes} process(es)  "
                  "(ready a few seconds after start; Ctrl-C stops everything)")
    if not settings.demo_mode:
        return
    sup.say("up", "demo accounts (demo mode only, never use these passwords elsewhere):")
    for role, (email, password, _name, org, _admin) in DEMO_ACCOUNTS.items():
        sup.say("up", f"  {ROLE_LABELS[role]:<34} {email:<38} {password:<22} {org}")
