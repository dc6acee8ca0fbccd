"""The assistant's view of the knowledge base: passages come back as `Citation`s, notes stay in sync.

`knowledge` knows nothing of accounts or users; this module is where a portfolio scope becomes a search
filter and where a committed note change becomes an index update.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.citations import Citation, SourceKind
from assistant.records.schemas import NoteOut
from assistant.settings import Settings

if TYPE_CHECKING:
    from knowledge.notes import NoteRecord
    from knowledge.store import KnowledgeStore
    from knowledge.sync import IngestReport, Progress
    from knowledge.types import Kind, Passage

_KIND_TO_SOURCE = {"curriculum": SourceKind.CURRICULUM, "document": SourceKind.DOCUMENT, "note": SourceKind.NOTE}


def citation_of(passage: Passage) -> Citation:
    cited = passage.citation
    return Citation(
        kind=_KIND_TO_SOURCE[cited.kind],
        id=cited.source_id,
        label=cited.label(),
        date=cited.date,
        account_id=cited.account_id,
        section=cited.section or None,
        excerpt=passage.text,
    )


def _note_record(note: NoteOut) -> NoteRecord:
    from knowledge.notes import NoteRecord

    return NoteRecord(
        note_id=note.id,
        account_id=note.account_id,
        occurred_on=note.occurred_on,
        author=note.author,
        kind=note.kind.value,
        body=note.body,
    )


class Retrieval:
    """Curriculum, documents and notes search with citations; also the records' `NoteListener`."""

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        kinds: Sequence[Kind] = ("curriculum", "document"),
        account_ids: Sequence[int] | None = None,
    ) -> list[Citation]:
        """Notes are only searched for the accounts named; the caller has already scoped them."""
        from knowledge.search import search

        kinds = [kind for kind in kinds if kind != "note" or account_ids]
        if not kinds:
            return []
        return [citation_of(p) for p in search(self.store, query, k=k, kinds=kinds, account_ids=account_ids)]

    def search_curriculum(self, query: str, *, k: int = 4) -> list[Citation]:
        return self.search(query, k=k, kinds=("curriculum",))

    def search_notes(self, query: str, *, account_ids: Sequence[int], k: int = 6) -> list[Citation]:
        return self.search(query, k=k, kinds=("note",), account_ids=account_ids) if account_ids else []

    def note_saved(self, note: NoteOut) -> None:
        from knowledge.notes import NoteIndex

        NoteIndex(self.store).upsert(_note_record(note))

    def note_deleted(self, note_id: int) -> None:
        from knowledge.notes import NoteIndex

        NoteIndex(self.store).delete(note_id)

    def rebuild_notes(self, notes: Iterable[NoteOut], *, progress: Progress | None = None) -> int:
        from knowledge.notes import NoteIndex

        return NoteIndex(self.store).rebuild([_note_record(n) for n in notes], progress=progress)

    def indexed_notes(self) -> int:
        from knowledge.notes import NoteIndex

        return NoteIndex(self.store).count()

    def sync_curriculum(self, *, progress: Progress | None = None) -> IngestReport:
        """Idempotent: unchanged lessons cost no embedding, so this runs on every start."""
        from knowledge.ingest import sync_curriculum

        return sync_curriculum(self.store, progress=progress)

    def ingest(self, paths: Sequence[Path], *, progress: Progress | None = None) -> IngestReport:
        from knowledge.ingest import ingest_paths

        return ingest_paths(self.store, paths, progress=progress)

    def count(self, kind: Kind | None = None) -> int:
        return self.store.count(kind)


def build_retrieval(settings: Settings) -> Retrieval:
    """Chroma (folder or server) + the configured embedding function, both chosen by settings alone."""
    from knowledge.embeddings import build_embedding_function
    from knowledge.store import KnowledgeStore, build_chroma_client

    embedding = settings.embedding
    function = build_embedding_function(
        embedding.provider,
        model=embedding.model,
        api_key=embedding.api_key.get_secret_value() if embedding.api_key else None,
        base_url=embedding.base_url,
    )
    if settings.chroma_host:
        client = build_chroma_client(host=settings.chroma_host, port=settings.chroma_port, ssl=settings.chroma_ssl)
    else:
        client = build_chroma_client(path=settings.resolved_chroma_path)
    return Retrieval(KnowledgeStore(client, function, prefix=settings.collection_prefix))
