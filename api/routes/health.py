"""Health assessments: ours, the customer's and the assistant's, each zone scored with evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AccountId, CurrentUser, RecordId, RecordsDep
from api.errors import problems
from api.examples import HealthAssessmentBody
from assistant.records.enums import Assessor
from assistant.records.schemas import HealthAssessmentOut

router = APIRouter(
    prefix="/v1/accounts/{account_id}/health-assessments", tags=["health"], responses=problems(401, 404, 422)
)


@router.get("", response_model=list[HealthAssessmentOut])
def list_health_assessments(
    records: RecordsDep,
    actor: CurrentUser,
    account_id: AccountId,
    assessor: Assessor | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[HealthAssessmentOut]:
    """Newest first."""
    return records.health.list(actor=actor, account_id=account_id, assessor=assessor, limit=limit)


@router.post("", status_code=201, response_model=HealthAssessmentOut)
def create_health_assessment(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, data: HealthAssessmentBody
) -> HealthAssessmentOut:
    """Record an assessment; the evidence it cites must be records of this account dated on or before it."""
    return records.health.create(actor=actor, account_id=account_id, data=data)


@router.get("/{assessment_id}", response_model=HealthAssessmentOut)
def get_health_assessment(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, assessment_id: RecordId
) -> HealthAssessmentOut:
    return records.health.get(actor=actor, account_id=account_id, assessment_id=assessment_id)
