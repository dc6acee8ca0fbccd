"""Account notes: meetings, calls, emails, observations. The search index follows every change."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import AccountId, CurrentUser, PageDep, RecordId, RecordsDep
from api.errors import problems
from api.examples import NoteBody, NotePatch
from assistant.records.schemas import NoteOut

router = APIRouter(tags=["notes"], responses=problems(401, 404, 422))


@router.get("/v1/accounts/{account_id}/notes", response_model=list[NoteOut])
def list_notes(
    records: RecordsDep,
    actor: CurrentUser,
    account_id: AccountId,
    page: PageDep,
    since: Annotated[date | None, Query(description="on or after this day")] = None,
    until: Annotated[date | None, Query(description="on or before this day")] = None,
    q: Annotated[str | None, Query(max_length=200, description="text the note contains")] = None,
) -> list[NoteOut]:
    return records.notes.list(
        actor=actor, account_id=account_id, since=since, until=until, text=q, limit=page.limit, offset=page.offset
    )


@router.post("/v1/accounts/{account_id}/notes", status_code=201, response_model=NoteOut)
def create_note(records: RecordsDep, actor: CurrentUser, account_id: AccountId, data: NoteBody) -> NoteOut:
    return records.notes.create(actor=actor, account_id=account_id, data=data)


@router.get("/v1/notes/{note_id}", response_model=NoteOut)
def get_note(records: RecordsDep, actor: CurrentUser, note_id: RecordId) -> NoteOut:
    return records.notes.get(actor=actor, note_id=note_id)


@router.patch("/v1/notes/{note_id}", response_model=NoteOut)
def update_note(records: RecordsDep, actor: CurrentUser, note_id: RecordId, data: NotePatch) -> NoteOut:
    return records.notes.update(actor=actor, note_id=note_id, data=data)


@router.delete("/v1/notes/{note_id}", status_code=204)
def delete_note(records: RecordsDep, actor: CurrentUser, note_id: RecordId) -> None:
    records.notes.delete(actor=actor, note_id=note_id)
