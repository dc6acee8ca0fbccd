"""Proposals: record changes the assistant prepared. Approving applies one in a single transaction (audited on
the `assistant` channel, as you); rejecting leaves the records as they are."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import MAX_ID, AssistantDep, CurrentUser, RecordId
from api.errors import problems
from api.examples import example_body
from api.schemas import RejectIn
from assistant.proposals.models import ProposalStatus
from assistant.proposals.service import ProposalOut

RejectBody = Annotated[RejectIn | None, example_body(RejectIn)]

router = APIRouter(prefix="/v1/proposals", tags=["proposals"], responses=problems(401, 404, 422))


@router.get("", response_model=list[ProposalOut])
def list_proposals(
    assistant: AssistantDep,
    actor: CurrentUser,
    status: ProposalStatus | None = None,
    account_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> list[ProposalOut]:
    """Newest first, for the accounts of your portfolio."""
    if account_id is not None:
        assistant.records.accounts.get(actor=actor, account_id=account_id)
    return assistant.list_proposals(actor, status=status, account_id=account_id)


@router.get("/{proposal_id}", response_model=ProposalOut)
def get_proposal(assistant: AssistantDep, actor: CurrentUser, proposal_id: RecordId) -> ProposalOut:
    return assistant.proposals.get(actor=actor, proposal_id=proposal_id)


@router.post("/{proposal_id}/approve", response_model=ProposalOut, responses=problems(409))
def approve_proposal(assistant: AssistantDep, actor: CurrentUser, proposal_id: RecordId) -> ProposalOut:
    """Apply the change. If the records refuse it (the data moved on), nothing is applied and the proposal comes
    back with status `failed` and the reason in `error`. Deciding twice is a 409."""
    return assistant.approve(actor, proposal_id)


@router.post("/{proposal_id}/reject", response_model=ProposalOut, responses=problems(409))
def reject_proposal(
    assistant: AssistantDep, actor: CurrentUser, proposal_id: RecordId, data: RejectBody = None
) -> ProposalOut:
    return assistant.reject(actor, proposal_id, reason=data.reason if data is not None else "")
