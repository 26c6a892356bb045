"""`seconde-vie bench` on a small run: the command a newcomer types to measure the product starts its own
disposable stack, runs every measure and prints every figure (the figures themselves are docs/benchmarks.md's, not
a test's: nothing here is timed)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

SECONDE_VIE = Path(sys.executable).parent / "seconde-vie"
MEASURES = [
    r"latency intake -> offer at 100/s, fresh stack \(200 devices\) +p50 \d+ ms, p95 \d+ ms, p99 \d+ ms, max \d+ ms",
    r"end to end, 1 router, 3 partitions +[\d,]+ devices/s \(300 in [\d.]+ s\)",
    r"after the run, until every event is published and read +[\d.]+ s more",
    r"end to end, 2 routers +[\d,]+ devices/s \(300 in [\d.]+ s\)",
    r"raw broker: aiokafka produce \+ consume +[\d,]+ messages/s",
    r"latency intake -> offer at 100/s, after the runs above \(200 devices\) +p50 \d+ ms, p95 \d+ ms, p99 \d+ ms, max \d+ ms",
    r"claims, 50 concurrent claimers +[\d,]+ claims/s \(300 in [\d.]+ s\)",
    r"peak RSS intake +\d+ MB",
    r"peak RSS relay +\d+ MB",
    r"peak RSS router-1 +\d+ MB",
    r"peak RSS router-2 +\d+ MB",
]


def test_the_bench_prints_every_measure_of_a_small_run(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS"}}
    done = subprocess.run([str(SECONDE_VIE), "bench", "--devices", "300", "--partitions", "3", "--routers", "2",
                           "--rate", "100", "--seconds", "2"],
                          env={**env, "TMPDIR": str(tmp_path)}, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    for measure in MEASURES:
        assert re.search(measure, done.stdout), f"{measure!r} not in:\n{done.stdout}"
    assert not list(tmp_path.glob("sv-bench-*")), "the disposable stack's folder was left behind"
