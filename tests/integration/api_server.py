"""The REST API served for real (uvicorn on a free loopback port) inside the test's event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import uvicorn
from jsonschema import Draft202012Validator
from starlette.applications import Starlette

from marketplace.api.ratelimit import Limiter
from marketplace.runtime.embedded import free_port
from ui.api_routes import api_routes


@asynccontextmanager
async def serve_api(marketplace: Any, limiter: Limiter | None = None) -> AsyncIterator[str]:
    """Yields the base URL; the server shares the test's loop, so it can use the stack's pool."""

    async def provider() -> Any:
        return marketplace

    port = free_port()
    app = Starlette(routes=api_routes(provider, limiter))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


class ContractClient:
    """An HTTP client that checks every response against the OpenAPI document the server publishes."""

    def __init__(self, base: str, document: dict[str, Any]) -> None:
        self.base = base
        self.document = document
        self.checked = 0

    async def call(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(base_url=self.base) as client:
            response = await client.request(method, path, headers=headers, **kwargs)
        self._check(method, path, response)
        return response

    def _check(self, method: str, path: str, response: httpx.Response) -> None:
        template = _template(path.split("?")[0], self.document["paths"])
        spec = self.document["paths"][template][method.lower()]["responses"]
        declared = spec.get(str(response.status_code))
        assert declared is not None, f"{method} {path}: status {response.status_code} not in the document"
        if "application/json" not in declared["content"]:  # a document (PDF): its media type is the contract
            media = response.headers["content-type"].split(";")[0]
            assert media in declared["content"], f"{method} {path}: {media} not in the document"
            self.checked += 1
            return
        schema = {**declared["content"]["application/json"]["schema"], "components": self.document["components"]}
        Draft202012Validator(schema).validate(response.json())
        self.checked += 1


def _template(path: str, paths: dict[str, Any]) -> str:
    parts = path.strip("/").split("/")
    for template in paths:
        tparts = template.strip("/").split("/")
        if len(tparts) == len(parts) and all(t.startswith("{") or t == p for t, p in zip(tparts, parts, strict=True)):
            return template
    raise AssertionError(f"{path} is not in the OpenAPI document")
