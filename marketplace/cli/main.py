"""The `seconde-vie` command.

The CLI is the composition root of the processes: `up` starts everything; `migrate`, `relay`,
`worker` and `ui` are the single processes that `up` (or docker-compose) runs. It loads the workers
lazily by name, so `marketplace` keeps no import-time dependency on `workers`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from marketplace.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _settings() -> Settings:
    return Settings()


def _apply_flags(args: argparse.Namespace) -> None:
    """Flags win over the environment; they are exported so that child processes see them too."""
    for flag, env in (("data_dir", "DATA_DIR"), ("broker_port", "BROKER_PORT"), ("ui_port", "UI_PORT"),
                      ("ui_host", "UI_HOST"), ("base_url", "BASE_URL")):
        value = getattr(args, flag, None)
        if value is not None:
            os.environ[env] = str(value)
    if getattr(args, "demo", False):
        os.environ["DEMO_MODE"] = "true"


def cmd_migrate(args: argparse.Namespace) -> int:
    from marketplace.runtime.database_setup import prepare_database

    settings = _settings()
    if not settings.database_url:
        print("DATABASE_URL is not set.", file=sys.stderr)
        return 2
    applied = asyncio.run(prepare_database(settings.database_url, demo=settings.demo_mode))
    print("migrations applied: " + (", ".join(applied) if applied else "none (up to date)"))
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    from events.provisioning import ensure_topics

    settings = _settings()
    created = ensure_topics(settings.bootstrap_servers, settings.topic_partitions,
                           replication_factor=settings.topic_replication_factor)
    print("topics created: " + (", ".join(created) if created else "none (all exist)"))
    return 0


def cmd_relay(args: argparse.Namespace) -> int:
    app = importlib.import_module("workers.app")
    asyncio.run(app.run_relay(_settings()))
    return 0


def cmd_timers(args: argparse.Namespace) -> int:
    app = importlib.import_module("workers.app")
    asyncio.run(app.run_timers(_settings()))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    app = importlib.import_module("workers.app")
    asyncio.run(app.run_workers(_settings(), args.names or ["intake", "router"]))
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    settings = _settings()
    argv = [sys.executable, "-m", "reflex", "run", "--env", "prod", "--backend-host", settings.ui_host,
            "--frontend-port", str(settings.ui_port), "--backend-port", str(settings.ui_port)]
    os.chdir(PROJECT_ROOT)
    os.environ.setdefault("REFLEX_USE_SYSTEM_BUN", "1")
    os.execv(argv[0], argv)


def cmd_bench(args: argparse.Namespace) -> int:
    if args.what == "reports":
        reports = importlib.import_module("workers.bench.reports")
        return int(reports.bench_reports(_settings(), args.events))
    bench = importlib.import_module("workers.bench.run")
    return int(bench.main(args.devices, args.partitions, args.routers, args.rate, args.seconds))


def cmd_up(args: argparse.Namespace) -> int:
    from marketplace.runtime.up import run_up

    _apply_flags(args)
    return run_up(_settings())


def cmd_docs(args: argparse.Namespace) -> int:
    docs = importlib.import_module("workers.asyncapi")  # builds the workers' app, so loaded lazily
    print(docs.write_asyncapi(Path(args.out)))
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from schemas.jsonschema import write_json_schemas

    for path in write_json_schemas(Path(args.out)):
        print(path)
    return 0


def cmd_labels(args: argparse.Namespace) -> int:
    from marketplace.cli.labels import write_labels

    _apply_flags(args)
    return write_labels(_settings(), args)


def cmd_audit(args: argparse.Namespace) -> int:
    from marketplace.cli.audit import run_audit

    _apply_flags(args)
    return run_audit(_settings(), args)


def cmd_import(args: argparse.Namespace) -> int:
    from marketplace.cli.imports import import_file

    _apply_flags(args)
    return import_file(_settings(), args)


def cmd_export(args: argparse.Namespace) -> int:
    import asyncpg

    from marketplace.reports.opendata import write_opendata
    from marketplace.runtime.operator_db import run_on_database

    _apply_flags(args)

    async def export(pool: asyncpg.Pool) -> int:
        done = await write_opendata(pool, Path(args.out))
        print(f"{done['devices']} appareil(s), {done['events']} événement(s) écrits dans {args.out} ; "
              f"empreinte {done['digest']}")
        return 0

    return run_on_database(_settings(), export)


def cmd_webhooks(args: argparse.Namespace) -> int:
    from marketplace.webhooks.delivery import run_from_cli

    return run_from_cli(_settings().database_url)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="seconde-vie", description="Seconde Vie: second life for public IT.")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, fn: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(fn=fn)
        return p

    up = add("up", cmd_up, "Start everything: embedded services when not configured, relay, workers, UI.")
    up.add_argument("--demo", action="store_true", help="load the Bretagne demo data on first start")
    up.add_argument("--data-dir", dest="data_dir", help="where embedded services keep data (DATA_DIR)")
    up.add_argument("--broker-port", dest="broker_port", type=int, help="embedded broker port (BROKER_PORT)")
    up.add_argument("--ui-port", dest="ui_port", type=int, help="UI port (UI_PORT)")
    up.add_argument("--ui-host", dest="ui_host", help="UI address (UI_HOST)")
    up.add_argument("--base-url", dest="base_url", help="public address encoded in QR labels (BASE_URL)")
    add("migrate", cmd_migrate, "Apply database migrations (and reference data) to DATABASE_URL.")
    add("topics", cmd_topics, "Create the Kafka topics on KAFKA_BOOTSTRAP_SERVERS.")
    add("relay", cmd_relay, "Run the outbox relay.")
    worker = add("worker", cmd_worker, "Run workers: intake, router (all when none named).")
    worker.add_argument("names", nargs="*", help="which workers")
    add("timers", cmd_timers, "Run the timer worker: offer, pickup and reservation deadlines, reconciliation.")
    add("ui", cmd_ui, "Serve the web UI.")
    add("webhooks", cmd_webhooks, "Run the webhook delivery worker (signed POSTs, retried with backoff).")
    bench = add("bench", cmd_bench, "Measure throughput, latency and memory on a disposable stack; print a table.")
    bench.add_argument("--devices", type=int, default=100_000, help="devices retired end to end")
    bench.add_argument("--partitions", type=int, default=6, help="partitions of each topic")
    bench.add_argument("--routers", type=int, default=2, help="router processes for the scale-out measure")
    bench.add_argument("--rate", type=float, default=200.0, help="devices a second of the latency measure")
    bench.add_argument("--seconds", type=float, default=15.0, help="how long the latency measure sends")
    bench.add_argument("what", nargs="?", choices=["reports"],
                       help="`reports`: time each report over --events synthetic events loaded with COPY")
    bench.add_argument("--events", type=int, default=1_000_000, help="reports: how many events to load")
    labels = add("labels", cmd_labels, "Write a PDF sheet of QR labels for a selection of devices.")
    labels.add_argument("--out", required=True, help="the PDF file to write")
    labels.add_argument("--format", default="a4-3x7", choices=["a4-3x7", "roll-62"],
                        help="A4 sheets of 3 x 7 labels (63.5 x 38.1 mm) or 62 mm continuous roll")
    labels.add_argument("--donor", help="the donor organisation's slug")
    labels.add_argument("--state", help="only devices in this state (retired, offered...)")
    labels.add_argument("--codes", help="comma-separated device codes")
    labels.add_argument("--data-dir", dest="data_dir", help="embedded data, when DATABASE_URL is unset (DATA_DIR)")
    labels.add_argument("--base-url", dest="base_url", help="public address the QR codes lead to (BASE_URL)")
    audit = add("audit", cmd_audit, "Verify every device's hash chain and the daily digests (exit 1 when broken).")
    audit.add_argument("action", choices=["verify", "digest"], help="verify the trail, or record daily digests")
    audit.add_argument("--day", help="digest: record this day (YYYY-MM-DD, UTC) instead of every missing day")
    audit.add_argument("--days", type=int, help="verify: recompute only the last N recorded digests")
    audit.add_argument("--no-record", dest="record", action="store_false",
                       help="verify: do not record the missing daily digests after a clean run")
    audit.add_argument("--data-dir", dest="data_dir", help="embedded data, when DATABASE_URL is unset (DATA_DIR)")
    imp = add("import", cmd_import, "Retire the devices of a CSV file (Seconde Vie template or GLPI export).")
    imp.add_argument("file", help="the CSV file (UTF-8 or Windows-1252, ';' or ',')")
    imp.add_argument("--donor", required=True, help="the donor organisation's slug")
    imp.add_argument("--dry-run", dest="dry_run", action="store_true", help="preview only, write nothing")
    imp.add_argument("--skip-invalid", dest="skip_invalid", action="store_true",
                     help="import the valid rows and leave out the rows in error")
    imp.add_argument("--data-dir", dest="data_dir", help="embedded data, when DATABASE_URL is unset (DATA_DIR)")
    export = add("export", cmd_export, "Write the anonymised open data (devices, events, schema, chain digest).")
    export.add_argument("what", choices=["opendata"], help="which export")
    export.add_argument("--out", required=True, help="the folder to write")
    export.add_argument("--data-dir", dest="data_dir", help="embedded data, when DATABASE_URL is unset (DATA_DIR)")
    schemas = add("schemas", cmd_schemas, "Write the JSON Schema files of the message contracts.")
    schemas.add_argument("--out", default=str(PROJECT_ROOT / "schemas" / "json"))
    docs = add("docs", cmd_docs, "Write generated documentation: `asyncapi`, the AsyncAPI document of the workers.")
    docs.add_argument("what", choices=["asyncapi"], help="which document")
    docs.add_argument("--out", default=str(PROJECT_ROOT / "docs" / "asyncapi.json"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.fn(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
