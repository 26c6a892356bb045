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

from marketplace.cli import bench_agent
from marketplace.cli.words import say
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


def cmd_bench_agent(args: argparse.Namespace) -> int:
    return bench_agent.run(args)


def cmd_migrate(args: argparse.Namespace) -> int:
    from marketplace.runtime.database_setup import prepare_database

    settings = _settings()
    if not settings.database_url:
        print(say("cli.no_database_url"), file=sys.stderr)
        return 2
    applied = asyncio.run(prepare_database(settings.database_url, demo=settings.demo_mode))
    print(say("cli.migrated", names=", ".join(applied)) if applied else say("cli.migrated_none"))
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    from events.provisioning import ensure_topics

    settings = _settings()
    created = ensure_topics(settings.bootstrap_servers, settings.topic_partitions,
                           replication_factor=settings.topic_replication_factor)
    print(say("cli.topics_created", names=", ".join(created)) if created else say("cli.topics_none"))
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


def cmd_notifier(args: argparse.Namespace) -> int:
    app = importlib.import_module("workers.app")
    asyncio.run(app.run_notifier(_settings()))
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    from marketplace.runtime.ui_server import worker_count

    settings = _settings()
    # Reflex's `reflex run`, with Granian respawning a worker that dies (marketplace/runtime/ui_server.py).
    argv = [sys.executable, "-m", "marketplace.runtime.ui_server", "run", "--env", "prod",
            "--backend-host", settings.ui_host,
            "--frontend-port", str(settings.ui_port), "--backend-port", str(settings.ui_port)]
    os.chdir(PROJECT_ROOT)
    os.environ.setdefault("REFLEX_USE_SYSTEM_BUN", "1")
    os.environ["GRANIAN_WORKERS"] = str(worker_count(settings.redis_url, settings.ui_processes))
    os.execv(argv[0], argv)


def cmd_bench(args: argparse.Namespace) -> int:
    if args.what == "ui":
        ui_bench = importlib.import_module("workers.bench.ui")
        return int(ui_bench.bench_ui(args.people, args.seconds))
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
        print(say("cli.exported", devices=done["devices"], events=done["events"], folder=args.out,
                  digest=done["digest"]))
        return 0

    return run_on_database(_settings(), export)


def cmd_admin(args: argparse.Namespace) -> int:
    from marketplace.cli.admin import run_admin

    _apply_flags(args)
    return run_admin(_settings(), args)


def cmd_webhooks(args: argparse.Namespace) -> int:
    from marketplace.webhooks.delivery import run_from_cli

    return run_from_cli(_settings().database_url)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="seconde-vie", description=say("cli.description"))
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, fn: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(fn=fn)
        return p

    up = add("up", cmd_up, say("cli.up"))
    up.add_argument("--demo", action="store_true", help=say("cli.up.demo"))
    up.add_argument("--data-dir", dest="data_dir", help=say("cli.up.data_dir"))
    up.add_argument("--broker-port", dest="broker_port", type=int, help=say("cli.up.broker_port"))
    up.add_argument("--ui-port", dest="ui_port", type=int, help=say("cli.up.ui_port"))
    up.add_argument("--ui-host", dest="ui_host", help=say("cli.up.ui_host"))
    up.add_argument("--base-url", dest="base_url", help=say("cli.up.base_url"))
    add("migrate", cmd_migrate, say("cli.migrate"))
    add("topics", cmd_topics, say("cli.topics"))
    add("relay", cmd_relay, say("cli.relay"))
    worker = add("worker", cmd_worker, say("cli.worker"))
    worker.add_argument("names", nargs="*", help=say("cli.worker.names"))
    add("timers", cmd_timers, say("cli.timers"))
    add("notifier", cmd_notifier, say("cli.notifier"))
    add("ui", cmd_ui, say("cli.ui"))
    bench_agent.add_arguments(add("bench-agent", cmd_bench_agent, say("cli.bench_agent")))
    add("webhooks", cmd_webhooks, say("cli.webhooks"))
    bench = add("bench", cmd_bench, say("cli.bench"))
    bench.add_argument("--devices", type=int, default=100_000, help=say("cli.bench.devices"))
    bench.add_argument("--partitions", type=int, default=6, help=say("cli.bench.partitions"))
    bench.add_argument("--routers", type=int, default=2, help=say("cli.bench.routers"))
    bench.add_argument("--rate", type=float, default=200.0, help=say("cli.bench.rate"))
    bench.add_argument("--seconds", type=float, default=15.0, help=say("cli.bench.seconds"))
    bench.add_argument("--people", type=int, default=20, help=say("cli.bench.people"))
    bench.add_argument("what", nargs="?", choices=["reports", "ui"],
                       help=say("cli.bench.what_ui"))
    bench.add_argument("--events", type=int, default=1_000_000, help=say("cli.bench.events"))
    labels = add("labels", cmd_labels, say("cli.labels"))
    labels.add_argument("--out", required=True, help=say("cli.labels.out"))
    labels.add_argument("--format", default="a4-3x7", choices=["a4-3x7", "roll-62"],
                        help=say("cli.labels.format"))
    labels.add_argument("--donor", help=say("cli.opt.donor"))
    labels.add_argument("--state", help=say("cli.labels.state"))
    labels.add_argument("--codes", help=say("cli.labels.codes"))
    labels.add_argument("--data-dir", dest="data_dir", help=say("cli.opt.data_dir"))
    labels.add_argument("--base-url", dest="base_url", help=say("cli.labels.base_url"))
    audit = add("audit", cmd_audit, say("cli.audit"))
    audit.add_argument("action", choices=["verify", "digest"], help=say("cli.audit.action"))
    audit.add_argument("--day", help=say("cli.audit.day"))
    audit.add_argument("--days", type=int, help=say("cli.audit.days"))
    audit.add_argument("--no-record", dest="record", action="store_false",
                       help=say("cli.audit.no_record"))
    audit.add_argument("--full", action="store_true", help=say("cli.audit.full"))
    audit.add_argument("--jobs", type=int, default=1, help=say("cli.audit.jobs"))
    audit.add_argument("--data-dir", dest="data_dir", help=say("cli.opt.data_dir"))
    imp = add("import", cmd_import, say("cli.import"))
    imp.add_argument("file", help=say("cli.import.file"))
    imp.add_argument("--donor", required=True, help=say("cli.opt.donor"))
    imp.add_argument("--dry-run", dest="dry_run", action="store_true", help=say("cli.import.dry_run"))
    imp.add_argument("--skip-invalid", dest="skip_invalid", action="store_true",
                     help=say("cli.import.skip_invalid"))
    imp.add_argument("--data-dir", dest="data_dir", help=say("cli.opt.data_dir"))
    export = add("export", cmd_export, say("cli.export"))
    export.add_argument("what", choices=["opendata"], help=say("cli.export.what"))
    export.add_argument("--out", required=True, help=say("cli.export.out"))
    export.add_argument("--data-dir", dest="data_dir", help=say("cli.opt.data_dir"))
    admin = add("admin", cmd_admin, say("cli.admin"))
    admin.add_argument("action", choices=["create"], help=say("cli.admin.action"))
    admin.add_argument("--email", required=True, help=say("cli.admin.email"))
    admin.add_argument("--name", required=True, help=say("cli.admin.name"))
    admin.add_argument("--org", required=True, help=say("cli.admin.org"))
    admin.add_argument("--org-name", dest="org_name", help=say("cli.admin.org_name"))
    admin.add_argument("--pays", help=say("cli.admin.pays"))
    admin.add_argument("--data-dir", dest="data_dir", help=say("cli.opt.data_dir"))
    schemas = add("schemas", cmd_schemas, say("cli.schemas"))
    schemas.add_argument("--out", default=str(PROJECT_ROOT / "schemas" / "json"))
    docs = add("docs", cmd_docs, say("cli.docs"))
    docs.add_argument("what", choices=["asyncapi"], help=say("cli.docs.what"))
    docs.add_argument("--out", default=str(PROJECT_ROOT / "docs" / "asyncapi.json"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.fn(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
