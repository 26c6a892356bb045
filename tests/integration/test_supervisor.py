"""The supervisor stops every process it started, grandchildren included, and says why."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from marketplace.runtime.supervisor import Supervisor

# A child that starts a grandchild and reports its pid, as Reflex starts bun and granian.
PARENT_OF_SLEEPER = ["sh", "-c", "sleep 300 & echo grandchild=$!; wait"]


def _gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":  # killed, waiting for init to reap it
            return True
        time.sleep(0.05)
    return False


def test_a_dying_child_stops_everything_with_a_failure() -> None:
    out = io.StringIO()
    sup = Supervisor(stop_timeout=3, out=out)
    stopped: list[str] = []
    sup.on_shutdown(lambda: stopped.append("postgres"))
    sup.on_shutdown(lambda: stopped.append("broker"))
    sup.add("ui", PARENT_OF_SLEEPER)
    sup.add("relay", [sys.executable, "-c", "import time; print('relay up'); time.sleep(0.5); raise SystemExit(3)"])

    assert sup.run() == 1

    text = out.getvalue()
    assert "[relay] relay up" in text
    assert re.search(r"relay exited unexpectedly \(code 3\)", text)
    grandchild = int(re.search(r"\[ui\] grandchild=(\d+)", text).group(1))  # type: ignore[union-attr]
    assert _gone(grandchild)
    assert stopped == ["broker", "postgres"]  # last registered first


def test_sigterm_stops_children_and_grandchildren_cleanly(tmp_path: Path) -> None:
    script = tmp_path / "sup.py"
    script.write_text(
        "import sys\n"
        "from marketplace.runtime.supervisor import Supervisor\n"
        "sup = Supervisor(stop_timeout=3)\n"
        "sup.on_shutdown(lambda: print('[test] services stopped', flush=True))\n"
        f"sup.add('ui', {PARENT_OF_SLEEPER!r})\n"
        # Ignores SIGTERM: the supervisor must escalate to SIGKILL.
        "sup.add('stubborn', [sys.executable, '-c', "
        "'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print(\"up\", flush=True); time.sleep(300)'])\n"
        "sys.exit(sup.run())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    lines: list[str] = []
    while not ("[stubborn] up" in "".join(lines) and "grandchild=" in "".join(lines)):
        line = proc.stdout.readline()
        assert line, f"supervisor ended early: {lines}"
        lines.append(line)

    proc.send_signal(signal.SIGTERM)
    rest, _ = proc.communicate(timeout=20)
    text = "".join(lines) + rest

    assert proc.returncode == 0
    assert "SIGKILL" in text and "[test] services stopped" in text
    grandchild = int(re.search(r"\[ui\] grandchild=(\d+)", text).group(1))  # type: ignore[union-attr]
    assert _gone(grandchild)
