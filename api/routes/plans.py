"""The account plan: action items and the growth pipeline of opportunities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AccountId, CurrentUser, PageDep, RecordId, RecordsDep
from api.errors import problems
from api.examples import ActionItemBody, ActionItemPatch, OpportunityBody, OpportunityPatch
from assistant.records.enums import ActionStatus
from assistant.records.schemas import ActionItemOut, OpportunityOut

router = APIRouter(prefix="/v1/accounts/{account_id}", responses=problems(401, 404, 422))


@router.get("/action-items", response_model=list[ActionItemOut], tags=["action items"])
def list_action_items(
    records: RecordsDep,
    actor: CurrentUser,
    account_id: AccountId,
    page: PageDep,
    status: Annotated[list[ActionStatus] | None, Query(max_length=4, description="any of these statuses")] = None,
) -> list[ActionItemOut]:
    return page.slice(records.actions.list(actor=actor, account_id=account_id, status=status or None))


@router.post("/action-items", status_code=201, response_model=ActionItemOut, tags=["action items"])
def create_action_item(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, data: ActionItemBody
) -> ActionItemOut:
    return records.actions.create(actor=actor, account_id=account_id, data=data)


@router.patch("/action-items/{action_id}", response_model=ActionItemOut, tags=["action items"])
def update_action_item(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, action_id: RecordId, data: ActionItemPatch
) -> ActionItemOut:
    return records.actions.update(actor=actor, account_id=account_id, action_id=action_id, data=data)


@router.delete("/action-items/{action_id}", status_code=204, tags=["action items"])
def delete_action_item(records: RecordsDep, actor: CurrentUser, account_id: AccountId, action_id: RecordId) -> None:
    records.actions.delete(actor=actor, account_id=account_id, action_id=action_id)


@router.get("/opportunities", response_model=list[OpportunityOut], tags=["opportunities"])
def list_opportunities(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, page: PageDep
) -> list[OpportunityOut]:
    return page.slice(records.opportunities.list(actor=actor, account_id=account_id))


@router.post("/opportunities", status_code=201, response_model=OpportunityOut, tags=["opportunities"])
def create_opportunity(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, data: OpportunityBody
) -> OpportunityOut:
    return records.opportunities.create(actor=actor, account_id=account_id, data=data)


@router.patch("/opportunities/{opportunity_id}", response_model=OpportunityOut, tags=["opportunities"])
def update_opportunity(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, opportunity_id: RecordId, data: OpportunityPatch
) -> OpportunityOut:
    return records.opportunities.update(actor=actor, account_id=account_id, opportunity_id=opportunity_id, data=data)


@router.delete("/opportunities/{opportunity_id}", status_code=204, tags=["opportunities"])
def delete_opportunity(
    records: RecordsDep, actor: CurrentUser, account_id: AccountId, opportunity_id: RecordId
) -> None:
    records.opportunities.delete(actor=actor, account_id=account_id, opportunity_id=opportunity_id)
