"""The commands docker-compose.yml runs work outside Docker, against the embedded PostgreSQL and broker.

The commands and the healthchecks are read from the compose file itself: the one-shot jobs run (twice:
a re-run after a restart changes nothing), then each worker service starts as its own process, passes
its healthcheck, stays up, and stops cleanly (exit 0) on SIGTERM, as `docker compose stop` asks. The UI
is left to the e2e tests, which start it through `seconde-vie up` (the same `seconde-vie ui`).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
from kafka.admin import KafkaAdminClient

from events.topics import ALL_TOPICS
from tests.compose_file import app_services, environment, one_shot

BIN = Path(sys.executable).parent
WORKERS = ("relay", "intake", "router", "timers", "notifier")
UP_FOR_S = 6.0


def _argv(command: list[str]) -> list[str]:
    """The compose command with this venv's executables (`seconde-vie`, `python`)."""
    head = {"seconde-vie": str(BIN / "seconde-vie"), "python": sys.executable}.get(command[0], command[0])
    return [head, *command[1:]]


def _env(dsn: str, bootstrap: str) -> dict[str, str]:
    """The process environment: what the compose file sets, with the embedded services' addresses."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in {"DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS"}}
    env.update(DATABASE_URL=dsn, KAFKA_BOOTSTRAP_SERVERS=str(bootstrap), BASE_URL="https://seconde-vie.example.org",
               UI_STATE_SECRET="compose-commands-test",
               # No SMTP server listens there: the notifier keeps the mail queue and retries, as it must.
               SMTP_HOST="127.0.0.1", SMTP_PORT="9", SMTP_SECURITY="none", MAIL_FROM="sv@example.org",
               DEMO_MODE="false", TOPIC_PARTITIONS="3", TOPIC_REPLICATION_FACTOR="1", TIMER_INTERVAL_SECONDS="0.5")
    return env


def test_the_compose_commands_run_outside_docker(fresh_dsn: str, fresh_broker: str, tmp_path: Path) -> None:
    services = app_services()
    env = _env(fresh_dsn, fresh_broker)
    # Everything the compose file passes to our processes is understood here too.
    assert set(environment(services["relay"])) >= {"DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "BASE_URL"}

    # One-shot jobs, in the compose file's order (topics after migrate), twice.
    for attempt in range(2):
        for name in ("migrate", "topics"):
            assert one_shot(services[name])
            done = subprocess.run(_argv(services[name]["command"]), env=env, capture_output=True, text=True,
                                  timeout=120, check=False)
            assert done.returncode == 0, f"{name} (run {attempt + 1}) failed:\n{done.stdout}\n{done.stderr}"
            if attempt == 1:
                # The command line speaks French unless the locale says otherwise (marketplace/cli/words.py).
                assert "aucun" in done.stdout, f"{name} should have nothing left to do:\n{done.stdout}"

    async def tables() -> set[str]:
        conn = await asyncpg.connect(fresh_dsn)
        try:
            rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            return {r["tablename"] for r in rows}
        finally:
            await conn.close()

    assert {"assets", "asset_events", "outbox"} <= asyncio.run(tables())
    admin = KafkaAdminClient(bootstrap_servers=str(fresh_broker))
    try:
        assert {t.name for t in ALL_TOPICS} <= set(admin.list_topics())
    finally:
        admin.close()

    # Long-running workers: up, healthy by their own healthcheck, still up, then a clean stop.
    procs: dict[str, subprocess.Popen[bytes]] = {}
    logs = {name: (tmp_path / f"{name}.log").open("wb") for name in WORKERS}
    try:
        for name in WORKERS:
            procs[name] = subprocess.Popen(_argv(services[name]["command"]), env=env, stdout=logs[name],
                                           stderr=subprocess.STDOUT)
        time.sleep(UP_FOR_S)
        for name in WORKERS:
            assert procs[name].poll() is None, f"{name} exited early:\n{(tmp_path / f'{name}.log').read_text()}"
            check = services[name]["healthcheck"]["test"]
            assert check[0] == "CMD"
            health = subprocess.run(_argv(check[1:]), env=env, capture_output=True, text=True, timeout=30,
                                    check=False)
            assert health.returncode == 0, f"{name}'s healthcheck failed: {health.stderr}"
        for name in WORKERS:
            procs[name].send_signal(signal.SIGTERM)
        for name in WORKERS:
            code = procs[name].wait(timeout=30)
            assert code == 0, f"{name} exited {code} on SIGTERM:\n{(tmp_path / f'{name}.log').read_text()}"
        # A process nobody runs fails the check (the /proc scan is machine-wide here, container-wide in
        # Docker: other sessions' workers may be running on this machine, so the stopped ones can't be used).
        absent = subprocess.run([sys.executable, "-m", "marketplace.runtime.healthcheck", "worker", "nobody-runs-this"],
                                env=env, capture_output=True, timeout=30, check=False)
        assert absent.returncode == 1
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        for log in logs.values():
            log.close()
