"""The send-time guard without a network: a fake resolver answers, a fake backend records what would be dialled."""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import ip_address
from typing import Any

import httpcore
import httpx
import pytest

from marketplace.webhooks import failures
from marketplace.webhooks.addresses import IPAddress, is_public_unicast
from marketplace.webhooks.guard import GuardedBackend, RefusedAddress


class Dialler(httpcore.AsyncNetworkBackend):
    """Records each connection asked for and fails it (nothing is ever opened)."""

    def __init__(self) -> None:
        self.dialled: list[tuple[str, int]] = []

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        self.dialled.append((host, port))
        raise httpcore.ConnectError("fake: not connected")


class Answers:
    """A resolver with fixed answers, counting how often each name is asked."""

    def __init__(self, **names: list[str]) -> None:
        self.names = {k.replace("_", "."): [ip_address(a) for a in v] for k, v in names.items()}
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[IPAddress]:
        self.asked.append(host)
        return self.names[host]


def guard(answers: Answers) -> tuple[GuardedBackend, Dialler]:
    dialler = Dialler()
    return GuardedBackend(is_public_unicast, answers, inner=dialler), dialler


class TestSendTimeGuard:
    @pytest.mark.parametrize("answer", ["127.0.0.1", "100.64.0.1", "10.0.0.5", "172.18.0.2", "169.254.169.254",
                                        "::1", "::ffff:127.0.0.1", "64:ff9b::a00:1", "2002:a00:1::", "fe80::1",
                                        "0.0.0.0", "224.0.0.251"])
    async def test_a_name_resolving_inside_is_refused_before_any_dial(self, answer: str) -> None:
        backend, dialler = guard(Answers(hooks_example_test=[answer]))
        with pytest.raises(RefusedAddress):
            await backend.connect_tcp("hooks.example.test", 443)
        assert dialler.dialled == []

    async def test_one_internal_answer_among_public_ones_refuses_the_host(self) -> None:
        backend, dialler = guard(Answers(hooks_example_test=["8.8.8.8", "10.0.0.1"]))
        with pytest.raises(RefusedAddress):
            await backend.connect_tcp("hooks.example.test", 443)
        assert dialler.dialled == []

    async def test_the_checked_address_is_dialled_and_the_name_is_resolved_once(self) -> None:
        answers = Answers(hooks_example_test=["8.8.8.8", "2606:4700::1111"])
        backend, dialler = guard(answers)
        with pytest.raises(httpcore.ConnectError):
            await backend.connect_tcp("hooks.example.test", 443)
        assert dialler.dialled == [("8.8.8.8", 443), ("2606:4700::1111", 443)]  # addresses, never the name
        assert answers.asked == ["hooks.example.test"]

    async def test_an_ipv4_mapped_answer_is_dialled_as_ipv4(self) -> None:
        backend, dialler = guard(Answers(hooks_example_test=["::ffff:8.8.8.8"]))
        with pytest.raises(httpcore.ConnectError):
            await backend.connect_tcp("hooks.example.test", 80)
        assert dialler.dialled == [("8.8.8.8", 80)]

    async def test_unix_sockets_are_refused(self) -> None:
        backend, _ = guard(Answers())
        with pytest.raises(httpcore.ConnectError):
            await backend.connect_unix_socket("/run/postgresql/.s.PGSQL.5432")


class TestFailureClasses:
    def test_statuses_and_errors_become_classes(self) -> None:
        assert [failures.of_status(s) for s in (302, 404, 503, 101)] == ["http_3xx", "http_4xx", "http_5xx",
                                                                          "protocol"]
        assert failures.of_error(RefusedAddress("x", ip_address("127.0.0.1"))) == "internal_address"
        assert failures.of_error(httpx.ConnectTimeout("t")) == "timeout"
        assert failures.of_error(httpx.ConnectError("[Errno 111] Connection refused")) == "connect"
        assert failures.of_error(httpx.RemoteProtocolError("illegal status line")) == "protocol"

    def test_rows_written_before_classes_never_show_their_text(self) -> None:
        assert failures.shown("ConnectError: [Errno 111] Connection refused", None) == "other"
        assert failures.shown("HTTP 502", 502) == "http_5xx"
        assert failures.shown("webhook supprimé", None) == "webhook_removed"
        assert failures.shown("timeout", None) == "timeout"
        assert failures.shown(None, 200) is None
