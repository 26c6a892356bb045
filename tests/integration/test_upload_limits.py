"""Uploads are refused before they are read: the CSV import's door and the REST API's body, attacked with
bodies that record how much of them the server pulled. On the real stack."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from marketplace.api.tokens import TokenServices
from marketplace.domain.errors import Forbidden, NotAuthenticated
from marketplace.imports.decoding import MAX_BYTES, ImportFileError
from marketplace.imports.door import ImportDoor
from tests.integration.journeys import Journeys
from ui.api_routes import MAX_BODY_BYTES, api_routes

MIB = 1024 * 1024
GLPI = (Path(__file__).parent.parent / "fixtures" / "imports" / "glpi_computers_utf8_bom.csv").read_bytes()


class RecordingUpload:
    """An upload arriving in `chunk`-byte pieces (`total` bytes in all), counting what the server pulls."""

    def __init__(self, total: int, chunk: int = MIB, content: bytes = b"x") -> None:
        self.total, self.chunk, self.content = total, chunk, content
        self.pulled_chunks = self.pulled_bytes = 0

    async def chunks(self) -> AsyncIterator[bytes]:
        sent = 0
        while sent < self.total:
            piece = (self.content * self.chunk)[: min(self.chunk, self.total - sent)]
            self.pulled_chunks += 1
            self.pulled_bytes += len(piece)
            sent += len(piece)
            yield piece


class TestImportUpload:
    @pytest.mark.parametrize("role", ["refurbisher", "third_place", "auditor", None])
    async def test_a_caller_who_may_not_import_is_refused_before_a_byte_is_read(self, stack: Any,
                                                                                 role: str | None) -> None:
        token = await Journeys(stack).token(role) if role else None
        upload = RecordingUpload(50 * MIB)
        with pytest.raises(Forbidden if role else NotAuthenticated):
            await ImportDoor(stack.marketplace).preview_upload(token, upload.chunks())
        assert upload.pulled_bytes == 0

    async def test_an_oversized_upload_stops_being_read_right_after_the_limit(self, stack: Any) -> None:
        token = await Journeys(stack).token("asset_manager")
        upload = RecordingUpload(50 * MIB)  # 1 MiB pieces: the sixth passes the 5 MiB limit
        with pytest.raises(ImportFileError, match="dépasse la limite de 5 Mo"):
            await ImportDoor(stack.marketplace).preview_upload(token, upload.chunks())
        assert (upload.pulled_chunks, upload.pulled_bytes) == (MAX_BYTES // MIB + 1, MAX_BYTES + MIB)

    async def test_a_file_within_the_limit_is_previewed(self, stack: Any) -> None:
        token = await Journeys(stack).token("asset_manager")
        async def pieces() -> AsyncIterator[bytes]:
            for start in range(0, len(GLPI), 100):
                yield GLPI[start:start + 100]

        preview, data = await ImportDoor(stack.marketplace).preview_upload(token, pieces())
        assert data == GLPI and len(preview.to_create) == 5


class BodyRecorder:
    """An ASGI `receive` that hands the app a body in 64 KiB messages and counts those it asked for."""

    def __init__(self, total: int, chunk: int = 64 * 1024) -> None:
        self.total, self.chunk, self.sent = total, chunk, 0
        self.asked = 0

    async def receive(self) -> dict[str, Any]:
        self.asked += 1
        piece = b"[" * min(self.chunk, self.total - self.sent)
        self.sent += len(piece)
        return {"type": "http.request", "body": piece, "more_body": self.sent < self.total}


async def post(stack: Any, path: str, token: str, body: BodyRecorder, declared: int | None) -> tuple[int, bytes]:
    """One request through the API's real Starlette routes, in process, with `body` as its stream."""

    async def provider() -> Any:
        return stack.marketplace

    app = Starlette(routes=api_routes(provider))
    headers = [(b"authorization", f"Bearer {token}".encode()), (b"content-type", b"application/json")]
    if declared is not None:
        headers.append((b"content-length", str(declared).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "headers": headers,
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000), "root_path": ""}
    answer: dict[str, Any] = {"body": b""}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        else:
            answer["body"] += message.get("body", b"")

    await app(scope, body.receive, send)
    return answer["status"], answer["body"]


async def api_token(stack: Any, role: str) -> str:
    journeys = Journeys(stack)
    return (await TokenServices(stack.marketplace).create(await journeys.token(role), f"logiciel {role}")).token


class TestApiBody:
    async def test_a_token_that_may_not_retire_gets_its_body_refused_unread(self, stack: Any) -> None:
        body = BodyRecorder(50 * MIB)
        status, answer = await post(stack, "/api/retirements", await api_token(stack, "refurbisher"), body, None)
        assert (status, body.asked) == (403, 0)
        assert b'"error"' in answer

    async def test_a_declared_length_over_the_limit_is_refused_unread(self, stack: Any) -> None:
        body = BodyRecorder(50 * MIB)
        status, answer = await post(stack, "/api/retirements", await api_token(stack, "asset_manager"), body,
                                    50 * MIB)
        assert (status, body.asked) == (413, 0)
        assert b"api.too_large" in answer

    @pytest.mark.parametrize("path", ["/api/retirements", "/api/devices/ABCD-EFGH-JKLM/actions"])
    async def test_a_streamed_body_over_the_limit_stops_being_read_after_it(self, stack: Any, path: str) -> None:
        body = BodyRecorder(50 * MIB)  # no Content-Length: chunked, as a client may send it
        status, _ = await post(stack, path, await api_token(stack, "asset_manager"), body, None)
        assert status == 413
        assert body.asked == MAX_BODY_BYTES // body.chunk + 1  # the message that passed the limit, no more
