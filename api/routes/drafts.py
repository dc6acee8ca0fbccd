"""Cited drafts: quarterly reviews, meeting briefs, health assessments, charter revisions, ten-keys reviews.

Each answers JSON (the draft and its Markdown), Markdown (`Accept: text/markdown` or `?format=markdown`) or a
Word document (`?format=docx`). Assessments and charter revisions are also saved as proposals to approve.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api.deps import AccountId, AssistantDep, CurrentUser, RateLimitedUser
from api.errors import problems
from api.examples import example_body
from api.rendering import DRAFT_CONTENT, DraftFormat, FormatQuery, file_response, markdown_of, wanted_format
from api.schemas import (
    CharterRevisionDraftOut,
    CharterRevisionIn,
    HealthAssessmentDraftOut,
    MeetingBriefIn,
    MeetingBriefOut,
    QuarterlyReviewOut,
    TenKeysReviewOut,
)
from assistant.drafting.signals import EarlyWarning

router = APIRouter(tags=["drafts"], responses=problems(401, 404, 422))
DRAFT_RESPONSES = {**DRAFT_CONTENT, **problems(429, 503)}

Propose = Annotated[bool, Query(description="also save the draft as a proposal for you to approve")]
MeetingBriefBody = Annotated[MeetingBriefIn | None, example_body(MeetingBriefIn)]
CharterRevisionBody = Annotated[CharterRevisionIn | None, example_body(CharterRevisionIn)]


def _respond(
    request: Request, fmt: DraftFormat | None, draft: Any, *, proposal: Any = None, proposes: bool = False
) -> Any:
    headers = {"X-Proposal-Id": str(proposal.id)} if proposal is not None else None
    response = file_response(draft, wanted_format(request, fmt), headers)
    if response is not None:
        return response
    body = {"draft": draft, "markdown": markdown_of(draft)}
    return {**body, "proposal": proposal} if proposes else body


@router.post(
    "/v1/accounts/{account_id}/reviews/quarterly", response_model=QuarterlyReviewOut, responses=DRAFT_RESPONSES
)
def draft_quarterly_review(
    request: Request, assistant: AssistantDep, actor: RateLimitedUser, account_id: AccountId, fmt: FormatQuery = None
) -> Any:
    """The quarter's review: metrics against target, early warnings, what happened, proposed actions."""
    return _respond(request, fmt, assistant.quarterly_review(actor, account_id))


@router.post(
    "/v1/accounts/{account_id}/reviews/meeting-brief", response_model=MeetingBriefOut, responses=DRAFT_RESPONSES
)
def draft_meeting_brief(
    request: Request,
    assistant: AssistantDep,
    actor: RateLimitedUser,
    account_id: AccountId,
    data: MeetingBriefBody = None,
    fmt: FormatQuery = None,
) -> Any:
    """A brief for a meeting: what changed, warnings, and questions for each attendee."""
    data = data or MeetingBriefIn()
    draft = assistant.meeting_brief(
        actor, account_id, stakeholder_ids=data.stakeholder_ids, meeting_date=data.meeting_date
    )
    return _respond(request, fmt, draft)


@router.post(
    "/v1/accounts/{account_id}/reviews/health-assessment",
    response_model=HealthAssessmentDraftOut,
    responses=DRAFT_RESPONSES,
)
def draft_health_assessment(
    request: Request,
    assistant: AssistantDep,
    actor: RateLimitedUser,
    account_id: AccountId,
    fmt: FormatQuery = None,
    propose: Propose = True,
) -> Any:
    """An evidence-based assessment of the four zones, saved as a proposal (`X-Proposal-Id` on file formats)."""
    draft, proposal = assistant.health_assessment(actor, account_id, propose=propose)
    return _respond(request, fmt, draft, proposal=proposal, proposes=True)


@router.post(
    "/v1/accounts/{account_id}/reviews/charter-revision",
    response_model=CharterRevisionDraftOut,
    responses=DRAFT_RESPONSES,
)
def draft_charter_revision(
    request: Request,
    assistant: AssistantDep,
    actor: RateLimitedUser,
    account_id: AccountId,
    data: CharterRevisionBody = None,
    fmt: FormatQuery = None,
    propose: Propose = True,
) -> Any:
    """The next charter version with a rationale per change, saved as a proposal for the signatories' review."""
    data = data or CharterRevisionIn()
    draft, proposal = assistant.charter_revision(
        actor, account_id, trigger=data.trigger, request=data.request, propose=propose
    )
    return _respond(request, fmt, draft, proposal=proposal, proposes=True)


@router.post("/v1/accounts/{account_id}/reviews/ten-keys", response_model=TenKeysReviewOut, responses=DRAFT_RESPONSES)
def review_account_ten_keys(
    request: Request, assistant: AssistantDep, actor: RateLimitedUser, account_id: AccountId, fmt: FormatQuery = None
) -> Any:
    """The account plan checked against the ten keys to strategic account planning."""
    return _respond(request, fmt, assistant.ten_keys_review(actor, account_id))


@router.get("/v1/reviews/ten-keys", response_model=TenKeysReviewOut, responses=DRAFT_RESPONSES)
def review_portfolio_ten_keys(
    request: Request, assistant: AssistantDep, actor: RateLimitedUser, fmt: FormatQuery = None
) -> Any:
    """Every account of your portfolio against the ten keys."""
    return _respond(request, fmt, assistant.ten_keys_review(actor))


@router.get("/v1/accounts/{account_id}/early-warnings", response_model=list[EarlyWarning])
def list_early_warnings(assistant: AssistantDep, actor: CurrentUser, account_id: AccountId) -> list[EarlyWarning]:
    """The early-warning signals that fire on the account now, each with its evidence and what to do."""
    return assistant.early_warnings(actor, account_id)
