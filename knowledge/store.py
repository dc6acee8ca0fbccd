"""The chroma side of the knowledge base: client factory and the two collections we own.

``library`` holds curriculum and user-document chunks, ``notes`` holds account notes. They are separate so
the notes collection can be rebuilt from SQL on its own, and so an account scope is always a filter on a
collection that holds nothing but notes. Collection names carry the embedding fingerprint, so a new model
means new collections rather than mixed vectors.

Each write bumps a ``revision`` value in the collection's metadata. Search caches lexical indexes of the
library keyed by (revision, count): another process's ingest changes the revision, and a writer that dies
between its upsert and its bump still changes the count (chunk ids are content hashes, so a rewrite with
different content is always an add plus a delete).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from knowledge.embeddings import embedding_fingerprint
from knowledge.types import Kind

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Documents, Embedding, EmbeddingFunction

MetadataValue = str | int | float | bool
Metadata = dict[str, MetadataValue]
CollectionRole = str  # "library" or "notes"

_PREFIX = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$")
EMBED_BATCH = 64
WRITE_BATCH = 256
READ_PAGE = 2000


def build_chroma_client(
    *, path: Path | None = None, host: str | None = None, port: int = 8000, ssl: bool = False
) -> ClientAPI:
    """A chroma client with telemetry off: ``HttpClient`` when ``host`` is given, else ``PersistentClient``
    at ``path``, else an in-memory client (tests, one-off scripts)."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if host is not None and path is not None:
        raise ValueError("give either path (embedded chroma) or host (chroma server), not both")
    if host is not None:
        return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
    if path is not None:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=settings)
    return chromadb.EphemeralClient(settings=settings)


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back from chroma; ``distance`` is set by vector queries, ``embedding`` on request."""

    id: str
    text: str
    metadata: Mapping[str, Any]
    distance: float | None = None
    embedding: Embedding | None = None


def role_of(kind: Kind) -> CollectionRole:
    return "notes" if kind == "note" else "library"


class KnowledgeStore:
    """Owns the ``library`` and ``notes`` collections for one embedding function and name prefix."""

    def __init__(
        self, client: ClientAPI, embedding_function: EmbeddingFunction[Documents], *, prefix: str = "samcoach"
    ) -> None:
        if not _PREFIX.match(prefix):
            raise ValueError(f"collection prefix {prefix!r} must be 1-63 letters, digits, '.', '_' or '-'")
        self.client = client
        self.embedding_function = embedding_function
        self.prefix = prefix
        self.fingerprint = embedding_fingerprint(embedding_function)
        self._collections: dict[CollectionRole, Collection] = {}
        # Derived data other modules keep per store (search's lexical index), dropped with the collections.
        self.cache: dict[str, object] = {}

    def collection_name(self, role: CollectionRole) -> str:
        return f"{self.prefix}-{role}-{self.fingerprint}"

    def collection(self, role: CollectionRole) -> Collection:
        if role not in ("library", "notes"):
            raise ValueError(f"unknown collection role {role!r}")
        if role not in self._collections:
            self._collections[role] = self.client.get_or_create_collection(
                self.collection_name(role),
                embedding_function=cast(Any, self.embedding_function),
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"revision": uuid.uuid4().hex},
            )
        return self._collections[role]

    def count(self, kind: Kind | None = None) -> int:
        """Chunks stored, for one kind or all."""
        if kind is None:
            return self.collection("library").count() + self.collection("notes").count()
        if kind == "note":
            return self.collection("notes").count()
        return len(self.get(role_of(kind), where={"kind": kind}, include_documents=False))

    def reset(self) -> None:
        """Drop our collections; the next access recreates them empty."""
        existing = {collection.name for collection in self.client.list_collections()}
        for role in ("library", "notes"):
            name = self.collection_name(role)
            if name in existing:
                self.client.delete_collection(name)
        self._collections.clear()
        self.cache.clear()

    def revision(self, role: CollectionRole) -> tuple[str, int]:
        """A cache key that changes whenever any process writes to the collection."""
        fresh = self.client.get_collection(
            self.collection_name(role), embedding_function=cast(Any, self.embedding_function)
        )
        self._collections[role] = fresh
        metadata = fresh.metadata or {}
        return str(metadata.get("revision", "")), fresh.count()

    def touch(self, role: CollectionRole) -> None:
        self.collection(role).modify(metadata={"revision": uuid.uuid4().hex})

    def embed(self, texts: Sequence[str]) -> list[Embedding]:
        vectors: list[Embedding] = []
        for start in range(0, len(texts), EMBED_BATCH):
            vectors.extend(self.embedding_function(list(texts[start : start + EMBED_BATCH])))
        return vectors

    def embed_query(self, text: str) -> Embedding:
        return self.embedding_function.embed_query([text])[0]

    def upsert(
        self,
        role: CollectionRole,
        ids: Sequence[str],
        texts: Sequence[str],
        metadatas: Sequence[Metadata],
        embeddings: Sequence[Embedding],
    ) -> None:
        collection = self.collection(role)
        for start in range(0, len(ids), WRITE_BATCH):
            end = start + WRITE_BATCH
            collection.upsert(
                ids=list(ids[start:end]),
                documents=list(texts[start:end]),
                metadatas=cast(Any, list(metadatas[start:end])),
                embeddings=cast(Any, list(embeddings[start:end])),
            )

    def delete(self, role: CollectionRole, ids: Sequence[str]) -> None:
        collection = self.collection(role)
        for start in range(0, len(ids), WRITE_BATCH):
            collection.delete(ids=list(ids[start : start + WRITE_BATCH]))

    def get(
        self,
        role: CollectionRole,
        *,
        where: Mapping[str, Any] | None = None,
        include_documents: bool = True,
        include_embeddings: bool = False,
        limit: int | None = None,
    ) -> list[StoredChunk]:
        """Chunks matching ``where`` (at most ``limit``), read in pages so no response is huge."""
        include: Any = ["metadatas"]
        include += ["documents"] if include_documents else []
        include += ["embeddings"] if include_embeddings else []
        collection = self.collection(role)
        chunks: list[StoredChunk] = []
        while limit is None or len(chunks) < limit:
            size = READ_PAGE if limit is None else min(READ_PAGE, limit - len(chunks))
            page = collection.get(where=cast(Any, where), include=include, limit=size, offset=len(chunks))
            ids = page["ids"]
            documents = page.get("documents") or [""] * len(ids)
            metadatas = page.get("metadatas") or [{}] * len(ids)
            embeddings: Any = page.get("embeddings")
            if embeddings is None:
                embeddings = [None] * len(ids)
            for chunk_id, text, metadata, embedding in zip(ids, documents, metadatas, embeddings, strict=True):
                chunks.append(StoredChunk(chunk_id, text or "", metadata or {}, embedding=embedding))
            if len(ids) < size:
                break
        return chunks

    def query(
        self,
        role: CollectionRole,
        embedding: Embedding,
        *,
        n_results: int,
        where: Mapping[str, Any] | None = None,
    ) -> list[StoredChunk]:
        """Nearest chunks to ``embedding`` among those matching ``where``, closest first."""
        result = self.collection(role).query(
            query_embeddings=cast(Any, [embedding]),
            n_results=n_results,
            where=cast(Any, where),
            include=cast(Any, ["metadatas", "documents", "distances"]),
        )
        ids = result["ids"][0]
        documents = (result.get("documents") or [[]])[0]
        metadatas = (result.get("metadatas") or [[]])[0]
        distances = (result.get("distances") or [[]])[0]
        return [
            StoredChunk(id=chunk_id, text=text or "", metadata=metadata or {}, distance=float(distance))
            for chunk_id, text, metadata, distance in zip(ids, documents, metadatas, distances, strict=True)
        ]
