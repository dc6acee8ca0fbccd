"""Account notes, with a hook that keeps the retrieval index in step with SQL (the source of truth)."""

from __future__ import annotations

import builtins
import logging
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from assistant.records.actor import Actor
from assistant.records.enums import AuditAction
from assistant.records.errors import InvalidInput, NotFound
from assistant.records.models import Note, Stakeholder
from assistant.records.repositories import activity as repo
from assistant.records.repositories.scoping import get_visible_account
from assistant.records.schemas import NoteIn, NoteOut, NoteUpdate
from assistant.records.services.base import Service, parse, record_audit

log = logging.getLogger(__name__)


def _visible_note(session: Session, actor: Actor, note_id: int) -> Note:
    note = repo.get_note(session, note_id)
    try:
        get_visible_account(session, actor, note.account_id)
    except NotFound:
        # Answer exactly as for a missing note: naming the account would leak that the note exists.
        raise NotFound("note", note_id) from None
    return note


class NoteListener(Protocol):
    """Told about every committed note change (the search index implements this)."""

    def note_saved(self, note: NoteOut) -> None: ...

    def note_deleted(self, note_id: int) -> None: ...


class NoteService(Service):
    def __init__(self, sessions: sessionmaker[Session], *, listener: NoteListener | None = None) -> None:
        super().__init__(sessions)
        self._listener = listener

    def list(
        self,
        *,
        actor: Actor,
        account_id: int,
        since: date | None = None,
        until: date | None = None,
        text: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> builtins.list[NoteOut]:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            found = repo.list_notes(
                session, account_id, since=since, until=until, text=text, limit=limit, offset=offset
            )
            return [repo.note_out(n) for n in found]

    def count(self, *, actor: Actor, account_id: int) -> int:
        with self._read() as session:
            get_visible_account(session, actor, account_id)
            return repo.count_notes(session, account_id)

    def get(self, *, actor: Actor, note_id: int) -> NoteOut:
        with self._read() as session:
            note = _visible_note(session, actor, note_id)
            return repo.note_out(note)

    def get_many(self, *, actor: Actor, note_ids: Sequence[int]) -> builtins.list[NoteOut]:
        """Notes by id, silently leaving out any outside the caller's portfolio."""
        with self._read() as session:
            visible = []
            for note_id in dict.fromkeys(note_ids):
                try:
                    note = repo.get_note(session, note_id)
                    get_visible_account(session, actor, note.account_id)
                except Exception:
                    continue
                visible.append(repo.note_out(note))
            return visible

    def create(self, *, actor: Actor, account_id: int, data: NoteIn | Mapping[str, Any]) -> NoteOut:
        payload = parse(NoteIn, data)
        with self._write() as session:
            get_visible_account(session, actor, account_id)
            note = Note(account_id=account_id, **payload.model_dump(exclude={"mentioned_ids"}))
            note.mentions = self._mentions(session, account_id, payload.mentioned_ids)
            session.add(note)
            session.flush()
            out = repo.note_out(note)
            record_audit(
                session,
                actor,
                entity="note",
                entity_id=note.id,
                action=AuditAction.CREATE,
                account_id=account_id,
                after=out,
            )
        self._notify_saved(out)
        return out

    def update(self, *, actor: Actor, note_id: int, data: NoteUpdate | Mapping[str, Any]) -> NoteOut:
        changes = parse(NoteUpdate, data).model_dump(exclude_unset=True)
        with self._write() as session:
            note = _visible_note(session, actor, note_id)
            before = repo.note_out(note)
            for required in ("occurred_on", "author", "kind", "body"):
                if required in changes and changes[required] is None:
                    raise InvalidInput.field(required, "cannot be empty")
            mentioned = changes.pop("mentioned_ids", None)
            if mentioned is not None:
                note.mentions = self._mentions(session, note.account_id, mentioned)
            for field, value in changes.items():
                setattr(note, field, value)
            session.flush()
            out = repo.note_out(note)
            record_audit(
                session,
                actor,
                entity="note",
                entity_id=note_id,
                action=AuditAction.UPDATE,
                account_id=note.account_id,
                before=before,
                after=out,
            )
        self._notify_saved(out)
        return out

    def delete(self, *, actor: Actor, note_id: int) -> None:
        with self._write() as session:
            note = _visible_note(session, actor, note_id)
            before = repo.note_out(note)
            session.delete(note)
            record_audit(
                session,
                actor,
                entity="note",
                entity_id=note_id,
                action=AuditAction.DELETE,
                account_id=before.account_id,
                before=before,
            )
        if self._listener is not None:
            try:
                self._listener.note_deleted(note_id)
            except Exception:
                log.exception("note %s deleted but not removed from the index; run `samcoach reindex`", note_id)

    def all_for_reindex(self, *, batch: int = 500) -> builtins.list[NoteOut]:
        """Every note in the database: the SQL source of truth the index is rebuilt from (admin task)."""
        with self._read() as session:
            return [repo.note_out(n) for n in session.scalars(select(Note).order_by(Note.id)).unique()]

    def _notify_saved(self, note: NoteOut) -> None:
        if self._listener is None:
            return
        try:
            self._listener.note_saved(note)
        except Exception:
            # The note is safely in SQL; the index catches up on `samcoach reindex`.
            log.exception("note %s saved but not indexed; run `samcoach reindex`", note.id)

    @staticmethod
    def _mentions(session: Session, account_id: int, ids: Sequence[int]) -> builtins.list[Stakeholder]:
        people = []
        for index, stakeholder_id in enumerate(dict.fromkeys(ids)):
            person = session.get(Stakeholder, stakeholder_id)
            if person is None or person.account_id != account_id:
                raise InvalidInput.field(f"mentioned_ids.{index}", f"no stakeholder {stakeholder_id} on this account")
            people.append(person)
        return people
