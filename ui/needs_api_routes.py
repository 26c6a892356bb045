"""The REST API's routes for needs, proposals and loans (issue 21), over `marketplace/api/needs_api.py`.

`api_routes` hands in its `endpoint` wrapper (token, rate limit, errors as statuses) and its body reader.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.routing import Route

from marketplace.api.needs_api import NeedCalls
from marketplace.domain.errors import InvalidInput
from schemas.needs import AcceptProposalInput, DeclineProposalInput, LendInput, NeedInput, ReturnLoanInput
from schemas.views import UserView

Body = Callable[[Request, type[BaseModel]], Awaitable[Any]]


def need_routes(endpoint: Callable[[Any], Any], body: Body) -> list[Route]:
    async def data(request: Request, model: type[BaseModel]) -> dict[str, Any]:
        parsed: BaseModel = await body(request, model)
        return parsed.model_dump(mode="json", exclude_unset=True)

    def calls_of(calls: Any) -> NeedCalls:
        return NeedCalls(calls.marketplace)

    async def list_needs(request: Request, calls: Any, who: UserView) -> BaseModel:
        return await calls_of(calls).list_needs(who, request.query_params.get("status") or None)

    async def post_need(request: Request, calls: Any, who: UserView) -> BaseModel:
        return await calls_of(calls).post_need(who, await data(request, NeedInput))

    async def edit_need(request: Request, calls: Any, who: UserView) -> BaseModel:
        return await calls_of(calls).edit_need(who, request.path_params["need_id"], await data(request, NeedInput))

    async def change_need(request: Request, calls: Any, who: UserView) -> BaseModel:
        return await calls_of(calls).change_need(who, request.path_params["need_id"], request.path_params["action"])

    async def proposals(request: Request, calls: Any, who: UserView) -> BaseModel:
        return await calls_of(calls).proposals(who, request.query_params.get("status") or None)

    async def accept(request: Request, calls: Any, who: UserView) -> BaseModel:
        return await calls_of(calls).accept(who, request.path_params["proposal_id"],
                                            await data(request, AcceptProposalInput))

    async def decline(request: Request, calls: Any, who: UserView) -> BaseModel:
        return await calls_of(calls).decline(who, request.path_params["proposal_id"],
                                             await data(request, DeclineProposalInput))

    async def list_loans(request: Request, calls: Any, who: UserView) -> BaseModel:
        overdue = request.query_params.get("overdue", "false")
        if overdue not in ("true", "false"):
            raise InvalidInput(detail="overdue: true ou false attendu")
        return await calls_of(calls).list_loans(who, overdue == "true")

    async def lend(request: Request, calls: Any, who: UserView) -> BaseModel:
        return await calls_of(calls).lend(who, request.path_params["code"], await data(request, LendInput))

    async def return_loan(request: Request, calls: Any, who: UserView) -> BaseModel:
        return await calls_of(calls).return_loan(who, request.path_params["code"], await data(request, ReturnLoanInput))

    return [
        Route("/api/needs", endpoint(list_needs), methods=["GET"]),
        Route("/api/needs", endpoint(post_need), methods=["POST"]),
        Route("/api/needs/{need_id}", endpoint(edit_need), methods=["PUT"]),
        Route("/api/needs/{need_id}/{action}", endpoint(change_need), methods=["POST"]),
        Route("/api/proposals", endpoint(proposals), methods=["GET"]),
        Route("/api/proposals/{proposal_id}/accept", endpoint(accept), methods=["POST"]),
        Route("/api/proposals/{proposal_id}/decline", endpoint(decline), methods=["POST"]),
        Route("/api/loans", endpoint(list_loans), methods=["GET"]),
        Route("/api/devices/{code}/loans", endpoint(lend), methods=["POST"]),
        Route("/api/devices/{code}/loans/return", endpoint(return_loan), methods=["POST"]),
    ]
