"""Secrets come only from the environment: no key, token or password is written in a tracked file, except the
documented demo passwords (which exist only in demo mode), and no secret-looking setting has a default."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SECRET_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY|PRIVATE|CREDENTIAL|DSN|DATABASE_URL",
                         re.IGNORECASE)
DEMO_PASSWORDS = {password for _email, password, *_ in DEMO_ACCOUNTS.values()}
# Where the demo passwords may be written: the catalogue the demo data is loaded from, and the README's
# table of demo accounts. Tests sign in with them through DEMO_ACCOUNTS, not by copying them.
DEMO_PASSWORD_FILES = {"marketplace/demo/catalogue.py", "README.md"}
# Other literals allowed by name, each with its reason.
ALLOWED = {
    ("workers/bench/claims.py", "bench-claimer-password"):
        "accounts the benchmark creates in its own throwaway embedded database, removed after the run",
}

# Secrets whatever the file, tests included: a real one pasted anywhere is a leak.
UNMISTAKABLE = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "Seconde Vie API token": re.compile(r"\bsvk_[A-Za-z0-9_-]{40,}"),
    "webhook secret": re.compile(r"\bwhsec_[A-Za-z0-9_-]{40,}"),
    "password in a URL": re.compile(r"\b(?:postgres(?:ql)?|kafka|https?|redis)://[^\s:/@'\"]+:([^\s@'\"$]{6,})@"),
}
# `password = "..."`, `"api_token": "..."`, `SECRET_KEY=...`: a literal given to a secret-looking name.
ASSIGNED = re.compile(
    r"""(?ix)\b([a-z_]*(?:password|passwd|secret|token|api_?key|private_?key|credential)[a-z_]*)["']?\s*[:=]\s*
        (?:["']([^"'\s]{6,})["']\s*(?:$|[,)\]}\#])|(?<![=:]=)([^\s"'\#,;)\]}{$]{8,})$)""")
# Values that are obviously not secrets: placeholders, types, references to the environment, code.
PLACEHOLDER = re.compile(r"(?i)^(change-?me|replace-with.*|example.*|x+|\.\.\.|<.*>|\*+|none|null|true|false|str|"
                         r"bytes|int|secrets\..*|os\.environ.*|env\(.*|settings\..*|self\..*|form\..*|token_hash.*|"
                         r"new_session_token.*|hash_password.*|.*\(.*|[a-z_][\w.]*(\[.*\])?)$")
# Product files whose literals are checked by name (tests and docs hold example values by design).
PRODUCT = re.compile(r"^(marketplace|schemas|events|workers|ui|scripts)/|^(Dockerfile|docker-compose\.yml|"
                     r"\.env\.example|Makefile|pyproject\.toml|rxconfig\.py|\.ci/run)$")


def tracked_text_files() -> dict[str, str]:
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    files = {}
    for name in names:
        path = ROOT / name
        if not path.is_file() or path.suffix in {".png", ".jpg", ".ico", ".pdf", ".woff", ".woff2"}:
            continue
        try:
            files[name] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
    return files


FILES = tracked_text_files()


def test_the_scan_sees_the_repository() -> None:
    assert "marketplace/settings.py" in FILES and "docker-compose.yml" in FILES and len(FILES) > 100


@pytest.mark.parametrize("kind", sorted(UNMISTAKABLE))
def test_no_key_or_token_is_written_in_any_tracked_file(kind: str) -> None:
    found = [f"{name}:{text[:m.start()].count(chr(10)) + 1}" for name, text in FILES.items()
             for m in UNMISTAKABLE[kind].finditer(text) if not (m.groups() and m.group(1) in DEMO_PASSWORDS)]
    assert not found, f"{kind} written in: {found}"


def test_no_literal_is_given_to_a_secret_looking_name_in_the_product() -> None:
    found = []
    for name, text in FILES.items():
        if not PRODUCT.match(name):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for m in ASSIGNED.finditer(line):
                value = m.group(2) or m.group(3) or ""
                if (PLACEHOLDER.match(value) or (name, value) in ALLOWED
                        or value in DEMO_PASSWORDS and name in DEMO_PASSWORD_FILES):
                    continue
                found.append(f"{name}:{number}: {m.group(0).strip()}")
    assert not found, "secret-looking literals (read them from the environment instead):\n" + "\n".join(found)


def test_the_demo_passwords_are_written_only_where_documented() -> None:
    holders = {name for name, text in FILES.items() if any(p in text for p in DEMO_PASSWORDS)}
    assert holders <= DEMO_PASSWORD_FILES, holders - DEMO_PASSWORD_FILES


def test_the_demo_accounts_are_loaded_only_in_demo_mode() -> None:
    """Only `prepare_database(demo=True)` loads them into a product database; benchmarks use their own."""
    callers = {name for name, text in FILES.items() if PRODUCT.match(name) and "load_demo_data(" in text
               and not name.endswith("marketplace/demo/loader.py")}
    assert callers == {"marketplace/runtime/database_setup.py", "workers/bench/reports.py", "workers/bench/run.py"}
    setup = FILES["marketplace/runtime/database_setup.py"]
    assert re.search(r"if demo:\n\s+await load_demo_data\(pool\)", setup)
    up = FILES["marketplace/runtime/up.py"]
    assert "demo=settings.demo_mode" in up and Settings.model_fields["demo_mode"].default is False


SECRET_SETTINGS = [name for name in Settings.model_fields if SECRET_NAME.search(name)]


def test_secret_settings_exist_to_be_checked() -> None:
    assert "database_url" in SECRET_SETTINGS  # a DSN carries the database password


@pytest.mark.parametrize("name", SECRET_SETTINGS)
def test_a_secret_setting_has_no_default_and_is_read_from_the_environment(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    field = Settings.model_fields[name]
    assert field.default in (None, ""), f"{name} has a default value"
    assert field.default_factory is None
    value = "postgresql://app@db/seconde_vie?from=environment"
    monkeypatch.setenv(name.upper(), value)
    assert getattr(Settings(), name) == value
    monkeypatch.delenv(name.upper())
    assert not getattr(Settings(), name)
