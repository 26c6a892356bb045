"""The local SMTP catcher of `seconde-vie up`: a real SMTP server (aiosmtpd) on a free loopback port that
writes each message it receives to DATA_DIR/mail/<time>-<n>.eml, for the demo and for admins to read on
/admin/courriels. It delivers nothing anywhere."""

from __future__ import annotations

import itertools
import socket
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class _Writer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._n = itertools.count()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}-{next(self._n)}.eml"
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(envelope.original_content or envelope.content)
        tmp.rename(self.folder / name)  # readers never see half a message
        return "250 OK"


class MailCatcher:
    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.folder, self.host = folder, host
        self.port = port or free_port(host)
        self._controller = Controller(_Writer(folder), hostname=host, port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
