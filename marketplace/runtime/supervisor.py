"""Run the product's processes side by side, prefix their output, stop them all together."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    env: Mapping[str, str] | None = None
    cwd: str | None = None
    proc: asyncio.subprocess.Process | None = field(default=None, repr=False)


class Supervisor:
    """Starts children, restarts none; the first unexpected exit or a signal stops everything."""

    def __init__(self, stop_timeout: float = 10.0, out: TextIO | None = None) -> None:
        self.stop_timeout = stop_timeout
        self.children: list[Child] = []
        self._cleanups: list[Callable[[], object]] = []
        self._out = out or sys.stdout
        self._stopping = False

    def add(self, name: str, argv: Sequence[str], env: Mapping[str, str] | None = None,
            cwd: str | None = None) -> None:
        """Register a long-running child; `env` is added to this process's environment."""
        self.children.append(Child(name, list(argv), env, cwd))

    def on_shutdown(self, fn: Callable[[], object]) -> None:
        """Call `fn` after every child stopped (e.g. EmbeddedPostgres.stop); last registered runs first."""
        self._cleanups.append(fn)

    def say(self, name: str, line: str) -> None:
        self._out.write(f"[{name}] {line}\n")
        self._out.flush()

    def run(self) -> int:
        """Run until Ctrl-C/SIGTERM (exit 0) or until a child dies (exit 1)."""
        try:
            return asyncio.run(self._main())
        finally:
            self._cleanup()

    async def _main(self) -> int:
        loop = asyncio.get_running_loop()
        wake = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self._on_signal, wake)
        pumps, waits = [], {}
        try:
            for child in self.children:
                try:
                    child.proc = await self._spawn(child)
                except OSError as exc:
                    self.say("supervisor", f"!!! cannot start {child.name}: {exc}; stopping everything")
                    return 1
                pumps.append(asyncio.create_task(self._pump(child)))
                waits[asyncio.create_task(child.proc.wait())] = child
            stop = asyncio.create_task(wake.wait())
            done, _ = await asyncio.wait([stop, *waits], return_when=asyncio.FIRST_COMPLETED)
            died = [waits[t] for t in done if t in waits]
            code = 0
            if died and not self._stopping:
                code = 1
                for child in died:
                    rc = child.proc.returncode if child.proc else None
                    self.say("supervisor", f"!!! {child.name} exited unexpectedly (code {rc}); stopping everything")
                    sys.stderr.write(f"seconde-vie: {child.name} exited unexpectedly (code {rc})\n")
            await self._stop_children()
            return code
        finally:
            await self._stop_children()
            if pumps:  # a detached grandchild may hold a pipe open: do not wait for it forever
                _, late = await asyncio.wait(pumps, timeout=2)
                for task in late:
                    task.cancel()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)

    def _on_signal(self, wake: asyncio.Event) -> None:
        if self._stopping:  # a second Ctrl-C: no more patience
            self.say("supervisor", "second signal: killing every child now")
            self._signal_all(signal.SIGKILL)
        self._stopping = True
        wake.set()

    async def _spawn(self, child: Child) -> asyncio.subprocess.Process:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **(child.env or {})}
        self.say("supervisor", f"starting {child.name}: {' '.join(child.argv)}")
        # New session: the terminal's Ctrl-C reaches only us, and killpg also reaches grandchildren.
        return await asyncio.create_subprocess_exec(
            *child.argv, env=env, cwd=child.cwd, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            start_new_session=True, limit=1 << 20)

    async def _pump(self, child: Child) -> None:
        assert child.proc is not None and child.proc.stdout is not None
        reader = child.proc.stdout
        while True:
            try:
                raw = await reader.readline()
            except ValueError:  # a line longer than the limit: take it in pieces
                raw = await reader.read(1 << 16)
            if not raw:
                return
            self.say(child.name, raw.decode(errors="replace").rstrip("\n"))

    def _signal_all(self, sig: int) -> None:
        for child in self.children:
            if child.proc is not None:
                try:
                    os.killpg(child.proc.pid, sig)  # pgid == pid: it leads its own session
                except (ProcessLookupError, PermissionError):
                    pass

    async def _stop_children(self) -> None:
        self._stopping = True
        running = [c for c in self.children if c.proc is not None and c.proc.returncode is None]
        for child in running:
            self.say("supervisor", f"stopping {child.name}")
        self._signal_all(signal.SIGTERM)
        waits = [asyncio.create_task(c.proc.wait()) for c in running if c.proc is not None]
        if waits:
            _, late = await asyncio.wait(waits, timeout=self.stop_timeout)
            if late:
                self.say("supervisor", f"{len(late)} child(ren) ignored SIGTERM for {self.stop_timeout}s: SIGKILL")
        # Always: grandchildren may outlive their group leader.
        self._signal_all(signal.SIGKILL)
        if waits:
            await asyncio.wait(waits)

    def _cleanup(self) -> None:
        while self._cleanups:
            fn = self._cleanups.pop()
            try:
                fn()
            except Exception as exc:  # noqa: BLE001 -- one failed step must not stop the others
                self.say("supervisor", f"shutdown step {fn!r} failed: {exc}")
        self.say("supervisor", "everything stopped")
