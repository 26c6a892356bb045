"""Container healthcheck of the processes that serve no HTTP: is a `seconde-vie <command>` process alive?

`python -m marketplace.runtime.healthcheck worker router` exits 0 when some process on this machine (in a
container: in this container) runs `seconde-vie worker router` (or `python -m marketplace.cli.main worker
router`), 1 otherwise. It reads /proc only, so the image needs no `procps`. The UI has its own check
(`/ping`); PostgreSQL and Kafka have theirs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

PROC = Path("/proc")


def _command_lines(proc: Path = PROC) -> Iterator[list[str]]:
    """The argv of every process but this one."""
    me = str(os.getpid())
    for entry in proc.iterdir():
        if not entry.name.isdigit() or entry.name == me:
            continue
        try:
            raw = (entry / "cmdline").read_bytes()
        except OSError:  # gone, or not ours to read
            continue
        if raw:
            yield [part.decode("utf-8", "replace") for part in raw.rstrip(b"\0").split(b"\0")]


def runs(argv: Sequence[str], command: Sequence[str]) -> bool:
    """Whether `argv` is a `seconde-vie` process running `command` (its subcommand and arguments)."""
    for i, part in enumerate(argv):
        if Path(part).name == "seconde-vie" or (part == "marketplace.cli.main" and i > 0 and argv[i - 1] == "-m"):
            return list(argv[i + 1:i + 1 + len(command)]) == list(command)
    return False


def alive(command: Sequence[str], proc: Path = PROC) -> bool:
    return any(runs(argv, command) for argv in _command_lines(proc))


def main(argv: Sequence[str] | None = None) -> int:
    command = list(sys.argv[1:] if argv is None else argv)
    if not command:
        print("usage: python -m marketplace.runtime.healthcheck COMMAND [ARGS...]", file=sys.stderr)
        return 2
    if alive(command):
        return 0
    print(f"no running `seconde-vie {' '.join(command)}`", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
