"""The UI's launcher: several workers only with Redis, Granian told to respawn, Reflex's token manager told
which workers are alive; and the UI bench's table."""

from __future__ import annotations

import pytest

from marketplace.runtime.ui_server import respawn_failed_workers, worker_count
from workers.bench.ui import Run, _percentile, print_runs


def test_several_workers_only_when_redis_holds_the_state() -> None:
    assert worker_count("redis://:x@127.0.0.1:6379/0", 3) == 3
    assert worker_count(None, 3) == 1
    assert worker_count("", 2) == 1


def test_granian_servers_respawn_their_workers() -> None:
    import granian.server as granian_server

    respawn_failed_workers()
    respawn_failed_workers()  # twice is once
    server = granian_server.Server("ui.ui:app")
    assert server.respawn_failed_workers is True
    assert type(server).__mro__[1].__name__ != "Respawning"  # not wrapped twice


def test_the_bench_table_gives_rates_latencies_and_memory_per_session(capsys: pytest.CaptureFixture[str]) -> None:
    one = Run(1, 10, events=200, seconds=10.0, latencies=[0.01] * 95 + [0.2] * 5, cpu_seconds=4.0,
              per_worker=[(11, 20.0, 10)])
    two = Run(2, 10, events=300, seconds=10.0, latencies=[0.01] * 100, cpu_seconds=6.0,
              per_worker=[(21, 10.0, 5), (22, 0.0, 0)])
    print_runs([one, two])
    out = capsys.readouterr().out
    assert "20.0" in out and "30.0" in out  # events per second
    assert "2048 KiB x 10" in out and "pid 22: no session" in out
    assert "1.50x" in out
    assert _percentile([0.01] * 95 + [0.2] * 5, 0.99) == pytest.approx(200.0)


def test_the_ui_bench_calls_handlers_that_exist() -> None:
    from ui.language import LanguageState
    from ui.pages.integrations import IntegrationsState
    from ui.pages.signin import SignInState
    from workers.bench.ui import ACT, OPEN_PAGE, SIGN_IN

    assert SIGN_IN == SignInState.get_full_name() + ".submit" and hasattr(SignInState, "submit")
    assert OPEN_PAGE == IntegrationsState.get_full_name() + ".load" and hasattr(IntegrationsState, "load")
    assert ACT == LanguageState.get_full_name() + ".set_language" and hasattr(LanguageState, "set_language")
