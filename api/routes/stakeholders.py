"""Stakeholders on both sides, their stance history, and who on our team covers whom."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AccountId, CurrentUser, PageDep, RecordId, RecordsDep
from api.errors import problems
from api.examples import CoverageBody, StakeholderBody, StakeholderPatch, StakeholderReplaceBody
from assistant.records.enums import Side
from assistant.records.schemas import CoverageOut, StakeholderOut, StanceChangeOut

router = APIRouter(prefix="/v1/accounts/{account_id}", tags=["stakeholders"], responses=problems(401, 404, 422))


@router.get("/stakeholders", response_model=list[StakeholderOut])
def list_stakeholders(
    records: RecordsDep,
    actor: CurrentUser,
    account_id: AccountId,
    page: PageDep,
    side: Side | None = None,
    include_inactive: bool = False,
) -> list[StakeholderOut]:
    found = records.stakeholders.list(actor=actor, account_id=account_id, side=side, include_inactive=include_inactive)
    return page.slice(found)


@router.post("/stakeholders", status_code=201, response_model=StakeholderOut, responses=problems(409))
def create_stakeholder(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, data: StakeholderBody
) -> StakeholderOut:
    return records.stakeholders.create(actor=actor, account_id=account_id, data=data)


@router.get("/stakeholders/{stakeholder_id}", response_model=StakeholderOut)
def get_stakeholder(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, stakeholder_id: RecordId
) -> StakeholderOut:
    return records.stakeholders.get(actor=actor, account_id=account_id, stakeholder_id=stakeholder_id)


@router.patch("/stakeholders/{stakeholder_id}", response_model=StakeholderOut, responses=problems(409))
def update_stakeholder(
    records: RecordsDep,
    actor: CurrentUser,
    account_id: AccountId,
    stakeholder_id: RecordId,
    data: StakeholderPatch,
    effective_on: Annotated[date | None, Query(description="when a stance change took effect (default today)")] = None,
) -> StakeholderOut:
    return records.stakeholders.update(
        actor=actor, account_id=account_id, stakeholder_id=stakeholder_id, data=data, effective_on=effective_on
    )


@router.delete("/stakeholders/{stakeholder_id}", status_code=204, responses=problems(409))
def delete_stakeholder(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, stakeholder_id: RecordId
) -> None:
    """Signatories of a charter cannot be deleted (409): mark them as left or replace them."""
    records.stakeholders.delete(actor=actor, account_id=account_id, stakeholder_id=stakeholder_id)


@router.post(
    "/stakeholders/{stakeholder_id}/replace", status_code=201, response_model=StakeholderOut, responses=problems(409)
)
def replace_stakeholder(
    records: RecordsDep,
    actor: CurrentUser,
    account_id: AccountId,
    stakeholder_id: RecordId,
    data: StakeholderReplaceBody,
) -> StakeholderOut:
    """Someone left and a successor took the seat: both are kept and linked. Returns the successor."""
    return records.stakeholders.replace(
        actor=actor,
        account_id=account_id,
        stakeholder_id=stakeholder_id,
        successor=data.successor,
        left_on=data.left_on,
    )


@router.get("/stakeholders/{stakeholder_id}/history", response_model=list[StanceChangeOut])
def get_stance_history(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, stakeholder_id: RecordId
) -> list[StanceChangeOut]:
    """How the stakeholder's stance changed over time, oldest first."""
    return records.stakeholders.stance_history(actor=actor, account_id=account_id, stakeholder_id=stakeholder_id)


@router.get("/coverage", response_model=list[CoverageOut])
def list_coverage(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, current_only: bool = True
) -> list[CoverageOut]:
    """Relationship coverage: which of our team members holds which client relationship."""
    return records.stakeholders.list_coverage(actor=actor, account_id=account_id, current_only=current_only)


@router.post("/coverage", status_code=201, response_model=CoverageOut)
def add_coverage(records: RecordsDep, actor: CurrentUser, account_id: AccountId, data: CoverageBody) -> CoverageOut:
    return records.stakeholders.add_coverage(actor=actor, account_id=account_id, data=data)
