"""The REST API's needs, proposals and loans (issue 21): the same services and rules as the UI, for a token's
organisation (`tokens.authenticate`: the role of its kind, never admin). Their OpenAPI paths are here too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from marketplace.services.loans import LoanServices
from marketplace.services.needs import NeedServices
from schemas.needs import (
    AcceptProposalInput,
    DeclineProposalInput,
    LendInput,
    LoanView,
    NeedInput,
    NeedView,
    ProposalView,
    ReturnLoanInput,
)
from schemas.views import UserView

if TYPE_CHECKING:
    from marketplace.services import Marketplace


class NeedList(BaseModel):
    items: list[NeedView]


class ProposalList(BaseModel):
    items: list[ProposalView]


class LoanList(BaseModel):
    items: list[LoanView]


class ProposalAnswer(BaseModel):
    device_code: str | None = None  # accepted: the device now reserved for the need's organisation
    proposed_again: bool | None = None  # declined: whether the device went on to another need


class LoanResult(BaseModel):
    loan_id: str | None = None  # lent
    state: str | None = None  # returned: `delivered`, or `returned` when it came back faulty or broken


MODELS: list[type[BaseModel]] = [NeedInput, NeedView, NeedList, ProposalList, ProposalAnswer, AcceptProposalInput,
                                 DeclineProposalInput, LendInput, ReturnLoanInput, LoanList, LoanResult]


class NeedCalls:
    def __init__(self, marketplace: Marketplace) -> None:
        self.needs = NeedServices(marketplace.pool, marketplace.settings)
        self.loans = LoanServices(marketplace.pool, marketplace.settings)

    async def list_needs(self, who: UserView, status: str | None) -> NeedList:
        return NeedList(items=await self.needs.needs_as(who, status))

    async def post_need(self, who: UserView, data: dict[str, Any]) -> NeedView:
        return await self.needs.post_need_as(who, data)

    async def edit_need(self, who: UserView, need_id: str, data: dict[str, Any]) -> NeedView:
        return await self.needs.edit_need_as(who, need_id, data)

    async def change_need(self, who: UserView, need_id: str, action: str) -> NeedView:
        return await self.needs.change_need_as(who, need_id, action)

    async def proposals(self, who: UserView, status: str | None) -> ProposalList:
        return ProposalList(items=await self.needs.proposals_as(who, status))

    async def accept(self, who: UserView, proposal_id: str, data: dict[str, Any]) -> ProposalAnswer:
        return ProposalAnswer(device_code=await self.needs.accept_proposal_as(who, proposal_id, data))

    async def decline(self, who: UserView, proposal_id: str, data: dict[str, Any]) -> ProposalAnswer:
        return ProposalAnswer(proposed_again=await self.needs.decline_proposal_as(who, proposal_id, data))

    async def list_loans(self, who: UserView, overdue: bool) -> LoanList:
        return LoanList(items=await self.loans.loans_as(who, overdue))

    async def lend(self, who: UserView, code: str, data: dict[str, Any]) -> LoanResult:
        return LoanResult(loan_id=await self.loans.lend_as(who, code, data))

    async def return_loan(self, who: UserView, code: str, data: dict[str, Any]) -> LoanResult:
        return LoanResult(state=await self.loans.return_loan_as(who, code, data))


def paths(ref: Any, json_body: Any, responses: Any, query: Any, code: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI paths, built with the document's own helpers (`openapi.py`)."""
    need_id = {"name": "need_id", "in": "path", "required": True, "schema": {"type": "string"},
               "description": "The need's id (as listed)."}
    proposal_id = {"name": "proposal_id", "in": "path", "required": True, "schema": {"type": "string"},
                   "description": "The proposal's id (as listed)."}
    statuses = {"type": "string", "enum": ["open", "paused", "met", "cancelled", "expired"]}
    body = {"required": True, "content": json_body(NeedInput)}
    return {
        "/api/needs": {
            "get": {"operationId": "listNeeds", "summary": "Needs the organisation may read: its own (a tiers-lieu, "
                                                           "an association), those of its territory (workshops)",
                    "parameters": [query("status", statuses, "Only needs in this status")],
                    "responses": responses("200", NeedList, "422")},
            "post": {"operationId": "postNeed", "summary": "Post a need (tiers-lieux and associations)",
                     "requestBody": body, "responses": responses("200", NeedView, "400", "403", "413", "422")},
        },
        "/api/needs/{need_id}": {"put": {
            "operationId": "editNeed", "summary": "Edit one's own need (open, paused or past its date)",
            "parameters": [need_id], "requestBody": body,
            "responses": responses("200", NeedView, "400", "403", "404", "409", "413", "422")}},
        "/api/needs/{need_id}/{action}": {"post": {
            "operationId": "changeNeed", "summary": "Pause, resume or cancel one's own need",
            "parameters": [need_id, {"name": "action", "in": "path", "required": True,
                                     "schema": {"type": "string", "enum": ["pause", "resume", "cancel"]}}],
            "responses": responses("200", NeedView, "403", "404", "409", "422")}},
        "/api/proposals": {"get": {
            "operationId": "listProposals", "summary": "Devices proposed to the organisation's needs, with reasons",
            "parameters": [query("status", {"type": "string", "enum": ["open", "accepted", "declined", "withdrawn"]},
                                 "Only proposals in this status (default: all)")],
            "responses": responses("200", ProposalList, "403", "422")}},
        "/api/proposals/{proposal_id}/accept": {"post": {
            "operationId": "acceptProposal", "summary": "Accept: the device is reserved for the organisation",
            "parameters": [proposal_id], "requestBody": {"required": False, "content": json_body(AcceptProposalInput)},
            "responses": responses("200", ProposalAnswer, "400", "403", "404", "409", "413", "422")}},
        "/api/proposals/{proposal_id}/decline": {"post": {
            "operationId": "declineProposal", "summary": "Decline: the device goes to the next need",
            "parameters": [proposal_id], "requestBody": {"required": False, "content": json_body(DeclineProposalInput)},
            "responses": responses("200", ProposalAnswer, "400", "403", "404", "409", "413", "422")}},
        "/api/loans": {"get": {
            "operationId": "listLoans", "summary": "The organisation's loans, open and overdue first",
            "parameters": [query("overdue", {"type": "boolean", "default": False}, "Only overdue loans")],
            "responses": responses("200", LoanList, "403", "422")}},
        "/api/devices/{code}/loans": {"post": {
            "operationId": "lendDevice", "summary": "Lend a delivered device the organisation holds (no name kept)",
            "parameters": [code], "requestBody": {"required": True, "content": json_body(LendInput)},
            "responses": responses("200", LoanResult, "400", "403", "404", "409", "413", "422")}},
        "/api/devices/{code}/loans/return": {"post": {
            "operationId": "returnLoan", "summary": "Record the return of the device's loan, with its condition",
            "parameters": [code], "requestBody": {"required": True, "content": json_body(ReturnLoanInput)},
            "responses": responses("200", LoanResult, "400", "403", "404", "409", "413", "422")}},
    }
