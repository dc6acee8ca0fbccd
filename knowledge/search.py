"""Hybrid search: vector similarity fused with BM25 by reciprocal rank fusion (k=60).

Vector search finds paraphrases; BM25 finds exact terms and figures ("24 months", "gross profit", "11%")
that a small embedding model blurs. Both rankings run over the same scoped candidate set:

* library (curriculum, documents): a chroma query with a ``where`` on ``kind``; BM25 over per-kind indexes
  cached on the store and rebuilt when the collection's revision changes, so another process's ingest is
  seen.
* notes: only when ``account_id``/``account_ids`` is given. One chroma ``get`` with a ``where`` on
  ``account_id`` fetches the scope's chunks with their texts and vectors; BM25 and an exact cosine ranking
  both run over exactly that set, so a note of another account is never a candidate, whatever the query
  says. A final check drops any note outside the scope, as a guard against a future change to the filters.

Why exact cosine over the fetched scope instead of chroma's filtered ``query`` for notes: measured on
100k note chunks over 1,000 accounts (embedded chroma, 2 cores), a filtered ``query`` took ~80-97 ms p50
because the HNSW walk has to skip the other accounts' vectors, while the ``get`` we need for BM25 anyway
took ~27 ms with or without vectors, and ranking ~100 vectors in numpy is microseconds. The result is
also exact rather than approximate. Scopes larger than ``EXACT_VECTOR_LIMIT`` chunks (a manager's whole
book) fall back to chroma's filtered ``query``, so a query never pulls tens of thousands of vectors.
Notes are fetched per query rather than cached: always fresh, and no invalidation to get wrong.

Vector results from the two collections are merged by cosine distance (same model, same space); BM25
statistics are summed over the selected indexes, so the lexical ranking is one ranking as well.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from knowledge.chunking import contextual_header
from knowledge.lexical import LexicalIndex, rank
from knowledge.store import KnowledgeStore, StoredChunk
from knowledge.types import KINDS, LIBRARY_KINDS, Citation, Kind, Passage

Mode = Literal["hybrid", "vector", "lexical"]
MODES: tuple[Mode, ...] = ("hybrid", "vector", "lexical")
MAX_K = 50
RRF_K = 60
EXACT_VECTOR_LIMIT = 2000
VECTOR_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
_CACHE_KEY = "search.library_lexical"
_NOTES_CACHE_KEY = "search.scoped_notes"
NOTES_CACHE_SCOPES = 64


def search(
    store: KnowledgeStore,
    query: str,
    *,
    k: int = 5,
    kinds: Sequence[Kind] = KINDS,
    account_id: int | None = None,
    account_ids: Sequence[int] | None = None,
    mode: Mode = "hybrid",
) -> list[Passage]:
    """The ``k`` best passages for ``query``, best first.

    Notes are searched only for the accounts named by ``account_id`` and/or ``account_ids`` (their union);
    without them only the library is searched, and asking for notes alone is an error.
    """
    if not query or not query.strip():
        raise ValueError("query must not be empty or whitespace")
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise ValueError(f"k must be an integer from 1 to {MAX_K}, got {k!r}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    wanted = _validate_kinds(kinds)
    scope = _account_scope(account_id, account_ids)
    if wanted == {"note"} and scope is None:
        raise ValueError("searching notes needs account_id or account_ids: the account scope is never implied")
    library_kinds = [kind for kind in LIBRARY_KINDS if kind in wanted]
    note_scope = scope if "note" in wanted and scope else None
    depth = min(max(4 * k, 20), 100)

    notes = _scoped_notes(store, note_scope, with_vectors=mode != "lexical") if note_scope else None
    vector: list[StoredChunk] = []
    lexical: list[StoredChunk] = []
    if mode in ("hybrid", "vector"):
        vector = _vector_ranking(store, query, library_kinds, notes, depth)
    if mode in ("hybrid", "lexical"):
        lexical = _lexical_ranking(store, query, library_kinds, notes, depth)
    return _fuse(vector, lexical, note_scope, k)


def _validate_kinds(kinds: Sequence[Kind]) -> set[Kind]:
    if isinstance(kinds, str):
        raise ValueError("kinds must be a sequence of kinds, e.g. ('curriculum',), not a string")
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"kinds must be a non-empty subset of {', '.join(KINDS)}, got {list(kinds)!r}")
    return set(kinds)


def _account_scope(account_id: int | None, account_ids: Sequence[int] | None) -> tuple[int, ...] | None:
    if account_id is None and account_ids is None:
        return None
    ids = ([] if account_id is None else [account_id]) + list(account_ids or [])
    for value in ids:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"account ids must be integers, got {value!r}")
    return tuple(sorted(set(ids)))


def _library_where(kinds: Sequence[Kind]) -> dict[str, Any]:
    return {"kind": kinds[0]} if len(kinds) == 1 else {"kind": {"$in": list(kinds)}}


def _notes_where(scope: tuple[int, ...]) -> dict[str, Any]:
    return {"account_id": scope[0]} if len(scope) == 1 else {"account_id": {"$in": list(scope)}}


@dataclass(frozen=True)
class _ScopedNotes:
    """The account scope's note chunks; ``exact`` when they all fit and carry vectors for exact ranking."""

    where: dict[str, Any]
    chunks: list[StoredChunk]
    exact: bool
    lexical: LexicalIndex


def _scoped_notes(store: KnowledgeStore, scope: tuple[int, ...], *, with_vectors: bool) -> _ScopedNotes:
    """Fetched once per (scope, notes revision): every note write bumps the revision, in any process, so a
    cached scope is never stale, and a portfolio-wide search does not re-read every note on each query."""
    store.collection("notes")  # created on first use, so a fresh store has a revision to read
    key = (scope, with_vectors, store.revision("notes"))
    cache = store.cache.setdefault(_NOTES_CACHE_KEY, OrderedDict())
    assert isinstance(cache, OrderedDict)
    if key in cache:
        cache.move_to_end(key)
        cached: _ScopedNotes = cache[key]
        return cached
    where = _notes_where(scope)
    chunks = store.get("notes", where=where, include_embeddings=with_vectors, limit=EXACT_VECTOR_LIMIT + 1)
    exact = with_vectors and len(chunks) <= EXACT_VECTOR_LIMIT
    if len(chunks) > EXACT_VECTOR_LIMIT:
        chunks = store.get("notes", where=where)
    fresh = _ScopedNotes(where=where, chunks=chunks, exact=exact, lexical=_index(chunks))
    cache[key] = fresh
    while len(cache) > NOTES_CACHE_SCOPES:
        cache.popitem(last=False)
    return fresh


def _vector_ranking(
    store: KnowledgeStore,
    query: str,
    library_kinds: Sequence[Kind],
    notes: _ScopedNotes | None,
    depth: int,
) -> list[StoredChunk]:
    embedding = store.embed_query(query)
    hits: list[StoredChunk] = []
    if library_kinds:
        hits += store.query("library", embedding, n_results=depth, where=_library_where(library_kinds))
    if notes is not None and notes.exact:
        hits += _exact_nearest(notes.chunks, embedding, depth)
    elif notes is not None:
        hits += store.query("notes", embedding, n_results=depth, where=notes.where)
    hits.sort(key=lambda chunk: (chunk.distance if chunk.distance is not None else 2.0, chunk.id))
    return hits[:depth]


def _exact_nearest(chunks: Sequence[StoredChunk], embedding: Any, depth: int) -> list[StoredChunk]:
    """Cosine distance (chroma's definition, 1 - cos) to every chunk; the closest ``depth`` first."""
    if not chunks:
        return []
    matrix = np.asarray([chunk.embedding for chunk in chunks], dtype=np.float32)
    query = np.asarray(embedding, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1) * max(float(np.linalg.norm(query)), 1e-12)
    distances = 1.0 - (matrix @ query) / np.maximum(norms, 1e-12)
    order = np.argsort(distances, kind="stable")[:depth]
    return [replace(chunks[i], distance=float(distances[i]), embedding=None) for i in order]


@dataclass(frozen=True)
class _LibraryLexical:
    key: tuple[str, int]
    indexes: dict[str, LexicalIndex]
    chunks: dict[str, StoredChunk]


def _lexical_ranking(
    store: KnowledgeStore,
    query: str,
    library_kinds: Sequence[Kind],
    notes: _ScopedNotes | None,
    depth: int,
) -> list[StoredChunk]:
    indexes: list[LexicalIndex] = []
    chunks: dict[str, StoredChunk] = {}
    if library_kinds:
        library = _library_lexical(store)
        indexes += [library.indexes[kind] for kind in library_kinds if kind in library.indexes]
        chunks |= library.chunks
    if notes is not None:
        indexes.append(notes.lexical)
        chunks |= {chunk.id: chunk for chunk in notes.chunks}
    return [chunks[chunk_id] for chunk_id, _ in rank(indexes, query, limit=depth)]


def _library_lexical(store: KnowledgeStore) -> _LibraryLexical:
    key = store.revision("library")
    cached = store.cache.get(_CACHE_KEY)
    if isinstance(cached, _LibraryLexical) and cached.key == key:
        return cached
    by_kind: dict[str, list[StoredChunk]] = {}
    for chunk in store.get("library"):
        by_kind.setdefault(str(chunk.metadata.get("kind", "")), []).append(chunk)
    fresh = _LibraryLexical(
        key=key,
        indexes={kind: _index(chunks) for kind, chunks in by_kind.items()},
        chunks={chunk.id: chunk for chunks in by_kind.values() for chunk in chunks},
    )
    store.cache[_CACHE_KEY] = fresh
    return fresh


def _index(chunks: Sequence[StoredChunk]) -> LexicalIndex:
    # The same title/section header the chunk was embedded with, so both rankings see the same context.
    return LexicalIndex.build(
        [chunk.id for chunk in chunks],
        (f"{_header(chunk.metadata)}\n{chunk.text}" for chunk in chunks),
    )


def _header(metadata: Mapping[str, Any]) -> str:
    return contextual_header(str(metadata.get("title", "")), str(metadata.get("section", "")))


def _fuse(
    vector: Sequence[StoredChunk], lexical: Sequence[StoredChunk], note_scope: tuple[int, ...] | None, k: int
) -> list[Passage]:
    scores: dict[str, float] = {}
    chunks: dict[str, StoredChunk] = {}
    vector_ranks: dict[str, int] = {}
    lexical_ranks: dict[str, int] = {}
    for weight, ranking, ranks in ((VECTOR_WEIGHT, vector, vector_ranks), (LEXICAL_WEIGHT, lexical, lexical_ranks)):
        for position, chunk in enumerate(ranking, start=1):
            if not _in_scope(chunk, note_scope):
                continue
            ranks[chunk.id] = position
            chunks.setdefault(chunk.id, chunk)
            scores[chunk.id] = scores.get(chunk.id, 0.0) + weight / (RRF_K + position)
    best = sorted(scores, key=lambda chunk_id: (-scores[chunk_id], chunk_id))[:k]
    return [
        Passage(
            text=chunks[chunk_id].text,
            score=scores[chunk_id],
            citation=citation_from_metadata(chunk_id, chunks[chunk_id].metadata),
            vector_rank=vector_ranks.get(chunk_id),
            lexical_rank=lexical_ranks.get(chunk_id),
        )
        for chunk_id in best
    ]


def _in_scope(chunk: StoredChunk, note_scope: tuple[int, ...] | None) -> bool:
    if chunk.metadata.get("kind") != "note":
        return True
    return note_scope is not None and chunk.metadata.get("account_id") in note_scope


def citation_from_metadata(chunk_id: str, metadata: Mapping[str, Any]) -> Citation:
    kind = str(metadata.get("kind", "document"))
    if kind not in KINDS:
        raise ValueError(f"chunk {chunk_id} has unknown kind {kind!r}")
    raw_date = metadata.get("date")
    account = metadata.get("account_id")
    return Citation(
        kind=kind,
        source_id=str(metadata.get("source_id", "")),
        title=str(metadata.get("title", "")),
        section=str(metadata.get("section", "")),
        source=str(metadata.get("source", "")),
        chunk_id=chunk_id,
        date=datetime.date.fromisoformat(raw_date) if isinstance(raw_date, str) and raw_date else None,
        account_id=account if isinstance(account, int) and not isinstance(account, bool) else None,
    )
