"""Bringing one collection in line with a planned set of chunks per source, crash-safely.

For each source, chunks whose ids are already stored are left alone (ids are content hashes, so equal ids
mean equal content), new chunks are embedded and upserted, and only then are the source's stale ids
deleted. A crash at any point leaves every source either as it was, or with old and new chunks side by
side; re-running the same sync finds the new ids present, writes nothing and deletes the stale ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from knowledge.chunking import Chunk
from knowledge.store import CollectionRole, KnowledgeStore

if TYPE_CHECKING:
    from chromadb.api.types import Embedding

Progress = Callable[[int, int], None]


@dataclass
class IngestReport:
    """What a sync did, by source; ``skipped`` pairs a source with the reason a user can act on."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    chunks_written: int = 0
    chunks_deleted: int = 0


def stored_ids_by_source(store: KnowledgeStore, role: CollectionRole, where: Mapping[str, Any]) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = {}
    for chunk in store.get(role, where=where, include_documents=False):
        grouped.setdefault(str(chunk.metadata.get("source", "")), set()).add(chunk.id)
    return grouped


def apply_plan(
    store: KnowledgeStore,
    role: CollectionRole,
    planned: Mapping[str, Sequence[Chunk]],
    stored: Mapping[str, set[str]],
    *,
    remove: Iterable[str] = (),
    report: IngestReport | None = None,
    progress: Progress | None = None,
    embed_batch: int = 64,
) -> IngestReport:
    """Write ``planned`` chunks, delete stale ones, then drop every source in ``remove``."""
    report = report or IngestReport()
    sources = list(planned)
    wrote = False
    try:
        done = 0
        # Sources are embedded in groups of about ``embed_batch`` chunks: one model call per group is much
        # faster than one per source, and a group's writes still follow the upsert-then-delete order.
        while done < len(sources):
            group: list[str] = []
            fresh: list[Chunk] = []
            while done + len(group) < len(sources) and (not group or len(fresh) < embed_batch):
                source = sources[done + len(group)]
                group.append(source)
                old = stored.get(source, set())
                fresh.extend(chunk for chunk in planned[source] if chunk.id not in old)
            vectors = store.embed([chunk.embed_text for chunk in fresh]) if fresh else []
            by_id = dict(zip((chunk.id for chunk in fresh), vectors, strict=True))
            for source in group:
                wrote |= _write_source(store, role, source, planned[source], stored.get(source, set()), by_id, report)
                done += 1
                if progress is not None:
                    progress(done, len(sources))
        for source in sorted(remove):
            ids = sorted(stored.get(source, set()))
            if ids:
                store.delete(role, ids)
                wrote = True
                report.chunks_deleted += len(ids)
                report.removed.append(source)
    finally:
        if wrote:
            store.touch(role)
    return report


def _write_source(
    store: KnowledgeStore,
    role: CollectionRole,
    source: str,
    chunks: Sequence[Chunk],
    old_ids: set[str],
    vectors: Mapping[str, Embedding],
    report: IngestReport,
) -> bool:
    new_ids = {chunk.id for chunk in chunks}
    fresh = [chunk for chunk in chunks if chunk.id not in old_ids]
    stale = sorted(old_ids - new_ids)
    if not fresh and not stale:
        report.unchanged.append(source)
        return False
    if fresh:
        store.upsert(
            role,
            [chunk.id for chunk in fresh],
            [chunk.text for chunk in fresh],
            [chunk.metadata for chunk in fresh],
            [vectors[chunk.id] for chunk in fresh],
        )
        report.chunks_written += len(fresh)
    if stale:
        store.delete(role, stale)
        report.chunks_deleted += len(stale)
    (report.updated if old_ids else report.added).append(source)
    return True
