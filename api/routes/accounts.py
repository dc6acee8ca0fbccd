"""Accounts of the caller's portfolio."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AccountId, CurrentUser, PageDep, RecordsDep
from api.errors import problems
from api.examples import AccountBody, AccountPatch
from assistant.records.schemas import AccountOut, AccountSummary

router = APIRouter(prefix="/v1/accounts", tags=["accounts"], responses=problems(401, 404, 422))


@router.get("", response_model=list[AccountSummary])
def list_accounts(
    records: RecordsDep,
    actor: CurrentUser,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200, description="part of the account name")] = None,
    industry: Annotated[str | None, Query(max_length=200)] = None,
) -> list[AccountSummary]:
    """Your portfolio (a manager's includes the team's), by name, with the latest health."""
    return records.accounts.list(actor=actor, query=q, industry=industry, limit=page.limit, offset=page.offset)


@router.post("", status_code=201, response_model=AccountOut, responses=problems(409))
def create_account(records: RecordsDep, actor: CurrentUser, data: AccountBody) -> AccountOut:
    return records.accounts.create(actor=actor, data=data)


@router.get("/{account_id}", response_model=AccountOut)
def get_account(records: RecordsDep, actor: CurrentUser, account_id: AccountId) -> AccountOut:
    return records.accounts.get(actor=actor, account_id=account_id)


@router.patch("/{account_id}", response_model=AccountOut, responses=problems(409))
def update_account(records: RecordsDep, actor: CurrentUser, account_id: AccountId, data: AccountPatch) -> AccountOut:
    """Change only the fields sent."""
    return records.accounts.update(actor=actor, account_id=account_id, data=data)


@router.delete("/{account_id}", status_code=204)
def delete_account(records: RecordsDep, actor: CurrentUser, account_id: AccountId) -> None:
    """Delete the account and everything recorded about it (the audit trail keeps the deletion)."""
    records.accounts.delete(actor=actor, account_id=account_id)
