"""A deterministic, model-free embedding function for unit tests and offline smoke runs.

It is a registered chroma embedding function (name + config), so a persistent collection created with it can
be reopened by another process, exactly like one made with a real model. Tokens are hashed with blake2b,
not Python's salted ``hash``, so vectors are identical across processes.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from knowledge.lexical import tokenize

HASH_EF_NAME = "samcoach_hash"


@register_embedding_function
class HashingEmbeddingFunction(EmbeddingFunction[Documents]):
    """Signed feature hashing of the lexical tokens into ``dimensions`` buckets, L2-normalised."""

    def __init__(self, dimensions: int = 384) -> None:
        if dimensions < 8:
            raise ValueError(f"dimensions must be at least 8, got {dimensions}")
        self.dimensions = dimensions

    def __call__(self, input: Documents) -> Embeddings:
        return [self._embed(text) for text in input]

    def _embed(self, text: str) -> np.ndarray[Any, np.dtype[np.float32]]:
        vector = np.zeros(self.dimensions, dtype=np.float32)
        # A constant feature keeps empty or stopword-only texts away from the zero vector (undefined cosine).
        vector[0] = 0.1
        for token in tokenize(text):
            digest = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "big")
            bucket = 1 + digest % (self.dimensions - 1)
            vector[bucket] += 1.0 if (digest >> 63) & 1 else -1.0
        norm = math.sqrt(float(np.dot(vector, vector)))
        return vector / norm

    @staticmethod
    def name() -> str:
        return HASH_EF_NAME

    def default_space(self) -> Space:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"dimensions": self.dimensions}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HashingEmbeddingFunction:
        return HashingEmbeddingFunction(int(config.get("dimensions", 384)))
