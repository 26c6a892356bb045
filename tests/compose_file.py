"""Reading docker-compose.yml the way the tests need it (no Docker engine here)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
SCHEMA = Path(__file__).parent / "data" / "compose-spec.json"

# `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`, `${NAME?error}`; `$$` escapes.
INTERPOLATION = re.compile(r"(?<!\$)\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?])?(?P<arg>[^}]*)\}")


@cache
def compose() -> dict[str, Any]:
    """The compose file as Compose reads it before interpolation (YAML anchors and merge keys resolved)."""
    doc = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def services() -> dict[str, dict[str, Any]]:
    return dict(compose()["services"])


def app_services() -> dict[str, dict[str, Any]]:
    """The services that run our image (they have a `build` section)."""
    return {name: svc for name, svc in services().items() if "build" in svc}


def one_shot(svc: dict[str, Any]) -> bool:
    return str(svc.get("restart", "")) == "no"


def environment(svc: dict[str, Any]) -> dict[str, Any]:
    env = svc.get("environment") or {}
    if isinstance(env, list):
        pairs = (item.split("=", 1) for item in env)
        return {p[0]: (p[1] if len(p) > 1 else None) for p in pairs}
    return dict(env)


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's variable interpolation, enough for this file: defaults, required variables, `$$`."""

    def sub(m: re.Match[str]) -> str:
        name, op, arg = m["name"], m["op"] or "", m["arg"]
        present = name in env and (env[name] != "" or ":" not in op)
        if op.endswith("?") and not present:
            raise KeyError(f"{name}: {arg}")
        if op.endswith("-") and not present:
            return interpolate(arg, env)
        return env.get(name, "")

    return INTERPOLATION.sub(sub, value).replace("$$", "$")


def variables(text: str) -> set[str]:
    return {m["name"] for m in INTERPOLATION.finditer(text)}
