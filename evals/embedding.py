"""A memoising wrapper around the run's embedding function.

Cases that write run in their own copy of the world, and each copy builds the assistant afresh, exactly as
`build_runtime` does for users. Without a cache every copy would embed the offline router's example
utterances and the curriculum sentences again (seconds each with the real model); with it, a copy costs
milliseconds and its vectors are identical to the shared world's. Name and config are the wrapped function's,
so collection names and fingerprints do not change.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from chromadb.api.types import Documents, Embedding, EmbeddingFunction, Embeddings, Space

if TYPE_CHECKING:
    from collections.abc import Sequence


class CachedEmbeddingFunction(EmbeddingFunction[Documents]):
    def __init__(self, inner: EmbeddingFunction[Documents], *, max_items: int = 200_000) -> None:
        self.inner = inner
        self._documents: dict[str, Embedding] = {}
        self._queries: dict[str, Embedding] = {}
        self._max_items = max_items
        self._lock = threading.Lock()

    def __call__(self, input: Documents) -> Embeddings:
        return self._lookup(list(input), self._documents, self.inner)

    def embed_query(self, input: Documents) -> Embeddings:
        return self._lookup(list(input), self._queries, self.inner.embed_query)

    def _lookup(self, texts: Sequence[str], cache: dict[str, Embedding], compute: Any) -> Embeddings:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            vectors = compute(missing)
            with self._lock:
                if len(cache) + len(missing) > self._max_items:
                    cache.clear()
                cache.update(zip(missing, vectors, strict=True))
                found = [cache.get(t) for t in texts]
        else:
            with self._lock:
                found = [cache.get(t) for t in texts]
        if any(vector is None for vector in found):
            return list(compute(list(texts)))
        return [vector for vector in found if vector is not None]

    # The wrapped function's identity, so chroma and `embedding_fingerprint` see no difference.
    def name(self) -> str:  # type: ignore[override]
        return str(self.inner.name())

    def get_config(self) -> dict[str, Any]:
        return dict(self.inner.get_config() or {})

    def default_space(self) -> Space:
        return self.inner.default_space()

    def supported_spaces(self) -> list[Space]:
        return self.inner.supported_spaces()

    def is_legacy(self) -> bool:
        return False

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> EmbeddingFunction[Documents]:
        raise NotImplementedError("the eval cache wraps a live embedding function and is never rebuilt from config")
