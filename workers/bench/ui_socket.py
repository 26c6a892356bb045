"""A simulated person on the UI's event socket: Socket.IO (Engine.IO 4) over a websocket, spoken directly.

Just what `seconde-vie bench ui` needs: connect with a tab token, send Reflex events (a handler's full name,
its payload and the page's router data) and wait for the state update marked final. wsproto does the
websocket framing; no browser, so the bench measures the UI processes and not Chromium.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Message, Ping, Request, TextMessage

NAMESPACE = "/_event"  # Reflex's Socket.IO namespace, on the path of the same name


class SocketClosed(Exception):
    pass


class EventSocket:
    """One tab: its token, one websocket to `/_event`, events answered in order."""

    def __init__(self, base_url: str) -> None:
        self.base = urlsplit(base_url)
        self.token = str(uuid.uuid4())
        self._ws = WSConnection(ConnectionType.CLIENT)
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._texts: asyncio.Queue[str] = asyncio.Queue()
        self._pump: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        host, port = self.base.hostname or "127.0.0.1", self.base.port or 80
        self._reader, self._writer = await asyncio.open_connection(host, port)
        target = f"/_event/?token={self.token}&EIO=4&transport=websocket"
        self._send(self._ws.send(Request(host=f"{host}:{port}", target=target)))
        while True:
            data = await self._reader.read(65536)
            if not data:
                raise SocketClosed("the UI closed the socket during the handshake")
            self._ws.receive_data(data)
            if any(isinstance(e, AcceptConnection) for e in self._ws.events()):
                break
        self._pump = asyncio.create_task(self._read())
        opened = await self._next()
        assert opened.startswith("0"), opened
        self._text("40" + NAMESPACE + ",")
        while not (await self._next()).startswith("40" + NAMESPACE):
            pass

    def _send(self, data: bytes) -> None:
        assert self._writer is not None
        self._writer.write(data)

    def _text(self, text: str) -> None:
        self._send(self._ws.send(Message(data=text)))

    async def _read(self) -> None:
        assert self._reader is not None
        buffered = ""
        while data := await self._reader.read(65536):
            self._ws.receive_data(data)
            for event in self._ws.events():
                if isinstance(event, TextMessage):
                    buffered += event.data
                    if event.message_finished:
                        if buffered == "2":  # Engine.IO ping
                            self._text("3")
                        else:
                            await self._texts.put(buffered)
                        buffered = ""
                elif isinstance(event, Ping):
                    self._send(self._ws.send(event.response()))
                elif isinstance(event, CloseConnection):
                    await self._texts.put("")
                    return
        await self._texts.put("")

    async def _next(self, timeout: float = 60.0) -> str:
        text = await asyncio.wait_for(self._texts.get(), timeout)
        if text == "":
            raise SocketClosed("the UI closed the socket")
        return text

    async def event(self, name: str, payload: dict[str, Any], path: str) -> tuple[float, dict[str, Any]]:
        """Send one event; the seconds until its final update, and the deltas received meanwhile."""
        body = {"name": name, "payload": payload,
                "router_data": {"pathname": path, "query": {}, "asPath": path}}
        started = time.perf_counter()
        self._text("42" + NAMESPACE + "," + json.dumps(["event", body]))
        delta: dict[str, Any] = {}
        while True:
            text = await self._next()
            if not text.startswith("42" + NAMESPACE + ","):
                continue
            kind, *args = json.loads(text[len(NAMESPACE) + 3:])
            if kind != "event" or not args:
                continue
            update = args[0] if isinstance(args[0], dict) else json.loads(args[0])
            delta.update(update.get("delta") or {})
            if update.get("final", True):
                return time.perf_counter() - started, delta

    async def close(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
        if self._writer is not None:
            self._writer.close()
