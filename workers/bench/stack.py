"""A disposable stack for benchmarks: embedded services (or external ones), workers as real processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from marketplace.runtime.embedded import EmbeddedBroker, EmbeddedPostgres, free_port


@dataclass
class BenchStack:
    dsn: str
    bootstrap: str
    partitions: int
    workdir: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    peak_rss: dict[str, int] = field(default_factory=dict)
    _cleanups: list[object] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        return {**os.environ, "DATABASE_URL": self.dsn, "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
                "TOPIC_PARTITIONS": str(self.partitions), "KAFKA_SESSION_TIMEOUT_MS": "2000",
                "KAFKA_HEARTBEAT_INTERVAL_MS": "300", "PYTHONUNBUFFERED": "1"}

    def start(self, name: str, *args: str) -> None:
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - lives as long as the process
        self.procs[name] = subprocess.Popen([sys.executable, "-m", "marketplace.cli.main", *args], env=self.env(),
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def sample_memory(self) -> None:
        """Record each process's resident memory (children included), keeping the peak."""
        for name, proc in self.procs.items():
            try:
                p = psutil.Process(proc.pid)
                rss = p.memory_info().rss + sum(c.memory_info().rss for c in p.children(recursive=True))
            except psutil.Error:
                continue
            self.peak_rss[name] = max(self.peak_rss.get(name, 0), rss)

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()

    def close(self) -> None:
        for name in list(self.procs):
            self.stop(name)
        for cleanup in reversed(self._cleanups):
            cleanup()  # type: ignore[operator]


def open_stack(partitions: int) -> BenchStack:
    """Embedded PostgreSQL and broker in a temporary folder, unless DATABASE_URL/KAFKA_BOOTSTRAP_SERVERS are set."""
    workdir = Path(tempfile.mkdtemp(prefix="sv-bench-"))
    cleanups: list[object] = [lambda: shutil.rmtree(workdir, ignore_errors=True)]
    dsn = os.environ.get("DATABASE_URL")
    if not dsn:
        pg = EmbeddedPostgres(workdir)
        dsn = pg.start()
        cleanups.append(pg.stop)
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if not bootstrap:
        broker = EmbeddedBroker("127.0.0.1", free_port(), workdir)
        bootstrap = broker.start()
        cleanups.append(broker.stop)
    return BenchStack(dsn, bootstrap, partitions, workdir, _cleanups=cleanups)
