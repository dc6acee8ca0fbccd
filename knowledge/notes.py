"""Account notes in the ``notes`` collection, kept in step with the SQL records that own them.

Notes are untrusted user text: they are stored and returned verbatim as data and never parsed for
instructions. Every note chunk carries its ``account_id`` so search can scope by it inside chroma's own
filter. The SQL database is the source of truth; ``rebuild`` makes the index match it after a restore or a
model change, with the same upsert-then-delete order as document ingest.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.chunking import Chunk, Section, build_chunks
from knowledge.store import KnowledgeStore
from knowledge.sync import Progress, apply_plan, stored_ids_by_source


@dataclass(frozen=True)
class NoteRecord:
    note_id: int
    account_id: int
    occurred_on: datetime.date
    author: str
    kind: str
    body: str
    title: str | None = None


def note_source(note_id: int) -> str:
    return f"note:{note_id}"


def note_title(note: NoteRecord) -> str:
    return note.title or f"{note.kind.strip().capitalize() or 'Account'} note"


def note_chunks(note: NoteRecord) -> list[Chunk]:
    if isinstance(note.account_id, bool) or not isinstance(note.account_id, int):
        raise TypeError(f"note {note.note_id}: account_id must be an int, got {note.account_id!r}")
    title = note_title(note)
    body = note.body.strip()
    if not body:
        return []
    return build_chunks(
        source=note_source(note.note_id),
        title=title,
        sections=[Section("", body)],
        metadata={
            "kind": "note",
            "source_id": str(note.note_id),
            "note_id": note.note_id,
            "account_id": note.account_id,
            "date": note.occurred_on.isoformat(),
            "author": note.author,
            "note_kind": note.kind,
        },
        header=f"{title}, {note.occurred_on.isoformat()}, by {note.author}",
    )


class NoteIndex:
    """The records service calls this after each committed note change."""

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store

    def upsert(self, note: NoteRecord) -> None:
        source = note_source(note.note_id)
        stored = stored_ids_by_source(self.store, "notes", {"note_id": note.note_id})
        apply_plan(self.store, "notes", {source: note_chunks(note)}, stored)

    def delete(self, note_id: int) -> None:
        stored = stored_ids_by_source(self.store, "notes", {"note_id": note_id})
        apply_plan(self.store, "notes", {}, stored, remove=set(stored))

    def rebuild(self, notes: Iterable[NoteRecord], *, progress: Progress | None = None) -> int:
        """Make the index hold exactly ``notes``; returns how many notes are indexed."""
        planned = {note_source(note.note_id): note_chunks(note) for note in notes}
        stored = stored_ids_by_source(self.store, "notes", {"kind": "note"})
        apply_plan(self.store, "notes", planned, stored, remove=set(stored) - set(planned), progress=progress)
        return sum(1 for chunks in planned.values() if chunks)

    def count(self, account_id: int | None = None) -> int:
        """Notes (not chunks) indexed, for one account or all."""
        where = {"account_id": account_id} if account_id is not None else {"kind": "note"}
        chunks = self.store.get("notes", where=where, include_documents=False)
        return len({chunk.metadata.get("note_id") for chunk in chunks})
