"""`seconde-vie bench ui`: K simulated people on the UI's event socket, against 1 and then 2 UI processes.

A disposable stack (embedded PostgreSQL with the demo data, a redis-server), then for each process count a
`seconde-vie ui` with UI_PROCESSES set. Each person opens its own tab (a websocket to `/_event`), signs in
with a demo account, then until the time is up opens a page (`/integrations`: the organisation's tokens
and webhooks, read from PostgreSQL) and acts (switches the language), one event at a time. Printed: events
per second, the latency of an event until its final update (p50/p95/p99), CPU seconds per event, and
each UI process's memory per connected session (resident memory after the people connected, minus before,
divided by the sessions it holds). Nothing here asserts a time.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.runtime.database_setup import prepare_database
from marketplace.runtime.embedded import EmbeddedPostgres, EmbeddedRedis, free_port
from workers.bench.ui_socket import EventSocket

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    processes: int
    people: int
    events: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0
    per_worker: list[tuple[int, float, int]] = field(default_factory=list)  # (pid, RSS delta MiB, sessions)
    failures: int = 0
    errors: list[str] = field(default_factory=list)


def ui_workers(port: int) -> list[psutil.Process]:
    """The Granian workers listening on `port` (children of the `marketplace.runtime.ui_server` server)."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if "marketplace.runtime.ui_server" not in " ".join(proc.info["cmdline"] or []):
                continue
            parent = proc.parent()
            if parent is None or "marketplace.runtime.ui_server" not in " ".join(parent.cmdline()):
                continue
            if any(c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in proc.net_connections("tcp")):
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def sessions_of(proc: psutil.Process, port: int) -> int:
    try:
        return sum(1 for c in proc.net_connections("tcp") if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port)
    except psutil.NoSuchProcess:
        return 0


# The handlers the simulated people call, by their names on the wire (Reflex's full state paths). Written out
# here, since workers do not import the UI; tests/unit/test_ui_server.py checks them against the UI's classes.
_SESSION = "reflex___state____state.ui___language____language_state.ui___state____session_state"
SIGN_IN = _SESSION + ".ui___pages___signin____sign_in_state.submit"
OPEN_PAGE = _SESSION + ".ui___pages___webhooks_panel____webhooks_state.ui___pages___integrations____integrations_state.load"
ACT = "reflex___state____state.ui___language____language_state.set_language"


def _names() -> tuple[str, str, str]:
    return SIGN_IN, OPEN_PAGE, ACT


async def _person(base: str, n: int, clock: dict[str, float], run: Run, gates: dict[str, asyncio.Semaphore],
                  ready: asyncio.Event, signed: list[int]) -> EventSocket | None:
    sign_in, open_page, act = _names()
    email, password = list(DEMO_ACCOUNTS.values())[n % len(DEMO_ACCOUNTS)][:2]
    tab = EventSocket(base)
    try:
        await tab.connect()
        async with gates[email]:  # one sign-in per account at a time: its attempts are counted
            _, delta = await tab.event(sign_in, {"form": {"email": email, "password": password}}, "/connexion")
        if not any(part.get("signed_in_rx_state_") for part in delta.values() if isinstance(part, dict)):
            raise RuntimeError(f"{email} is not signed in")
        signed.append(n)
        await ready.wait()
        lang = "en"
        while time.monotonic() < clock["deadline"]:
            for name, payload, path in ((open_page, {}, "/integrations"), (act, {"lang": lang}, "/integrations")):
                took, _ = await tab.event(name, payload, path)
                run.latencies.append(took)
                run.events += 1
            lang = "fr" if lang == "en" else "en"
        return tab
    except Exception as exc:  # noqa: BLE001 -- a person who fails is counted, the others go on
        run.failures += 1
        run.errors.append(f"{type(exc).__name__}: {exc}"[:200])
        await tab.close()
        return None


async def _drive(base: str, port: int, people: int, seconds: float, processes: int) -> Run:
    run = Run(processes, people)
    workers = ui_workers(port)
    before = {w.pid: w.memory_info().rss for w in workers}
    gates = {email: asyncio.Semaphore(1) for email, *_ in DEMO_ACCOUNTS.values()}
    ready = asyncio.Event()
    clock = {"deadline": time.monotonic() + 3600}
    signed: list[int] = []
    tasks = [asyncio.create_task(_person(base, n, clock, run, gates, ready, signed)) for n in range(people)]
    # The clock starts once everyone is signed in: the sign-ins (argon2) are not what is measured.
    while len(signed) + run.failures < people:
        await asyncio.sleep(0.2)
    await asyncio.sleep(1)
    for w in workers:
        run.per_worker.append((w.pid, (w.memory_info().rss - before[w.pid]) / 2**20, sessions_of(w, port)))
    cpu_signed_in = sum(sum(w.cpu_times()[:2]) for w in workers)
    started = time.monotonic()
    clock["deadline"] = started + seconds
    ready.set()
    tabs = await asyncio.gather(*tasks)
    run.seconds = time.monotonic() - started
    run.cpu_seconds = sum(sum(w.cpu_times()[:2]) for w in workers if w.is_running()) - cpu_signed_in
    for tab in tabs:
        if tab is not None:
            await tab.close()
    return run


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def _start_ui(env: dict[str, str], port: int, processes: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**env, "UI_PORT": str(port), "UI_HOST": "127.0.0.1", "UI_PROCESSES": str(processes)}
    with log.open("ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "marketplace.cli.main", "ui"], cwd=PROJECT_ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the UI exited ({proc.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2):
                if len(ui_workers(port)) == processes:
                    return proc
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the UI did not answer within 600 s; see {log}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    import signal

    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=20)
            return
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue


def print_runs(runs: list[Run]) -> None:
    print(f"{'UI processes':<13}{'people':>7}{'events/s':>10}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
          f"{'CPU ms/event':>13}  memory per session (each process)")
    for r in runs:
        rate = r.events / r.seconds if r.seconds else 0.0
        cpu = r.cpu_seconds / r.events * 1000 if r.events else float("nan")
        memory = ", ".join(f"pid {pid}: {mib / sessions * 1024:.0f} KiB x {sessions}" if sessions else f"pid {pid}: no session"
                           for pid, mib, sessions in r.per_worker)
        print(f"{r.processes:<13}{r.people:>7}{rate:>10.1f}{_percentile(r.latencies, 0.5):>8.0f}"
              f"{_percentile(r.latencies, 0.95):>8.0f}{_percentile(r.latencies, 0.99):>8.0f}{cpu:>13.1f}  {memory}"
              + (f"  ({r.failures} people failed, first: {r.errors[0]})" if r.failures else ""))
    if len(runs) == 2 and runs[0].events and runs[1].events:
        ratio = (runs[1].events / runs[1].seconds) / (runs[0].events / runs[0].seconds)
        print(f"2 processes / 1 process: {ratio:.2f}x the events per second")


def bench_ui(people: int, seconds: float, process_counts: tuple[int, ...] = (1, 2)) -> int:
    data = Path(tempfile.mkdtemp(prefix="sv-bench-ui-"))
    pg = EmbeddedPostgres(data)
    redis = EmbeddedRedis(data)
    runs: list[Run] = []
    try:
        dsn = pg.start()
        asyncio.run(prepare_database(dsn, demo=True))
        env = {**os.environ, "DATABASE_URL": dsn, "REDIS_URL": redis.start(), "DEMO_MODE": "true",
               "UI_STATE_SECRET": "bench-ui-" + os.urandom(8).hex(), "PYTHONUNBUFFERED": "1"}
        for processes in process_counts:
            port = free_port()
            proc = _start_ui(env, port, processes, data / "ui.log")
            try:
                runs.append(asyncio.run(_drive(f"http://127.0.0.1:{port}", port, people, seconds, processes)))
            finally:
                _stop(proc)
        print_runs(runs)
        return 0
    finally:
        redis.stop()
        pg.stop()
        print(f"(data and the UI's log in {data})")
