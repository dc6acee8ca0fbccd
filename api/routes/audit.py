"""The audit trail of record changes, scoped to the caller's portfolio."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import MAX_ID, AccountId, CurrentUser, PageDep, RecordsDep
from api.errors import problems
from assistant.records.schemas import AuditEventOut

router = APIRouter(tags=["audit"], responses=problems(401, 404, 422))

Entity = Annotated[str | None, Query(max_length=50, description="e.g. note, stakeholder, charter")]
EntityId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


@router.get("/v1/audit-events", response_model=list[AuditEventOut])
def list_audit_events(
    records: RecordsDep,
    actor: CurrentUser,
    page: PageDep,
    account_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    entity: Entity = None,
    entity_id: EntityId = None,
) -> list[AuditEventOut]:
    """Newest first: who changed what, when, through which channel (cli, api, ui, assistant, ...)."""
    events = records.audit.list(
        actor=actor, account_id=account_id, entity=entity, entity_id=entity_id, limit=page.offset + page.limit
    )
    return page.slice(events)


@router.get("/v1/accounts/{account_id}/audit-events", response_model=list[AuditEventOut])
def list_account_audit_events(
    records: RecordsDep,
    actor: CurrentUser,
    account_id: AccountId,
    page: PageDep,
    entity: Entity = None,
    entity_id: EntityId = None,
) -> list[AuditEventOut]:
    events = records.audit.list(
        actor=actor, account_id=account_id, entity=entity, entity_id=entity_id, limit=page.offset + page.limit
    )
    return page.slice(events)
